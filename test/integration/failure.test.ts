// "Why did it fail?" played for real: failure kinds run in the local SageMaker backend (moto + registry + private
// dockerd: the cloud path, logs read back from CloudWatch in moto) and in the local runner (the local path), each
// checked against the summary and the workspace file:line its failing frame maps to. The scripts' line numbers below
// are counted by hand from their text. Spark: no real Spark run here (the offline base image has no Java, no Spark
// distribution or pyspark is installed, and SageMaker's Spark processing images cannot be pulled offline), so a PLAYED
// PySpark failure runs instead: a script that prints the trace PySpark prints when a write fails on the Java side.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsClients } from '../../src/aws/index';
import type { CreateProcessingJobRequest, ProcessingJobDescription, SageMakerApi } from '../../src/aws/sagemaker';
import type { S3Api } from '../../src/aws/s3';
import { cloudFailureSummary, definitionCandidatesAt } from '../../src/cli/failure';
import { main as cliMain } from '../../src/cli';
import type { FailureSummary } from '../../src/core/failure/summary';
import { localFailureSummary } from '../../src/core/local/failureMappings';
import { resolveLocalJob } from '../../src/core/local/definitionLite';
import { ContainerCli } from '../../src/local/containerCli';
import { startLocalRun } from '../../src/local/localRunner';
import { replayJob } from '../../src/local/replayJob';
import { mapWithCandidates } from '../../src/core/failure/paths';
import { DOCKER_CLI } from '../support/dockerd';
import { useMotoEnv, TEST_ACCOUNT, TEST_REGION } from '../support/moto';
import { waitFor } from '../support/net';
import { scratchDir } from '../support/paths';
import { startLocalCloud, ECR_HOST, type LocalCloud } from '../support/localSageMaker/stack';

const ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`;
const BASE = 'local/python-base:latest';
const BUCKET = 'failure-test';
const CODE = '/opt/ml/processing/input/code';

// A job submitted elsewhere (its request written by hand below): line 11 raises unless its first argument is "ok".
const REPLAY_PY = [
  'import os, sys',
  'rows = open("/opt/ml/processing/input/data/data.csv").read().splitlines()',
  'print("argv", sys.argv[1:], flush=True)',
  'print("mode", os.environ.get("REPLAY_MODE"), flush=True)',
  'print("rows", len(rows) - 1, flush=True)',
  'os.makedirs("/opt/ml/processing/output", exist_ok=True)',
  'open("/opt/ml/processing/output/result.txt", "w").write("%s rows\\n" % (len(rows) - 1))',
  '',
  '',
  'if sys.argv[1] != "ok":',
  '    raise ValueError("replayed failure: %s" % sys.argv[1])',
  '',
].join('\n');

// The workspace: scripts whose failing lines are known by counting.
const FILES: Record<string, string> = {
  // ValueError raised at line 6 (in ratio), called from line 11.
  'boom.py': 'import sys\n\n\ndef ratio(value):\n    if value > 1:\n        raise ValueError("bad ratio: %s" % value)\n    return value\n\n\nprint("starting boom", flush=True)\nratio(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)\n',
  // sourceDir: main.py line 4 calls pkg/helper.py, whose open() at line 5 raises FileNotFoundError.
  'src/main.py': 'from pkg import helper\n\nprint("sourceDir job", flush=True)\nhelper.load("config.json")\n',
  'src/pkg/__init__.py': '',
  'src/pkg/helper.py': 'import json\n\n\ndef load(name):\n    with open(name) as f:\n        return json.load(f)\n',
  // A chain: JSONDecodeError at line 6, RuntimeError raised from it at line 8, called from line 11.
  'chain.py': 'import json\n\n\ndef parse(text):\n    try:\n        return json.loads(text)\n    except ValueError as e:\n        raise RuntimeError("cannot parse the settings") from e\n\n\nparse("not json")\n',
  'exit3.py': 'import sys\nprint("bad arguments", file=sys.stderr, flush=True)\nsys.exit(3)\n',
  // SIGKILLs itself. Run under a shell (as PID 1 the script would be immune to its own signal; SageMaker's OOM killer
  // is the kernel's, not the script's): the shell exits 137 as the container.
  'kill.py': 'import os\nprint("allocating", flush=True)\nos.kill(os.getpid(), 9)\n',
  // Instance 2 raises at line 7; instance 1 keeps working (and is killed when the job ends).
  'two.py': 'import json\nimport time\n\nhost = json.load(open("/opt/ml/config/resourceconfig.json"))["current_host"]\nprint("on", host, flush=True)\nif host == "algo-2":\n    raise ValueError("instance 2 fails")\ntime.sleep(60)\n',
  'sleep.py': 'import time\nprint("working", flush=True)\ntime.sleep(120)\n',
  // Re-run from a job's own request: prints what it was given, writes its output, then raises at line 11.
  'replay.py': REPLAY_PY,
  // Writes its output and exits 0: the job fails when SageMaker uploads the output to a bucket that does not exist.
  'write.py': 'import os\nos.makedirs("/opt/ml/processing/output", exist_ok=True)\nopen("/opt/ml/processing/output/result.csv", "w").write("a,b\\n1,2\\n")\nprint("wrote the result", flush=True)\n',
  // NOT Spark: prints the trace a PySpark job prints when df.write.parquet fails in the JVM (Py4JJavaError with the
  // Java stack trace) and exits 1 as spark-submit does. Its first frame names line 13 of this file (the write line).
  'spark_job.py': [
    'import sys',
    '',
    'TRACE = """Traceback (most recent call last):',
    '  File "/opt/ml/processing/input/code/spark_job.py", line 13, in <module>',
    '    df.write.parquet(out)',
    '  File "/usr/spark-3.3.0/python/lib/pyspark.zip/pyspark/sql/readwriter.py", line 1140, in parquet',
    '  File "/usr/spark-3.3.0/python/lib/py4j-0.10.9.5-src.zip/py4j/protocol.py", line 326, in get_return_value',
    'py4j.protocol.Py4JJavaError: An error occurred while calling o61.parquet.',
    ': org.apache.spark.SparkException: Job aborted.',
    '\tat org.apache.spark.sql.errors.QueryExecutionErrors$.jobAbortedError(QueryExecutionErrors.scala:638)',
    'Caused by: java.io.FileNotFoundException: /opt/ml/processing/output/x (Permission denied)',
    '\tat java.io.FileOutputStream.open(FileOutputStream.java:270)"""',
    'sys.stderr.write("24/12/07 19:40:01 INFO SparkContext: Running Spark version 3.3.0\\n" + TRACE + "\\n")  # the write (line 13)',
    'sys.exit(1)',
    '',
  ].join('\n'),
};

const DEFINITION = {
  version: '1',
  defaults: { role: ROLE, instanceType: 'ml.m5.xlarge', instanceCount: 1, image: BASE },
  jobs: {
    boom: { script: 'boom.py', baseJobName: 'boom' },
    sd: { sourceDir: 'src', script: 'main.py', command: ['python3'], baseJobName: 'sd' },
    chain: { script: 'chain.py', baseJobName: 'chain' },
    exit3: { script: 'exit3.py', baseJobName: 'exit3' },
    kill: { script: 'kill.py', baseJobName: 'kill', command: ['sh', '-c', 'python3 "$0"; exit $?'] },
    two: { script: 'two.py', baseJobName: 'two', instanceCount: 2 },
    sleep: { script: 'sleep.py', baseJobName: 'sleep' },
    pull: { script: 'boom.py', baseJobName: 'pull', image: 'local/no-such-image:missing' },
    unwritable: { script: 'write.py', baseJobName: 'unwritable', outputs: [{ name: 'result', source: '/opt/ml/processing/output', destination: 's3://no-such-bucket-for-failure/out' }] },
    spark: { script: 'spark_job.py', baseJobName: 'spark' },
    noinput: { script: 'boom.py', baseJobName: 'noinput', inputs: [{ name: 'data', source: `s3://${BUCKET}/nothing-here/noinput`, destination: '/opt/ml/processing/input/data' }] },
    // Exits 1 before writing anything (the script path is sh's $0, never run).
    silent: { script: 'boom.py', baseJobName: 'silent', command: ['sh', '-c', 'exit 1'] },
  },
};

