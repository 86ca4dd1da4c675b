// Parity with the pinned SageMaker Python SDK (2.257.7): the code "Copy as Python SDK Code" gives for a scheduled
// job is run with the SDK against moto, then "Schedule Job…" creates the same job's pipeline and schedule; what each
// stored (DescribePipeline's PipelineDefinition, GetSchedule) is compared field by field.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { GetScheduleCommand, type GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import { DeletePipelineCommand } from '@aws-sdk/client-sagemaker';
import { startMoto, useMotoEnv, TEST_ACCOUNT, TEST_REGION, type Moto } from '../support/moto';
import { CACHE, requireFile, scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { awsSchedulePorts } from '../../src/aws/schedulePorts';
import { loadDefinition, resolveJob } from '../../src/core/definition/resolve';
import { buildPipelinePlan, pipelineNameFor, SCHEDULE_GROUP } from '../../src/core/schedule/pipeline';
import { toPipelinePython } from '../../src/core/schedule/export';
import { scheduleJob } from '../../src/core/schedule/service';

const PYTHON = path.join(CACHE, 'bench-venv', 'bin', 'python');
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const SCHED_ROLE = 'arn:aws:iam::123456789012:role/SchedulerRole';

const DEFINITION = {
  version: '1',
  jobs: {
    'census-daily': {
      script: 'preprocessing.py',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest',
      role: ROLE,
      instanceType: 'ml.m5.2xlarge',
      volumeSizeGB: 50,
      maxRuntimeSeconds: 3600,
      environment: { MODE: 'daily' },
      inputs: [
        { name: 'census', source: 'data', destination: '/opt/ml/processing/input' },
        { name: 'lookup', source: 's3://reference-bucket/lookup', destination: '/opt/ml/processing/lookup' },
      ],
      outputs: [
        { name: 'train', source: '/opt/ml/processing/train' },
        { name: 'report', source: '/opt/ml/processing/report', destination: 's3://reports-bucket/census' },
      ],
      arguments: ['--train-test-split-ratio', '0.2'],
      schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin' },
    },
  },
};

/** Sorted keys, so two JSON documents compare field by field regardless of order. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/** The fields both create; Arn/GroupName (our group vs the SDK's default), dates and the request metadata differ by design. */
function scheduleFields(s: GetScheduleCommandOutput) {
  return normalize({
    Name: s.Name,
    ScheduleExpression: s.ScheduleExpression,
    ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    Target: s.Target,
    State: s.State,
    EndDate: s.EndDate,
    Description: s.Description,
    ActionAfterCompletion: s.ActionAfterCompletion,
  });
}

describe('parity with the SageMaker Python SDK: pipeline definition and schedule', () => {
  let moto: Moto;
  let restore: () => void;
  let aws: AwsClients;
  let ws: string;
  before(async () => {
    requireFile(PYTHON, 'the SageMaker Python SDK venv (bench-venv)');
    moto = await startMoto();
    restore = useMotoEnv(moto);
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: TEST_REGION });
    ws = scratchDir('sched-parity');
    fs.copyFileSync(path.join(__dirname, '..', '..', 'examples', 'census', 'preprocessing.py'), path.join(ws, 'preprocessing.py'));
    fs.mkdirSync(path.join(ws, 'data'));
    fs.copyFileSync(path.join(__dirname, '..', '..', 'examples', 'census', 'data', 'census-income.csv'), path.join(ws, 'data', 'census-income.csv'));
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify(DEFINITION, null, 2));
  });
  after(async () => {
    aws?.dispose();
    restore?.();
    await moto?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  /** Runs the exported SDK code for `key` from the workspace folder, then "Schedule Job…"; compares what each stored. */
  async function parity(definition: typeof DEFINITION | Record<string, unknown>, key: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const def = loadDefinition(JSON.stringify(definition));
    const job = resolveJob(def, key, { workspaceFolder: ws, region: TEST_REGION, account: TEST_ACCOUNT });
    const pipelineName = pipelineNameFor(job.key, def.jobs[key].schedule);
    const plan = await buildPipelinePlan(job, { pipelineName, workspaceFolder: ws, fs: (await import('../../src/core/definition/files')).nodeFileSystem });
    const code = toPipelinePython(job, { pipelineName, stepName: plan.stepName, schedule: def.jobs[key].schedule!, scheduleRoleArn: SCHED_ROLE, workspaceFolder: ws });
    // The SDK builds its STS endpoint itself: point it at moto. Everything else follows AWS_ENDPOINT_URL.
    const script = ['import os', 'import sagemaker.session', 'sagemaker.session.sts_regional_endpoint = lambda region: os.environ["AWS_ENDPOINT_URL"]', code].join('\n');
    fs.writeFileSync(path.join(ws, 'sdk.py'), script);
    const version = spawnSync(PYTHON, ['-c', 'import sagemaker; print(sagemaker.__version__)'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim().split('\n').at(-1), '2.257.7', version.stderr);
    const r = spawnSync(PYTHON, [path.join(ws, 'sdk.py')], { cwd: ws, encoding: 'utf8', env: { ...process.env, ...moto.env }, timeout: 180_000 });
    assert.equal(r.status, 0, `the exported code failed:\n${r.stderr.slice(-4000)}`);

    const pipelines = await aws.pipelines();
    const scheduler = await aws.scheduler();
    const sdkPipeline = await pipelines.describePipeline(pipelineName);
    assert.ok(sdkPipeline, 'the SDK created the pipeline');
    const sdkSchedule = await scheduler.client.send(new GetScheduleCommand({ Name: pipelineName }));
    // Make room for ours (same names), keeping the uploaded objects.
    await scheduler.deleteSchedule('default', pipelineName);
    await pipelines.client.send(new DeletePipelineCommand({ PipelineName: pipelineName, ClientRequestToken: 'parity-delete' }));

    const ours = await scheduleJob(awsSchedulePorts(aws), {
      definitionText: JSON.stringify(definition),
      workspaceFolder: ws,
      jobKey: key,
      scheduleRoleArn: SCHED_ROLE,
    });
    assert.ok(ours);
    const ourPipeline = await pipelines.describePipeline(pipelineName);
    assert.ok(ourPipeline);
    const ourSchedule = await scheduler.client.send(new GetScheduleCommand({ Name: pipelineName, GroupName: SCHEDULE_GROUP }));

    // The pipeline definition: every field.
    const a = normalize(JSON.parse(sdkPipeline.definition));
    const b = normalize(JSON.parse(ourPipeline.definition));
    assert.deepEqual(b, a);
    assert.equal(ourPipeline.roleArn, sdkPipeline.roleArn);
    // The schedule: every field both set; then the documented differences.
    assert.deepEqual(scheduleFields(ourSchedule), scheduleFields(sdkSchedule));
    assert.equal(sdkSchedule.GroupName, 'default');
    assert.equal(ourSchedule.GroupName, SCHEDULE_GROUP);
    for (const s of [sdkSchedule, ourSchedule]) assert.ok(s.StartDate && Math.abs(s.StartDate.getTime() - Date.now()) < 10 * 60_000, 'starts now');
    return b as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  it('stores the same pipeline definition and schedule as the exported SDK code', async () => {
    const def = await parity(DEFINITION, 'census-daily');
    // The code's key: the SDK's hash of the path as given (relative, run from the workspace folder) and the bytes.
    const code = def.Steps[0].Arguments.ProcessingInputs.find((i: { InputName: string }) => i.InputName === 'code').S3Input.S3Uri;
    assert.match(code, /\/census-daily\/code\/[0-9a-f]{64}\/preprocessing\.py$/);
  });

  it('a sourceDir job: the same FrameworkProcessor step (sourcedir.tar.gz and runproc.sh by hash, code and entrypoint inputs)', async () => {
    fs.mkdirSync(path.join(ws, 'src', 'helpers'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'src', 'process.py'), 'from helpers.greet import greeting\nprint(greeting())\n');
    fs.writeFileSync(path.join(ws, 'src', 'helpers', '__init__.py'), '');
    fs.writeFileSync(path.join(ws, 'src', 'helpers', 'greet.py'), 'def greeting():\n    return "hi"\n');
    const def = await parity({
      version: '1',
      jobs: {
        'census-framework': {
          script: 'process.py', sourceDir: 'src', image: DEFINITION.jobs['census-daily'].image, role: ROLE,
          inputs: [{ name: 'census', source: 'data', destination: '/opt/ml/processing/input' }],
          outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
          schedule: { expression: 'rate(1 day)' },
        },
      },
    }, 'census-framework');
    assert.deepEqual(def.Steps[0].Arguments.AppSpecification.ContainerEntrypoint, ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh']);
  });
});
