// The local SageMaker backend (test/support/localSageMaker) against real parts: moto, the TLS registry under the ECR
// host name, a private dockerd with the offline base image. The project's own SageMaker, S3 and Logs wrappers are the
// clients, pointed at the backend (which forwards S3 and Logs to moto). One backend for the whole file.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsClients } from '../../src/aws/index';
import type { SageMakerApi, CreateProcessingJobRequest, ProcessingJobDescription } from '../../src/aws/sagemaker';
import type { S3Api } from '../../src/aws/s3';
import type { LogsApi } from '../../src/aws/logs';
import { runLogsCommand } from '../../src/core/logs/run';
import { useMotoEnv, TEST_ACCOUNT, TEST_REGION } from '../support/moto';
import { waitFor } from '../support/net';
import { ROOT, scratchDir } from '../support/paths';
import { startLocalCloud, ECR_HOST, type LocalCloud } from '../support/localSageMaker/stack';
import { LOG_GROUP } from '../support/localSageMaker/logWriter';

const ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`;
const BASE = 'local/python-base:latest';
const BUCKET = 'backend-test';
const INGESTION_DELAY_MS = 3000;

let seq = 0;
const jobName = (base: string) => `${base}-${Date.now().toString(36)}-${++seq}`;

describe('local SageMaker backend (moto + registry + dockerd)', () => {
  let cloud: LocalCloud;
  let aws: AwsClients;
  let sm: SageMakerApi;
  let s3: S3Api;
  let logs: LogsApi;
  let restoreEnv: () => void;

  before(async () => {
    cloud = await startLocalCloud({ backend: { logBatchMs: 500, logIngestionDelayMs: INGESTION_DELAY_MS, continuousUploadMs: 300 } });
    restoreEnv = useMotoEnv(cloud.moto);
    aws = new AwsClients({ endpointUrl: cloud.endpoint, region: TEST_REGION });
    [sm, s3, logs] = await Promise.all([aws.sagemaker(), aws.s3(), aws.logs()]);
    await s3.ensureBucket(BUCKET, TEST_REGION);
  });
  after(async () => {
    aws?.dispose();
    restoreEnv?.();
    await cloud?.stop();
  });

  /** Uploads a script as the code input of a job, as the SDK does: s3://<bucket>/<job>/input/code/<name>. */
  async function code(job: string, name: string, text: string): Promise<NonNullable<CreateProcessingJobRequest['ProcessingInputs']>[number]> {
    await s3.upload(BUCKET, `${job}/input/code/${name}`, text);
    return { InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/${job}/input/code/${name}`, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } };
  }

  function request(job: string, over: Partial<CreateProcessingJobRequest> = {}, script = 'job.py'): CreateProcessingJobRequest {
    return {
      ProcessingJobName: job,
      RoleArn: ROLE,
      AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['python3', `/opt/ml/processing/input/code/${script}`] },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      ...over,
    };
  }

  /** The job's description once its status is one of `statuses` (waitFor, with a deadline). */
  async function whenStatus(job: string, statuses: string[], timeoutMs = 120_000): Promise<ProcessingJobDescription> {
    return waitFor(`${job} to be ${statuses.join('/')}`, async () => {
      const d = await sm.describeProcessingJob(job);
      return statuses.includes(d.ProcessingJobStatus ?? '') ? d : undefined;
    }, timeoutMs, 200);
  }

  async function events(stream: string): Promise<{ message: string; timestamp: number; ingestionTime: number }[]> {
    const out = await logs.client.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: stream, startFromHead: true }));
    return (out.events ?? []).map((e) => ({ message: e.message ?? '', timestamp: e.timestamp ?? 0, ingestionTime: e.ingestionTime ?? 0 }));
  }

  async function containersLeft(job: string): Promise<string[]> {
    const names = cloud.backend.containersOf(job);
    assert.ok(names.length > 0, 'the run had containers');
    const out = await cloud.dockerd.docker(['ps', '-a', '--format', '{{.Names}}']);
    return out.stdout.split('\n').filter((n) => names.includes(n));
  }

  it('the census job runs: InProgress, then Completed with its outputs in S3 and its lines in CloudWatch', async () => {
    const job = jobName('census');
    await s3.upload(BUCKET, `${job}/input/census/census-income.csv`, fs.readFileSync(path.join(ROOT, 'examples', 'census', 'data', 'census-income.csv')));
    const req = request(job, {
      ProcessingInputs: [
        { InputName: 'census', S3Input: { S3Uri: `s3://${BUCKET}/${job}/input/census`, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
        await code(job, 'preprocessing.py', fs.readFileSync(path.join(ROOT, 'examples', 'census', 'preprocessing.py'), 'utf8')),
      ],
      ProcessingOutputConfig: { Outputs: ['train', 'test'].map((s) => ({ OutputName: `${s}_data`, S3Output: { S3Uri: `s3://${BUCKET}/${job}/output/${s}_data`, LocalPath: `/opt/ml/processing/${s}`, S3UploadMode: 'EndOfJob' as const } })) },
      AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'], ContainerArguments: ['--train-test-split-ratio', '0.2'] },
      Environment: { SMP_TEST: 'yes' },
    }, 'preprocessing.py');
    const arn = await sm.createProcessingJob(req);
    assert.equal(arn, `arn:aws:sagemaker:${TEST_REGION}:${TEST_ACCOUNT}:processing-job/${job.toLowerCase()}`);
    const first = await sm.describeProcessingJob(job);
    assert.equal(first.ProcessingJobStatus, 'InProgress');
    // Listed while it runs, with the status filter.
    const running = await sm.listProcessingJobs({ status: 'InProgress' });
    assert.ok(running.jobs.some((j) => j.name === job), JSON.stringify(running.jobs));

    const d = await whenStatus(job, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d.ProcessingJobStatus, 'Completed', `${d.FailureReason} ${d.ExitMessage}`);
    assert.deepEqual(d.ProcessingResources, req.ProcessingResources);
    assert.deepEqual(d.AppSpecification, req.AppSpecification);
    assert.deepEqual(d.Environment, { SMP_TEST: 'yes' });
    assert.equal(d.RoleArn, ROLE);
    assert.ok(d.CreationTime! <= d.ProcessingStartTime! && d.ProcessingStartTime! <= d.ProcessingEndTime!, 'times in order');
    assert.ok(d.LastModifiedTime! >= d.ProcessingEndTime!);

    for (const s of ['train', 'test']) {
      const objs = (await s3.listObjects(BUCKET, `${job}/output/${s}_data/`)).map((o) => o.key.split('/').pop()).sort();
      assert.deepEqual(objs, [`${s}_features.csv`, `${s}_labels.csv`]);
    }
    const labels = scratchDir('dl');
    await s3.downloadToFile(BUCKET, `${job}/output/test_data/test_labels.csv`, path.join(labels, 'l.csv'));
    assert.match(fs.readFileSync(path.join(labels, 'l.csv'), 'utf8'), /^[01]\n[01]\n/);

    // One stream, `<job>/algo-1-<epoch>`, with the script's own lines in order (ingested a little later).
    const streams = await logs.listStreams(LOG_GROUP, `${job}/`);
    assert.deepEqual(streams.map((s) => s.name.replace(/-\d{10}$/, '-E')), [`${job}/algo-1-E`]);
    const lines = await waitFor('the last line in CloudWatch', async () => {
      const ev = (await events(streams[0].name)).map((e) => e.message);
      return ev.some((l) => l.startsWith('Saving test labels')) ? ev : undefined;
    }, 30_000, 250);
    const order = ['Received arguments', 'Reading input data from /opt/ml/processing/input/census-income.csv', 'Data after cleaning', 'Splitting data', 'Saving train features', 'Saving test labels'];
    const idx = order.map((o) => lines.findIndex((l) => l.startsWith(o)));
    assert.ok(idx.every((i, n) => i >= 0 && (n === 0 || i > idx[n - 1])), `lines out of order or missing:\n${lines.join('\n')}`);
    assert.deepEqual(await containersLeft(job), []);
  });

  it('validates like SageMaker: name pattern and uniqueness (ResourceInUse), role ARN, instance type and count, limits', async () => {
    const job = jobName('dup');
    await sm.createProcessingJob(request(job, { AppSpecification: { ImageUri: BASE, ContainerEntrypoint: ['true'] } }));
    const reject = async (req: CreateProcessingJobRequest, name: string, message: RegExp) => {
      const err = await sm.createProcessingJob(req).then(() => assert.fail(`accepted: ${JSON.stringify(req)}`), (e: Error) => e);
      assert.equal(err.name, name, err.message);
      assert.match(err.message, message);
    };
    await reject(request(job), 'ResourceInUse', /Job name must be unique within an AWS account and region, and a job with this name already exists \(arn:aws:sagemaker:us-east-1:123456789012:processing-job\//);
    await reject(request(job.toUpperCase()), 'ResourceInUse', /already exists/);
    await reject(request('bad_name'), 'ValidationException', /Value 'bad_name' at 'processingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await reject(request(jobName('x'), { RoleArn: 'SageMakerRole' }), 'ValidationException', /at 'roleArn' failed to satisfy constraint/);
    await reject(request(jobName('x'), { ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.huge' as never, VolumeSizeInGB: 30 } } }), 'ValidationException', /'ml\.m5\.huge' at 'processingResources\.clusterConfig\.instanceType'.*enum value set/);
    await reject(request(jobName('x'), { ProcessingResources: { ClusterConfig: { InstanceCount: 101, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } } }), 'ValidationException', /instanceCount' failed to satisfy constraint: Member must have value less than or equal to 100/);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ InputName: `i${i}`, S3Input: { S3Uri: `s3://${BUCKET}/x`, LocalPath: `/opt/ml/processing/i${i}`, S3DataType: 'S3Prefix' as const } }));
    await reject(request(jobName('x'), { ProcessingInputs: tooMany }), 'ValidationException', /'processingInputs' failed to satisfy constraint: Member must have length less than or equal to 10/);
    await reject(request(jobName('x'), { ProcessingInputs: [{ InputName: 'a', S3Input: { S3Uri: `s3://${BUCKET}/x`, LocalPath: '/tmp/a', S3DataType: 'S3Prefix' } }] }), 'ValidationException', /localPath/);
    await reject(request(jobName('x'), { AppSpecification: { ImageUri: BASE, ContainerArguments: ['a'.repeat(257)] } }), 'ValidationException', /containerArguments\.1\.member' failed to satisfy constraint: Member must have length less than or equal to 256/);
    // An unknown job.
    const missing = await sm.describeProcessingJob('no-such-job').then(() => assert.fail('found'), (e: Error) => e);
    assert.equal(missing.name, 'ValidationException');
    assert.match(missing.message, /Could not find requested job with name no-such-job/);
    assert.equal(await cloud.backend.settled(job), 'Completed');
  });

  it('an image that cannot be pulled fails the job with a ClientError reason, no container started', async () => {
    const job = jobName('noimage');
    await sm.createProcessingJob(request(job, { AppSpecification: { ImageUri: `${ECR_HOST}/no-such-repo:latest`, ContainerEntrypoint: ['true'] } }));
    const d = await whenStatus(job, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d.ProcessingJobStatus, 'Failed');
    assert.equal(d.FailureReason, `ClientError: Requested image ${ECR_HOST}/no-such-repo:latest not found.`);
    assert.equal(d.ProcessingStartTime, undefined);
    assert.deepEqual(cloud.backend.containersOf(job), []);
    // A missing S3 input says so the way SageMaker does.
    const job2 = jobName('noinput');
    await sm.createProcessingJob(request(job2, { ProcessingInputs: [{ InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/nothing/here`, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix' } }] }));
    const d2 = await whenStatus(job2, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d2.ProcessingJobStatus, 'Failed');
    assert.match(d2.FailureReason ?? '', /^ClientError: No S3 objects found under S3 URL "s3:\/\/backend-test\/nothing\/here"/);
    // What SageMaker accepts and the backend cannot play fails the job saying so, never silently.
    const job3 = jobName('pipe');
    await sm.createProcessingJob(request(job3, { ProcessingInputs: [{ InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/x`, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'Pipe' } }] }));
    const d3 = await whenStatus(job3, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d3.FailureReason, 'ClientError: input data: Pipe mode is not emulated by the local backend');
  });

  it('a script that exits 1 → Failed with the reason and its last lines as the exit message', async () => {
    const job = jobName('fails');
    await sm.createProcessingJob(request(job, { ProcessingInputs: [await code(job, 'job.py', 'import sys\nprint("working")\nprint("bad row 17", file=sys.stderr)\nsys.exit(1)\n')] }));
    const d = await whenStatus(job, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d.ProcessingJobStatus, 'Failed');
    assert.equal(d.FailureReason, 'AlgorithmError: the script exited with code 1. See job logs for more information');
    assert.equal(d.ExitMessage, 'bad row 17');
    assert.ok(d.ProcessingEndTime);
    const stream = cloud.backend.streamsOf(job)[0];
    await waitFor('both lines in CloudWatch', async () => (await events(stream)).length === 2, 30_000, 250);
    // stdout and stderr are two pipes: which of the two lines is read first is not fixed (nor is it in SageMaker).
    assert.deepEqual((await events(stream)).map((e) => e.message).sort(), ['bad row 17', 'working']);
  });

  it('Stop on a running job → Stopping → Stopped, its containers gone; a Continuous output was uploaded while it ran', async () => {
    const job = jobName('stop');
    const script = 'import time, pathlib\npathlib.Path("/opt/ml/processing/out/early.txt").write_text("early\\n")\nprint("started", flush=True)\ntime.sleep(300)\n'; // the job's own work: it runs until the test stops it
    await sm.createProcessingJob(request(job, {
      ProcessingInputs: [await code(job, 'job.py', script)],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://${BUCKET}/${job}/out`, LocalPath: '/opt/ml/processing/out', S3UploadMode: 'Continuous' } }] },
    }));
    // Continuous: the file is in S3 while the job is still running.
    await waitFor('early.txt in S3', async () => (await s3.listObjects(BUCKET, `${job}/out/`)).some((o) => o.key === `${job}/out/early.txt`), 60_000, 250);
    assert.equal((await sm.describeProcessingJob(job)).ProcessingJobStatus, 'InProgress');
    assert.equal((await containersLeft(job)).length, 1, 'the container is running');
    await sm.stopProcessingJob(job);
    const stopping = await sm.describeProcessingJob(job);
    assert.ok(['Stopping', 'Stopped'].includes(stopping.ProcessingJobStatus ?? ''), stopping.ProcessingJobStatus);
    const d = await whenStatus(job, ['Stopped', 'Completed', 'Failed'], 60_000);
    assert.equal(d.ProcessingJobStatus, 'Stopped');
    assert.ok(d.ProcessingEndTime);
    assert.deepEqual(await containersLeft(job), []);
    // Stopping a stopped job is refused.
    const err = await sm.stopProcessingJob(job).then(() => assert.fail('accepted'), (e: Error) => e);
    assert.equal(err.name, 'ValidationException');
  });

  it('2 instances with a ShardedByS3Key input: each sees only its shard, both streams exist, one network', async () => {
    const job = jobName('shard');
    const keys = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
    for (const k of keys) await s3.upload(BUCKET, `${job}/data/${k}`, `${k}\n`);
    const script = [
      'import json, os, socket',
      'cfg = json.load(open("/opt/ml/config/resourceconfig.json"))',
      'job = json.load(open("/opt/ml/config/processingjobconfig.json"))',
      'files = sorted(os.listdir("/opt/ml/processing/data"))',
      'peer = [h for h in cfg["hosts"] if h != cfg["current_host"]][0]',
      'import time',
      // A handshake instead of a fixed pause: each instance listens, reaches its peer by name (retrying for up to 30 s
      // while the peer starts), then waits (at most 30 s) until the peer has reached it, so neither exits while the
      // other still needs its name.
      'srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("", 7070)); srv.listen(1); srv.settimeout(30)',
      'for _ in range(150):',
      '    try:',
      '        socket.create_connection((peer, 7070), timeout=1).close(); break',
      '    except OSError: time.sleep(0.2)',
      'else: raise SystemExit(f"{peer} never answered")',
      'print(f"{cfg[\'current_host\']} of {cfg[\'hosts\']} saw {files} peer {peer} resolves", flush=True)',
      'print(job["ProcessingInputs"][0]["S3Input"]["S3DataDistributionType"], flush=True)',
      'open(f"/opt/ml/processing/out/{cfg[\'current_host\']}.json", "w").write(json.dumps(files))',
      'srv.accept()[0].close()',
    ].join('\n') + '\n';
    await sm.createProcessingJob(request(job, {
      ProcessingResources: { ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      ProcessingInputs: [
        { InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/${job}/data`, LocalPath: '/opt/ml/processing/data', S3DataType: 'S3Prefix', S3DataDistributionType: 'ShardedByS3Key' } },
        await code(job, 'job.py', script),
      ],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://${BUCKET}/${job}/out`, LocalPath: '/opt/ml/processing/out', S3UploadMode: 'EndOfJob' } }] },
      NetworkConfig: { EnableNetworkIsolation: true },
    }));
    const d = await whenStatus(job, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d.ProcessingJobStatus, 'Completed', `${d.FailureReason} ${d.ExitMessage}`);
    const seen: Record<string, string[]> = {};
    for (const h of ['algo-1', 'algo-2']) {
      const dir = scratchDir('dl');
      await s3.downloadToFile(BUCKET, `${job}/out/${h}.json`, path.join(dir, 'x.json'));
      seen[h] = JSON.parse(fs.readFileSync(path.join(dir, 'x.json'), 'utf8'));
    }
    assert.deepEqual(seen, { 'algo-1': ['a.txt', 'c.txt', 'e.txt'], 'algo-2': ['b.txt', 'd.txt'] });
    const streams = (await logs.listStreams(LOG_GROUP, `${job}/`)).map((s) => s.name);
    assert.deepEqual(streams.map((s) => s.replace(/-\d{10}$/, '')).sort(), [`${job}/algo-1`, `${job}/algo-2`]);
    for (const [n, h] of (['algo-1', 'algo-2'] as const).entries()) {
      const stream = streams.find((s) => s.startsWith(`${job}/${h}-`))!;
      const ev = await waitFor(`${h}'s lines`, async () => {
        const e = (await events(stream)).map((x) => x.message);
        return e.length >= 2 ? e : undefined;
      }, 30_000, 250);
      assert.deepEqual(ev, [`${h} of ['algo-1', 'algo-2'] saw ${JSON.stringify(seen[h]).replace(/"/g, '\'').replace(/,/g, ', ')} peer algo-${2 - n} resolves`, 'ShardedByS3Key']);
    }
  });

  it('lines ingested after the job ended land in CloudWatch, and the project\'s log follower shows each once', async () => {
    const job = jobName('late');
    const script = 'for i in range(1, 31):\n    print(f"line {i}", flush=True)\n';
    await sm.createProcessingJob(request(job, { ProcessingInputs: [await code(job, 'job.py', script)] }));
    const lines: string[] = [];
    const code0 = await runLogsCommand(aws, job, true, (l) => lines.push(l), { tailer: { poll: { activeMs: 500, idleMinMs: 500, idleMaxMs: 1000 }, statusEveryMs: 500 } });
    assert.equal(code0, 0);
    const d = await sm.describeProcessingJob(job);
    assert.equal(d.ProcessingJobStatus, 'Completed');
    const expected = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    assert.deepEqual(lines.filter((l) => l.startsWith('line ')), expected, lines.join('\n'));
    // They were really ingested after the end: CloudWatch's ingestion time of the last line is after ProcessingEndTime.
    const ev = await events(cloud.backend.streamsOf(job)[0]);
    assert.deepEqual(ev.map((e) => e.message), expected);
    assert.ok(ev[29].ingestionTime > d.ProcessingEndTime!.getTime(), `last line ingested at ${ev[29].ingestionTime}, job ended ${d.ProcessingEndTime!.getTime()}`);
    // Every line waited the configured ingestion delay.
    for (const e of ev) assert.ok(e.ingestionTime - e.timestamp >= INGESTION_DELAY_MS - 50, `"${e.message}" ingested ${e.ingestionTime - e.timestamp} ms after it was written`);
  });
  it('one instance\'s stdout and stderr lines reach CloudWatch in the order the container wrote them, even when the backend reads late', async () => {
    const job = jobName('order');
    // The script numbers its own lines: bursts of 3 flushed lines, stdout and stderr in turn, 0.1 s apart (the engine
    // itself reads the two through separate pipes, so only writes apart in time have an order it can keep — as in
    // SageMaker, whose containers run on the same kind of engine).
    const script = [
      'import sys, time',
      'for b in range(40):',
      '    for k in range(3):',
      '        i = b * 3 + k',
      '        if b % 2:',
      '            sys.stderr.write(f"seq {i} err\\n"); sys.stderr.flush()',
      '        else:',
      '            print(f"seq {i} out", flush=True)',
      '    time.sleep(0.1)  # the workload\'s own pacing (bursts apart in time), not a wait of the test',
      '',
    ].join('\n');
    await sm.createProcessingJob(request(job, { ProcessingInputs: [await code(job, 'job.py', script)] }));
    await waitFor(`${job}'s container running`, async () => {
      const names = cloud.backend.containersOf(job);
      if (!names.length) return false;
      const ps = await cloud.dockerd.docker(['ps', '--filter', `name=${names[0]}`, '--filter', 'status=running', '--format', '{{.Names}}']);
      return ps.stdout.includes(names[0]);
    }, 120_000, 50);
    // A loaded host: the backend's process (this one) reads nothing for 2.5 s while the container writes both streams.
    const until = Date.now() + 2500;
    while (Date.now() < until) { /* busy on purpose */ }
    const d = await whenStatus(job, ['Completed', 'Failed', 'Stopped']);
    assert.equal(d.ProcessingJobStatus, 'Completed', d.FailureReason);
    const stream = cloud.backend.streamsOf(job)[0];
    const got = await waitFor('120 lines in CloudWatch', async () => {
      const ev = await events(stream);
      return ev.length >= 120 ? ev : undefined;
    }, 60_000, 250);
    assert.deepEqual(got.map((e) => e.message), Array.from({ length: 120 }, (_, i) => `seq ${i} ${Math.floor(i / 3) % 2 ? 'err' : 'out'}`));
  });
});