let seq = 0;
const jobName = (base: string) => `${base}-${Date.now().toString(36)}-${++seq}`;

describe('why did it fail? (local SageMaker backend and local runner)', () => {
  let cloud: LocalCloud;
  let aws: AwsClients;
  let sm: SageMakerApi;
  let s3: S3Api;
  let restoreEnv: () => void;
  let ws: string;
  let defFile: string;

  before(async () => {
    ws = scratchDir('failure-ws');
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    }
    defFile = path.join(ws, '.vscode', 'sagemaker-processing.json');
    fs.mkdirSync(path.dirname(defFile), { recursive: true });
    fs.writeFileSync(defFile, JSON.stringify(DEFINITION, null, 2));
    // Lines reach CloudWatch quickly here (the summary also re-reads for a few seconds when they come late).
    cloud = await startLocalCloud({ backend: { logBatchMs: 200, logIngestionDelayMs: 300 } });
    restoreEnv = useMotoEnv(cloud.moto);
    aws = new AwsClients({ endpointUrl: cloud.endpoint, region: TEST_REGION });
    [sm, s3] = await Promise.all([aws.sagemaker(), aws.s3()]);
    await s3.ensureBucket(BUCKET, TEST_REGION);
  });
  after(async () => {
    aws?.dispose();
    restoreEnv?.();
    await cloud?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  const local = (rel: string) => path.join(ws, ...rel.split('/'));

  /** Uploads workspace files as the code input (S3Prefix) of a job. */
  async function codeInput(job: string, files: Record<string, string>): Promise<NonNullable<CreateProcessingJobRequest['ProcessingInputs']>[number]> {
    for (const [to, from] of Object.entries(files)) await s3.upload(BUCKET, `${job}/input/code/${to}`, fs.readFileSync(local(from)));
    return { InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/${job}/input/code`, LocalPath: CODE, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } };
  }

  async function whenEnded(job: string, timeoutMs = 180_000): Promise<ProcessingJobDescription> {
    return waitFor(`${job} to end`, async () => {
      const d = await sm.describeProcessingJob(job);
      return ['Completed', 'Failed', 'Stopped'].includes(d.ProcessingJobStatus ?? '') ? d : undefined;
    }, timeoutMs, 200);
  }

  /** Runs a job in the backend and returns its summary as the CLI and the extension build it. */
  async function cloudRun(base: string, script: string, files: Record<string, string>, over: Partial<CreateProcessingJobRequest> = {}): Promise<{ d: ProcessingJobDescription; s: FailureSummary }> {
    const job = jobName(base);
    const req: CreateProcessingJobRequest = {
      ProcessingJobName: job, RoleArn: ROLE,
      AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['python3', `${CODE}/${script}`] },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      ProcessingInputs: [await codeInput(job, files)],
      ...over,
    };
    await sm.createProcessingJob(req);
    const d = await whenEnded(job);
    const s = await cloudFailureSummary(aws, d, definitionCandidatesAt(defFile));
    assert.ok(s, `a summary for ${job} (${d.ProcessingJobStatus})`);
    return { d, s: s! };
  }

  describe('cloud (local SageMaker backend)', () => {
    it('an exception in the script: the exception, exit code 1, algo-1, boom.py:6 in the workspace', async () => {
      const { d, s } = await cloudRun('boom', 'boom.py', { 'boom.py': 'boom.py' });
      assert.equal(d.ProcessingJobStatus, 'Failed');
      assert.equal(s.class.category, 'AlgorithmError');
      assert.equal(s.exception, 'ValueError: bad ratio: 2.0');
      assert.equal(s.exitCode, 1);
      assert.equal(s.instance, 'algo-1');
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('boom.py'), 6]);
      assert.deepEqual(s.frames.map((f) => [f.local, f.line]), [[local('boom.py'), 11], [local('boom.py'), 6]]);
      assert.deepEqual(s.unknowns, []);
    });

    it('an exception in an imported module of a sourceDir: src/pkg/helper.py:5, called from src/main.py:4', async () => {
      const { s } = await cloudRun('sd', 'main.py', { 'main.py': 'src/main.py', 'pkg/__init__.py': 'src/pkg/__init__.py', 'pkg/helper.py': 'src/pkg/helper.py' });
      assert.equal(s.exception, "FileNotFoundError: [Errno 2] No such file or directory: 'config.json'");
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('src/pkg/helper.py'), 5]);
      assert.deepEqual(s.frames.map((f) => [f.local, f.line]), [[local('src/main.py'), 4], [local('src/pkg/helper.py'), 5]]);
    });

    it('a chained exception: the last one raises at chain.py:8, the JSONDecodeError is its direct cause', async () => {
      const { s } = await cloudRun('chain', 'chain.py', { 'chain.py': 'chain.py' });
      assert.equal(s.exception, 'RuntimeError: cannot parse the settings');
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('chain.py'), 8]);
      assert.equal(s.traceback?.kind, 'python');
      if (s.traceback?.kind !== 'python') return;
      assert.deepEqual(s.traceback.chain.map((c) => [c.type, c.link]), [['json.decoder.JSONDecodeError', 'cause']]);
    });

    it('a non-zero sys.exit: exit code 3, no traceback, and the summary says so', async () => {
      const { s } = await cloudRun('exit3', 'exit3.py', { 'exit3.py': 'exit3.py' });
      assert.equal(s.exitCode, 3);
      assert.equal(s.class.kind, 'exit');
      assert.equal(s.traceback, undefined);
      assert.equal(s.failing, undefined);
      assert.equal(s.unknowns.length, 1);
      assert.match(s.unknowns[0], /without raising an exception \(for example with sys\.exit\)/);
    });

    it('killed with SIGKILL (exit 137): out of memory is the likely reason', async () => {
      const { s } = await cloudRun('kill', 'kill.py', { 'kill.py': 'kill.py' }, { AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['sh', '-c', `python3 ${CODE}/kill.py; exit $?`] } });
      assert.equal(s.exitCode, 137);
      assert.equal(s.class.kind, 'oom');
      assert.match(s.unknowns.join(' '), /the process was killed/);
    });

    it('an image that cannot be pulled: ClientError, no log stream, and why there is no traceback', async () => {
      const { d, s } = await cloudRun('pull', 'boom.py', { 'boom.py': 'boom.py' }, { AppSpecification: { ImageUri: `${ECR_HOST}/no-such-repo:missing`, ContainerEntrypoint: ['python3', `${CODE}/boom.py`] } });
      assert.equal(d.ProcessingJobStatus, 'Failed');
      assert.equal(s.class.kind, 'imagePull');
      assert.equal(s.class.category, 'ClientError');
      assert.equal(s.traceback, undefined);
      assert.match(s.unknowns.join(' '), /no log stream: it failed before its container started/);
    });

    it('a missing S3 input: ClientError naming the input, no log stream', async () => {
      const job = jobName('noinput');
      const { s } = await cloudRun(job, 'boom.py', { 'boom.py': 'boom.py' }, {
        ProcessingInputs: [
          await codeInput(`${job}-code`, { 'boom.py': 'boom.py' }),
          { InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/nothing-here/${job}`, LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
        ],
      });
      assert.equal(s.class.kind, 's3Input');
      assert.match(s.reason ?? '', /No S3 objects found/);
      assert.match(s.unknowns.join(' '), /no log stream/);
    });

    it('a failure on instance 2 of 2: algo-2 failed first, two.py:7', async () => {
      const { s } = await cloudRun('two', 'two.py', { 'two.py': 'two.py' }, { ProcessingResources: { ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } } });
      assert.equal(s.instance, 'algo-2');
      assert.equal(s.instanceCount, 2);
      assert.equal(s.exception, 'ValueError: instance 2 fails');
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('two.py'), 7]);
    });

    it('a job stopped by the user: Stopped, said in plain words, nothing unknown to report', async () => {
      const job = jobName('sleep');
      await sm.createProcessingJob({
        ProcessingJobName: job, RoleArn: ROLE, AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['python3', `${CODE}/sleep.py`] },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 }, ProcessingInputs: [await codeInput(job, { 'sleep.py': 'sleep.py' })],
      });
      await waitFor(`${job} to start its container`, () => cloud.backend.containersOf(job).length > 0, 120_000, 200);
      await sm.stopProcessingJob(job);
      const d = await whenEnded(job);
      assert.equal(d.ProcessingJobStatus, 'Stopped');
      const s = (await cloudFailureSummary(aws, d, definitionCandidatesAt(defFile)))!;
      assert.equal(s.class.kind, 'stopped');
      assert.deepEqual(s.unknowns, []);
    });

    it('a job that fails before any log line: exit 1 with an empty log, no traceback, and that is said', async () => {
      const { s } = await cloudRun('silent', 'boom.py', { 'boom.py': 'boom.py' }, { AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['false'] } });
      assert.equal(s.exitCode, 1);
      assert.equal(s.traceback, undefined);
      assert.match(s.unknowns.join(' '), /no traceback/);
    });

    it('an output path that is not writable (its bucket does not exist): ClientError about the output upload, after the script succeeded', async () => {
      const { d, s } = await cloudRun('unwritable', 'write.py', { 'write.py': 'write.py' }, {
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'result', S3Output: { S3Uri: 's3://no-such-bucket-for-failure/out', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
      });
      assert.equal(d.ProcessingJobStatus, 'Failed');
      assert.match(d.FailureReason ?? '', /^ClientError: Failed to upload the output "result" to s3:\/\/no-such-bucket-for-failure\/out \(NoSuchBucket/);
      assert.equal(s.class.kind, 's3Output');
      assert.equal(s.class.category, 'ClientError');
      assert.equal(s.traceback, undefined);
      assert.deepEqual(s.unknowns, []); // the script's log is there (it succeeded), and no traceback is expected
    });

    it('a PySpark failure, PLAYED (no Spark here): Py4JJavaError with the Java root cause, spark_job.py:13 in the workspace', async () => {
      assert.match(fs.readFileSync(local('spark_job.py'), 'utf8').split('\n')[12], /^sys\.stderr\.write\(/); // line 13 is the "write"
      const { s } = await cloudRun('spark', 'spark_job.py', { 'spark_job.py': 'spark_job.py' });
      assert.equal(s.exitCode, 1);
      assert.equal(s.exception, 'py4j.protocol.Py4JJavaError: An error occurred while calling o61.parquet.');
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('spark_job.py'), 13]);
      assert.equal(s.traceback?.kind, 'python');
      if (s.traceback?.kind !== 'python') return;
      assert.equal(s.traceback.java?.type, 'org.apache.spark.SparkException');
      assert.deepEqual(s.traceback.java?.causes.map((c) => c.type), ['java.io.FileNotFoundException']);
    });

    it('the CLI: run --wait --json exits 1 with the summary as a field; describe --json and logs carry it too', async () => {
      const out: string[] = [];
      const code = await cliMain(['run', 'boom', '--definition', defFile, '--wait', '--json', '--poll', '0.5', '--endpoint-url', cloud.endpoint, '--region', TEST_REGION], (l) => out.push(l));
      assert.equal(code, 1, out.join('\n'));
      const res = JSON.parse(out[out.length - 1]) as { name: string; status: string; failureSummary: { exception: string; failing: { local: string; line: number }; exitCode: number } };
      assert.equal(res.status, 'Failed');
      assert.equal(res.failureSummary.exception, 'ValueError: bad ratio: 2.0');
      assert.deepEqual(res.failureSummary.failing.local, local('boom.py'));
      assert.equal(res.failureSummary.failing.line, 6);
      assert.equal(res.failureSummary.exitCode, 1);
      const cwd = process.cwd();
      process.chdir(ws); // describe and logs map with the definition of the current folder
      try {
        const described: string[] = [];
        assert.equal(await cliMain(['describe', res.name, '--json', '--endpoint-url', cloud.endpoint, '--region', TEST_REGION], (l) => described.push(l)), 0);
        const dj = JSON.parse(described.join('\n')) as { ProcessingJobStatus: string; FailureSummary: { failing: { local: string; line: number } } };
        assert.equal(dj.ProcessingJobStatus, 'Failed');
        assert.deepEqual(dj.FailureSummary.failing, { file: `${CODE}/boom.py`, line: 6, local: local('boom.py') });
        const logged: string[] = [];
        assert.equal(await cliMain(['logs', res.name, '--endpoint-url', cloud.endpoint, '--region', TEST_REGION], (l) => logged.push(l)), 0);
        assert.ok(logged.includes('starting boom'), logged.join('\n'));
        assert.ok(logged.includes(`Failing line: boom.py:6`), logged.join('\n'));
        assert.ok(logged.some((l) => l.startsWith('Failure reason: AlgorithmError')), logged.join('\n'));
      } finally {
        process.chdir(cwd);
      }
    });
  });

  describe('local runner', () => {
    let cli: ContainerCli;
    let storageDir: string;
    before(() => {
      cli = new ContainerCli({ cli: DOCKER_CLI, env: { DOCKER_HOST: cloud.dockerd.env.DOCKER_HOST }, dockerConfig: cloud.dockerd.env.DOCKER_CONFIG });
      storageDir = scratchDir('failure-storage');
    });
    after(() => fs.rmSync(storageDir, { recursive: true, force: true }));

    /** Runs a definition job locally (as Run Locally does) and builds its summary from the record and the output. */
    async function localRun(key: string, stopWhen?: (line: string) => boolean, upload = false): Promise<FailureSummary> {
      const resolved = resolveLocalJob(fs.readFileSync(defFile, 'utf8'), key, { workspaceDir: ws, env: {} });
      const hosts = new Map<string, { timestamp: number; message: string }[]>();
      const ctl: { stop?: () => void } = {};
      const run = startLocalRun({
        spec: resolved.spec, jobKey: key, workspaceDir: ws, cli, storageDir, allowNetwork: resolved.allowNetwork,
        s3: async () => s3,
        ...(upload ? { uploadOutputs: true } : {}),
        onLine: (line, source, host = 'algo-1') => {
          if (source === 'system') return;
          hosts.set(host, [...(hosts.get(host) ?? []), { timestamp: Date.now(), message: line }]);
          if (stopWhen?.(line)) ctl.stop?.();
        },
      });
      ctl.stop = () => void run.stop();
      const rec = await run.done;
      const s = localFailureSummary(rec, { spec: resolved.spec, logs: [...hosts].map(([instance, events]) => ({ instance, events })) }, (p) => fs.existsSync(p));
      assert.ok(s, `a summary of ${key} (${rec.status}: ${rec.failureReason})`);
      return s!;
    }

    it('an exception in the script: boom.py:6', async () => {
      const s = await localRun('boom');
      assert.equal(s.exception, 'ValueError: bad ratio: 2.0');
      assert.equal(s.exitCode, 1);
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('boom.py'), 6]);
    });

    it('an exception in an imported module of the sourceDir (run through runproc.sh): src/pkg/helper.py:5', async () => {
      const s = await localRun('sd');
      assert.equal(s.exception, "FileNotFoundError: [Errno 2] No such file or directory: 'config.json'");
      assert.deepEqual([s.failing?.local, s.failing?.line], [local('src/pkg/helper.py'), 5]);
      assert.deepEqual(s.frames.filter((f) => f.local).map((f) => [f.local, f.line]), [[local('src/main.py'), 4], [local('src/pkg/helper.py'), 5]]);
    });

    it('a chained exception, a sys.exit(3) and a SIGKILL', async () => {
      const chain = await localRun('chain');
      assert.deepEqual([chain.exception, chain.failing?.line], ['RuntimeError: cannot parse the settings', 8]);
      const exit = await localRun('exit3');
      assert.deepEqual([exit.exitCode, exit.traceback, exit.class.kind], [3, undefined, 'exit']);
      const kill = await localRun('kill');
      assert.deepEqual([kill.exitCode, kill.class.kind], [137, 'oom']);
    });

    it('a failure on instance 2 of 2, an image that is not there, and a stopped run', async () => {
      const two = await localRun('two');
      assert.deepEqual([two.instance, two.exception, two.failing?.line], ['algo-2', 'ValueError: instance 2 fails', 7]);
      const pull = await localRun('pull');
      assert.equal(pull.class.kind, 'imagePull');
      assert.match(pull.unknowns.join(' '), /no log stream/);
      const stopped = await localRun('sleep', (l) => l === 'working');
      assert.equal(stopped.status, 'Stopped');
      assert.equal(stopped.class.kind, 'stopped');
    });

    it('a missing S3 input: ClientError naming the input and its URI, no log stream (like the cloud\'s summary)', async () => {
      const s = await localRun('noinput');
      assert.equal(s.status, 'Failed');
      assert.deepEqual([s.class.kind, s.class.category], ['s3Input', 'ClientError']);
      assert.match(s.reason ?? '', /No S3 objects found/);
      assert.ok((s.reason ?? '').includes(`s3://${BUCKET}/nothing-here/noinput`), s.reason);
      assert.ok((s.reason ?? '').includes('"data"'), s.reason);
      assert.equal(s.traceback, undefined);
      assert.match(s.unknowns.join(' '), /no log stream: it failed before its container started/);
    });

    it('a failure before any log line: exit 1, no traceback, and that is said', async () => {
      const s = await localRun('silent');
      assert.equal(s.status, 'Failed');
      assert.deepEqual([s.exitCode, s.class.kind, s.class.category], [1, 'exit', 'AlgorithmError']);
      assert.equal(s.traceback, undefined);
      assert.match(s.unknowns.join(' '), /no log stream, so there is no traceback: its container wrote nothing/);
    });

    describe('a job submitted elsewhere, re-run from its own request (not from the definition)', () => {
      const DATA = 'a,b\n1,2\n3,4\n5,6\n'; // 3 rows under a header
      /** The request, by hand: what the local run must reproduce. */
      async function handWritten(job: string, script: string, scriptText: string, args: string[]): Promise<CreateProcessingJobRequest> {
        await s3.upload(BUCKET, `elsewhere/${job}/code/${script}`, Buffer.from(scriptText));
        await s3.upload(BUCKET, `elsewhere/${job}/data/data.csv`, Buffer.from(DATA));
        return {
          ProcessingJobName: job, RoleArn: ROLE,
          AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['python3', `${CODE}/${script}`], ContainerArguments: args },
          Environment: { REPLAY_MODE: 'hand-written' },
          ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 } },
          StoppingCondition: { MaxRuntimeInSeconds: 600 },
          ProcessingInputs: [
            { InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/elsewhere/${job}/data`, LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
            { InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/elsewhere/${job}/code`, LocalPath: CODE, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
          ],
          ProcessingOutputConfig: { Outputs: [{ OutputName: 'result', S3Output: { S3Uri: `s3://${BUCKET}/elsewhere/${job}/out`, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
        };
      }

      async function replayRun(job: string): Promise<{ lines: string[]; s?: FailureSummary; status: string; localName: string; code: { from: string; path: string }[]; notes: string[] }> {
        const d = await sm.describeProcessingJob(job);
        const localName = `${job}-local`;
        const candidates = definitionCandidatesAt(defFile);
        const r = await replayJob(d, {
          s3, localName,
          mapPath: (f) => mapWithCandidates(f, candidates, (p) => fs.existsSync(p))?.local,
          locate: (rel) => (fs.existsSync(path.join(ws, rel)) ? path.join(ws, rel) : undefined),
          codeDir: (input) => path.join(ws, '.sagemaker-local', `${job}-code`, input),
        });
        const lines: string[] = [];
        const run = startLocalRun({
          spec: r.spec, jobKey: '', workspaceDir: ws, cli, storageDir, allowNetwork: r.allowNetwork, roleArn: r.roleArn, localOnlyOutputs: r.localOnlyOutputs,
          s3: async () => s3,
          onLine: (line, source) => {
            if (source !== 'system') lines.push(line);
          },
        });
        const rec = await run.done;
        const s = localFailureSummary(rec, { spec: r.spec, logs: [{ instance: 'algo-1', events: lines.map((message) => ({ timestamp: Date.now(), message })) }] }, (p) => fs.existsSync(p));
        return { lines, s, status: rec.status, localName, code: r.code, notes: r.notes };
      }

      it('the script is a workspace file: same image, arguments, environment and S3 data as the request; the failure at replay.py:11 in the workspace', async () => {
        const job = jobName('elsewhere');
        await sm.createProcessingJob(await handWritten(job, 'replay.py', REPLAY_PY, ['bad', '--ratio', '2.5']));
        const d = await whenEnded(job);
        assert.equal(d.ProcessingJobStatus, 'Failed');
        const r = await replayRun(job);
        assert.deepEqual(r.code, [{ input: 'code', from: 'workspace', path: local('replay.py') }]);
        assert.equal(r.status, 'Failed');
        assert.ok(r.lines.includes("argv ['bad', '--ratio', '2.5']"), r.lines.join('\n'));
        assert.ok(r.lines.includes('mode hand-written'), r.lines.join('\n'));
        assert.ok(r.lines.includes('rows 3'), r.lines.join('\n'));
        assert.equal(r.s?.exception, 'ValueError: replayed failure: bad');
        assert.deepEqual([r.s?.failing?.local, r.s?.failing?.line], [local('replay.py'), 11]);
        // What it could not reproduce is said.
        const notes = r.notes.join('\n');
        assert.match(notes, /not on ml\.m5\.large × 1/);
        assert.match(notes, new RegExp(`not the job's role ${ROLE.replace(/[/:]/g, '.')}`));
        assert.match(notes, /not uploaded to the job's S3 destinations/);
        assert.match(notes, /maximum runtime \(600 s\) is not enforced/);
      });

      it('the script is not in the workspace: downloaded from the code input, the outputs written locally and not uploaded', async () => {
        const job = jobName('elsewhere-dl');
        // Another person's script (not a file of the workspace): the same program under another name, line 11 too.
        await sm.createProcessingJob(await handWritten(job, 'theirs.py', REPLAY_PY, ['ok']));
        const d = await whenEnded(job);
        assert.equal(d.ProcessingJobStatus, 'Completed');
        const before = await s3.listObjects(BUCKET, `elsewhere/${job}/out`);
        const r = await replayRun(job);
        const codeDir = path.join(ws, '.sagemaker-local', `${job}-code`, 'code');
        assert.deepEqual(r.code, [{ input: 'code', from: 'downloaded', path: codeDir }]);
        assert.equal(fs.readFileSync(path.join(codeDir, 'theirs.py'), 'utf8'), REPLAY_PY);
        assert.equal(r.status, 'Completed', r.lines.join('\n'));
        assert.ok(r.lines.includes("argv ['ok']"), r.lines.join('\n'));
        assert.equal(fs.readFileSync(path.join(ws, '.sagemaker-local', r.localName, 'result', 'result.txt'), 'utf8'), '3 rows\n');
        assert.deepEqual((await s3.listObjects(BUCKET, `elsewhere/${job}/out`)).map((o) => [o.key, o.etag]), before.map((o) => [o.key, o.etag]));
      });

      it('the downloaded script fails: the failing line is the downloaded file\'s line 11', async () => {
        const job = jobName('elsewhere-dlf');
        await sm.createProcessingJob(await handWritten(job, 'theirs.py', REPLAY_PY, ['nope']));
        await whenEnded(job);
        const r = await replayRun(job);
        assert.equal(r.s?.exception, 'ValueError: replayed failure: nope');
        assert.deepEqual([r.s?.failing?.local, r.s?.failing?.line], [path.join(ws, '.sagemaker-local', `${job}-code`, 'code', 'theirs.py'), 11]);
      });
    });

    it('an output that cannot be uploaded (its bucket does not exist), and the played PySpark failure', async () => {
      const out = await localRun('unwritable', undefined, true);
      assert.equal(out.status, 'Failed');
      assert.match(out.reason ?? '', /^Failed to upload the output "result" to s3:\/\/no-such-bucket-for-failure\/out \(NoSuchBucket/);
      assert.deepEqual([out.class.kind, out.class.category, out.traceback], ['s3Output', 'ClientError', undefined]);
      const spark = await localRun('spark');
      assert.equal(spark.exception, 'py4j.protocol.Py4JJavaError: An error occurred while calling o61.parquet.');
      assert.deepEqual([spark.failing?.local, spark.failing?.line, spark.exitCode], [local('spark_job.py'), 13, 1]);
    });
  });
});
