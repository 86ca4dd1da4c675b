// Scheduled jobs that really run: "Schedule Job…" (the CLI's `schedule`, core/schedule/service) against the local
// SageMaker backend (moto + TLS registry + private dockerd), whose pipelines.ts runs a pipeline execution's Processing
// step as a real processing job. Run Now → a job with logs, named by ListPipelineExecutionSteps, the execution's
// status following it (Succeeded and Failed); a rate schedule fired through the backend's hook; the Experiments config
// by region (expected from the SDK's own list); the same code from two folders → the same key; a sourceDir job; a
// build job built, pushed and pinned to the registry's digest.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribePipelineExecutionCommand, ListPipelineExecutionStepsCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-sagemaker';
import { AwsClients } from '../../src/aws/index';
import { useMotoEnv, TEST_ACCOUNT, TEST_REGION } from '../support/moto';
import { waitFor } from '../support/net';
import { CACHE, ROOT, requireFile, scratchDir } from '../support/paths';
import { cliIn } from '../support/proc';
import { startLocalCloud, ECR_HOST, ECR_PASSWORD, type LocalCloud } from '../support/localSageMaker/stack';
import { LOG_GROUP } from '../support/localSageMaker/logWriter';

const ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`;
const SCHED_ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SchedulerRole`;
const BASE = 'local/python-base:latest';
const BUCKET = `sagemaker-${TEST_REGION}-${TEST_ACCOUNT}`;
const GROUP = 'sagemaker-processing';
const SDK_PYTHON = path.join(CACHE, 'bench-venv', 'bin', 'python');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('scheduled jobs run in the local SageMaker backend', () => {
  let cloud: LocalCloud;
  let aws: AwsClients;
  let restoreEnv: () => void;
  let env: Record<string, string>;
  const scratch: string[] = [];

  /** A workspace with `.vscode/sagemaker-processing.json` and the given files. */
  function workspace(prefix: string, jobs: Json, files: Record<string, string>, sub = 'ws'): string {
    const root = scratchDir(prefix);
    scratch.push(root);
    const ws = path.join(root, sub);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    }
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    // The offline base image (python3, pandas, scikit-learn) from the dockerd, unless the job builds its own.
    const withImage = Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, j.build ? j : { image: BASE, ...j }]));
    fs.writeFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: withImage }, null, 2));
    return ws;
  }

  const cli = (args: string[], extra: Record<string, string> = {}, timeoutMs = 120_000) => cliIn([...args, '--endpoint-url', cloud.endpoint], { ...env, ...extra }, ROOT, timeoutMs);

  /** `schedule <key>` from a workspace; the CLI's JSON answer. */
  async function schedule(ws: string, key: string, extra: string[] = [], extraEnv: Record<string, string> = {}): Promise<Json> {
    const r = await cli(['schedule', key, '--definition', path.join(ws, '.vscode', 'sagemaker-processing.json'), '--schedule-role', SCHED_ROLE, '--json', ...extra], extraEnv, 600_000);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  async function sm() {
    return (await aws.pipelines()).client;
  }

  async function definitionOf(pipeline: string, region = TEST_REGION): Promise<Json> {
    const a = region === TEST_REGION ? aws : new AwsClients({ endpointUrl: cloud.endpoint, region });
    try {
      const p = await (await a.pipelines()).describePipeline(pipeline);
      assert.ok(p, `pipeline ${pipeline} in ${region}`);
      return JSON.parse(p.definition);
    } finally {
      if (a !== aws) a.dispose();
    }
  }

  /** The execution once it has ended (DescribePipelineExecution, with a deadline). */
  async function ended(arn: string): Promise<Json> {
    const c = await sm();
    return waitFor(`pipeline execution ${arn} to end`, async () => {
      const d = await c.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
      return d.PipelineExecutionStatus === 'Executing' || d.PipelineExecutionStatus === 'Stopping' ? undefined : (d as Json);
    }, 300_000, 500);
  }

  async function steps(arn: string): Promise<Json[]> {
    return ((await (await sm()).send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }))).PipelineExecutionSteps ?? []) as Json[];
  }

  /** Every line the job's instance wrote to CloudWatch Logs (waits for the stream and for `until`). */
  async function logLines(job: string, until: RegExp): Promise<string[]> {
    const logs = await aws.logs();
    return waitFor(`the log of ${job} to show ${until}`, async () => {
      const streams = await logs.listStreams(LOG_GROUP, `${job}/`);
      if (!streams.length) return undefined;
      const out = await logs.client.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: streams[0].name, startFromHead: true }));
      const lines = (out.events ?? []).map((e) => e.message ?? '');
      return lines.some((l) => until.test(l)) ? lines : undefined;
    }, 60_000, 500);
  }

  before(async () => {
    // The clock is off: every run here is started on purpose (Run Now, or the schedule's firing through the hook).
    cloud = await startLocalCloud({ backend: { logBatchMs: 300, logIngestionDelayMs: 500, scheduleTickMs: false } });
    restoreEnv = useMotoEnv(cloud.moto);
    env = { ...cloud.moto.env };
    aws = new AwsClients({ endpointUrl: cloud.endpoint, region: TEST_REGION });
  });
  after(async () => {
    aws?.dispose();
    restoreEnv?.();
    await cloud?.stop();
    for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
  });

  it('Run Now: a real processing job with logs, named by ListPipelineExecutionSteps; the execution Succeeded with it', async () => {
    const censusDir = path.join(ROOT, 'examples', 'census');
    const ws = workspace('sched-census', {
      census: {
        script: 'preprocessing.py',
        inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
        outputs: [{ name: 'train_data', source: '/opt/ml/processing/train' }, { name: 'test_data', source: '/opt/ml/processing/test' }],
        arguments: ['--train-test-split-ratio', '0.2'],
        schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin' },
      },
    }, {
      'preprocessing.py': fs.readFileSync(path.join(censusDir, 'preprocessing.py'), 'utf8'),
      'data/census-income.csv': fs.readFileSync(path.join(censusDir, 'data', 'census-income.csv'), 'utf8'),
    });
    const out = await schedule(ws, 'census');
    assert.equal(out.pipeline, 'created');
    const r = await cli(['schedules', 'run', 'census']);
    assert.equal(r.status, 0, r.stderr);
    const arn = r.stdout.trim();
    const id = /\/execution\/([a-z0-9]+)$/.exec(arn)?.[1];
    assert.ok(id, arn);
    const d = await ended(arn);
    assert.equal(d.PipelineExecutionStatus, 'Succeeded', JSON.stringify(d));
    const [step] = await steps(arn);
    assert.equal(step.StepName, 'census');
    assert.equal(step.StepStatus, 'Succeeded');
    const jobArn = step.Metadata?.ProcessingJob?.Arn as string;
    const job = jobArn.split('/').pop()!;
    // Pipelines names the step's job pipelines-<execution id>-<step name>-<random> (SageMaker Developer Guide).
    assert.match(job, new RegExp(`^pipelines-${id}-census-[a-z0-9]{10}$`));
    const desc = await (await aws.sagemaker()).describeProcessingJob(job);
    assert.equal(desc.ProcessingJobStatus, 'Completed');
    const lines = await logLines(job, /Saving test labels/);
    assert.ok(lines.some((l) => l.includes('Received arguments')), lines.join('\n'));
    // The per-execution output prefix (Std:Join with Execution.PipelineExecutionId) resolved to this execution's id.
    const objects = await (await aws.s3()).listObjects(BUCKET, `census/${id}/census/output/train_data/`);
    assert.ok(objects.some((o) => o.key.endsWith('train_features.csv')), JSON.stringify(objects));
    // The CLI's `schedules runs` shows the run and its job (ListPipelineExecutions + ListPipelineExecutionSteps).
    const runs = await cli(['schedules', 'runs', 'census', '--json']);
    assert.equal(runs.status, 0, runs.stderr);
    assert.deepEqual(JSON.parse(runs.stdout).map((x: Json) => [x.arn, x.status, x.jobs]), [[arn, 'Succeeded', [jobArn]]]);
  });

  it('a failing script: the job Failed, the step Failed with its reason, the execution Failed', async () => {
    const ws = workspace('sched-fail', { boom: { script: 'boom.py', schedule: { expression: 'rate(1 day)' } } }, { 'boom.py': 'import sys\nprint("about to fail")\nsys.exit(3)\n' });
    await schedule(ws, 'boom');
    const arn = (await cli(['schedules', 'run', 'boom'])).stdout.trim();
    const d = await ended(arn);
    assert.equal(d.PipelineExecutionStatus, 'Failed');
    assert.match(d.FailureReason ?? '', /Step failure/);
    const [step] = await steps(arn);
    assert.equal(step.StepStatus, 'Failed');
    const job = (step.Metadata.ProcessingJob.Arn as string).split('/').pop()!;
    const desc = await (await aws.sagemaker()).describeProcessingJob(job);
    assert.equal(desc.ProcessingJobStatus, 'Failed');
    assert.equal(step.FailureReason, desc.FailureReason);
    assert.match(String(step.FailureReason), /AlgorithmError/);
    await logLines(job, /about to fail/);
  });

  it('a rate schedule fires (the backend reads it from EventBridge Scheduler): an execution and its job', async () => {
    const ws = workspace('sched-rate', { hourly: { script: 'hello.py', schedule: { expression: 'rate(1 hour)' } } }, { 'hello.py': 'print("hello from the schedule")\n' });
    await schedule(ws, 'hourly');
    const c = await sm();
    const before = (await c.send(new ListPipelineExecutionsCommand({ PipelineName: 'hourly' }))).PipelineExecutionSummaries ?? [];
    assert.equal(before.length, 0, 'nothing ran before the schedule fired');
    const arn = await cloud.backend.pipelines.fireSchedule('hourly', GROUP);
    const listed = (await c.send(new ListPipelineExecutionsCommand({ PipelineName: 'hourly' }))).PipelineExecutionSummaries ?? [];
    assert.deepEqual(listed.map((e) => e.PipelineExecutionArn), [arn]);
    assert.equal((await ended(arn)).PipelineExecutionStatus, 'Succeeded');
    const job = ((await steps(arn))[0].Metadata.ProcessingJob.Arn as string).split('/').pop()!;
    await logLines(job, /hello from the schedule/);
    // A paused schedule does not fire.
    assert.equal((await cli(['schedules', 'pause', 'hourly'])).status, 0);
    await assert.rejects(cloud.backend.pipelines.fireSchedule('hourly', GROUP), /DISABLED/);
  });

  it('PipelineExperimentConfig only where the SDK has Experiments: us-east-1 yes, eu-central-2 no (the SDK\'s own list)', async () => {
    requireFile(SDK_PYTHON, 'the SageMaker Python SDK venv (bench-venv)');
    const sdk = spawnSync(SDK_PYTHON, ['-c', 'import json; from sagemaker.workflow._utils import EXPERIMENTS_REGIONS as R; print(json.dumps(sorted(R)))'], { encoding: 'utf8' });
    assert.equal(sdk.status, 0, sdk.stderr);
    const sdkRegions: string[] = JSON.parse(sdk.stdout.trim().split('\n').at(-1)!);
    const ws = workspace('sched-regions', { exp: { script: 'hello.py', schedule: { expression: 'rate(1 day)' } } }, { 'hello.py': 'print(1)\n' });
    for (const region of ['us-east-1', 'eu-central-2']) {
      await schedule(ws, 'exp', ['--region', region]);
      const def = await definitionOf('exp', region);
      assert.equal('PipelineExperimentConfig' in def, sdkRegions.includes(region), `${region}: ${JSON.stringify(def.PipelineExperimentConfig)}`);
    }
    assert.ok(sdkRegions.includes('us-east-1') && !sdkRegions.includes('eu-central-2'), 'the SDK list has us-east-1 and not eu-central-2');
  });

  it('the same code scheduled from two folders gets the same key (sha256 of the workspace-relative path and the bytes)', async () => {
    const files = { 'jobs/prep.py': 'print("same code")\n' };
    const jobs = { same: { script: 'jobs/prep.py', schedule: { expression: 'rate(1 day)' } } };
    const a = workspace('sched-two-a', jobs, files, 'first');
    const b = workspace('sched-two-b', jobs, files, path.join('deeper', 'second'));
    const key = (def: Json) => def.Steps[0].Arguments.ProcessingInputs.find((i: Json) => i.InputName === 'code').S3Input.S3Uri as string;
    assert.equal((await schedule(a, 'same')).pipeline, 'created');
    const first = key(await definitionOf('same'));
    assert.equal((await schedule(b, 'same')).pipeline, 'updated');
    const second = key(await definitionOf('same'));
    const expected = createHash('sha256').update('jobs/prep.py').update(files['jobs/prep.py']).digest('hex');
    assert.equal(first, `s3://${BUCKET}/same/code/${expected}/prep.py`);
    assert.equal(second, first);
  });

  it('a sourceDir job is scheduled with the FrameworkProcessor layout and runs in the backend', async (t) => {
    const ws = workspace('sched-srcdir', {
      // The base image has python3 only (FrameworkProcessor's default command is `python`).
      packaged: { script: 'process.py', sourceDir: 'src', command: ['python3'], schedule: { expression: 'cron(30 2 * * ? *)' } },
    }, {
      'src/process.py': 'from helpers.greet import greeting\nprint(greeting())\n',
      'src/helpers/__init__.py': '',
      'src/helpers/greet.py': 'def greeting():\n    return "greeting from the source folder"\n',
    });
    await schedule(ws, 'packaged');
    const def = await definitionOf('packaged');
    const args = def.Steps[0].Arguments;
    assert.deepEqual(args.AppSpecification.ContainerEntrypoint, ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh']);
    const inputs = Object.fromEntries(args.ProcessingInputs.map((i: Json) => [i.InputName, i.S3Input]));
    assert.equal(inputs.code.LocalPath, '/opt/ml/processing/input/code/');
    assert.match(inputs.code.S3Uri, new RegExp(`^s3://${BUCKET}/packaged/code/[0-9a-f]{64}/sourcedir\\.tar\\.gz$`));
    assert.match(inputs.entrypoint.S3Uri, new RegExp(`^s3://${BUCKET}/packaged/code/[0-9a-f]{64}/runproc\\.sh$`));
    const arn = (await cli(['schedules', 'run', 'packaged'])).stdout.trim();
    const d = await ended(arn);
    const job = ((await steps(arn))[0].Metadata.ProcessingJob.Arn as string).split('/').pop()!;
    const desc = await (await aws.sagemaker()).describeProcessingJob(job);
    t.diagnostic(`execution ${d.PipelineExecutionStatus}, job ${desc.ProcessingJobStatus} ${desc.FailureReason ?? ''}`);
    if (d.PipelineExecutionStatus === 'Succeeded') {
      await logLines(job, /greeting from the source folder/);
    } else {
      // The backend mounted inputs read-only until it followed SageMaker (writable input folders): then runproc.sh ran
      // and only the unpacking of sourcedir.tar.gz into the code input failed — the layout itself was right.
      const lines = await logLines(job, /Read-only file system/);
      assert.ok(lines.some((l) => /^tar: .*Cannot (mkdir|open): Read-only file system/.test(l)), `${desc.FailureReason}\n${lines.join('\n')}`);
    }
  });

  it('a build job: built and pushed first, the step pinned to the pushed digest (the registry\'s own)', async () => {
    const ws = workspace('sched-build', {
      tiny: { script: 'hello.py', build: { repository: 'sched-tiny', context: '.', dockerfile: 'Dockerfile' }, schedule: { expression: 'rate(1 day)' } },
    }, { 'hello.py': 'print(1)\n', Dockerfile: 'FROM scratch\nCOPY hello.py /hello.py\n' });
    const dockerConfig = scratchDir('sched-build-dockercfg');
    scratch.push(dockerConfig);
    await schedule(ws, 'tiny', [], { DOCKER_HOST: cloud.dockerd.env.DOCKER_HOST, DOCKER_CONFIG: dockerConfig });
    const m = await cloud.registry!.api('/v2/sched-tiny/manifests/latest', { user: 'AWS', password: ECR_PASSWORD });
    assert.equal(m.status, 200, 'the image was pushed to the registry');
    const digest = m.headers['docker-content-digest'] as string;
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    const def = await definitionOf('tiny');
    assert.equal(def.Steps[0].Arguments.AppSpecification.ImageUri, `${ECR_HOST}/sched-tiny@${digest}`);
  });

  it('with the backend\'s clock running, a new rate schedule runs on its own at its start date (as AWS documents)', async () => {
    // Last: every schedule above already exists (their next occurrences are hours away) or is paused; only this is due.
    cloud.backend.pipelines.startClock(500);
    const ws = workspace('sched-clock', { ticking: { script: 'hello.py', schedule: { expression: 'rate(2 hours)' } } }, { 'hello.py': 'print("tick")\n' });
    await schedule(ws, 'ticking');
    const c = await sm();
    const [run] = await waitFor('the schedule to start its pipeline', async () => {
      const l = (await c.send(new ListPipelineExecutionsCommand({ PipelineName: 'ticking' }))).PipelineExecutionSummaries ?? [];
      return l.length ? l : undefined;
    }, 60_000, 500);
    assert.equal((await ended(run.PipelineExecutionArn!)).PipelineExecutionStatus, 'Succeeded');
    // Once: the next occurrence is two hours away.
    assert.equal(((await c.send(new ListPipelineExecutionsCommand({ PipelineName: 'ticking' }))).PipelineExecutionSummaries ?? []).length, 1);
  });
});
