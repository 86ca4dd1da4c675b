// Scheduled jobs through the CLI, against moto (which stores pipelines and schedules but runs neither), behind the
// recording proxy: create, update after an edit (in place, nothing duplicated), list, pause, resume, run now,
// delete; bad expressions and time zones rejected before any call; a foreign pipeline of the same name left alone.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { startProxy, type ScriptedProxy } from '../support/proxy';
import { scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { SCHEDULE_GROUP } from '../../src/core/schedule/pipeline';
import { censusCopy } from '../support/workspace';
import { cliIn } from '../support/proc';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const SCHED_ROLE = 'arn:aws:iam::123456789012:role/SchedulerRole';

const cli = (args: string[], env: Record<string, string>) => cliIn(args, env);

function definition(schedule: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '1',
    jobs: {
      census: {
        script: 'preprocessing.py',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest',
        role: ROLE,
        inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
        outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
        arguments: ['--train-test-split-ratio', '0.2'],
        schedule,
        ...extra,
      },
    },
  }, null, 2);
}

const WRITES = ['CreatePipeline', 'UpdatePipeline', 'DeletePipeline', 'CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'CreateScheduleGroup', 'StartPipelineExecution'];

describe('scheduled jobs (CLI, moto)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let ws: string;
  let defFile: string;
  let aws: AwsClients;
  let restore: () => void;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli([...args, '--endpoint-url', proxy.url], env);
  const schedule = () => run('schedule', 'census', '--definition', defFile, '--schedule-role', SCHED_ROLE, '--json');

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    env = moto.env;
    ws = censusCopy('sched-ws');
    defFile = path.join(ws, '.vscode', 'sagemaker-processing.json');
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: 'us-east-1' });
  });
  after(async () => {
    aws?.dispose();
    restore?.();
    await proxy?.stop();
    await moto?.stop();
    if (ws) fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('rejects bad expressions and time zones with field and line, before any AWS call', async () => {
    for (const [sched, field, msg] of [
      [{ expression: 'cron(0 6 * * *)' }, 'expression', /a cron expression has 6 fields/],
      [{ expression: 'cron(0 6 * * * *)' }, 'expression', /exactly one of day-of-month and day-of-week/],
      [{ expression: 'rate(1 days)' }, 'expression', /singular unit/],
      [{ expression: 'rate(1 day)', timezone: 'Europe/Berlinn' }, 'timezone', /not a known time zone/],
    ] as const) {
      fs.writeFileSync(defFile, definition(sched));
      const before = proxy.requests.length;
      const r = await schedule();
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`sagemaker-processing\\.json:\\d+:\\d+: jobs\\.census\\.schedule\\.${field}: `));
      assert.match(r.stderr, msg);
      assert.deepEqual(proxy.requests.slice(before).map((x) => x.action), [], 'no request at all');
    }
  });

  it('--dry-run prints the pipeline definition and schedule, and writes nothing', async () => {
    fs.writeFileSync(defFile, definition({ expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin' }));
    const since = Date.now();
    const r = await run('schedule', 'census', '--definition', defFile, '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.pipelineName, 'census');
    assert.equal(out.definition.Steps[0].Type, 'Processing');
    assert.deepEqual(out.schedule, { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin' });
    assert.deepEqual(proxy.requests.filter((x) => x.time >= since).map((x) => x.action), ['GetCallerIdentity'], 'only the account lookup');
  });

  it('creates the pipeline (tagged) and the schedule (in the tagged group), with stable upload keys', async () => {
    fs.writeFileSync(defFile, definition({ expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin' }));
    const since = Date.now();
    const r = await schedule();
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.pipeline, 'created');
    assert.equal(out.schedule, 'created');
    assert.equal(out.pipelineArn, 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/census');
    assert.equal(proxy.count('CreateProcessingJob', since), 0, 'no job is run by scheduling');

    const p = await (await aws.pipelines()).describePipeline('census');
    assert.ok(p);
    assert.deepEqual(p.tags.find((t) => t.Key === 'sagemaker-processing:managed'), { Key: 'sagemaker-processing:managed', Value: 'true' });
    const def = JSON.parse(p.definition);
    const args = def.Steps[0].Arguments;
    assert.equal(def.Steps[0].Type, 'Processing');
    assert.equal(args.ProcessingJobName, undefined);
    assert.deepEqual(args.AppSpecification.ContainerEntrypoint, ['python3', '/opt/ml/processing/input/code/preprocessing.py']);
    const code = args.ProcessingInputs.find((i: { InputName: string }) => i.InputName === 'code').S3Input.S3Uri as string;
    assert.match(code, /^s3:\/\/sagemaker-us-east-1-123456789012\/census\/code\/[0-9a-f]{64}\/preprocessing\.py$/);
    const s3 = await aws.s3();
    const key = code.replace('s3://sagemaker-us-east-1-123456789012/', '');
    const local = path.join(scratchDir('sched-dl'), 'code.py');
    await s3.downloadToFile('sagemaker-us-east-1-123456789012', key, local);
    assert.equal(fs.readFileSync(local, 'utf8'), fs.readFileSync(path.join(ws, 'preprocessing.py'), 'utf8'));
    assert.ok(await s3.headObject('sagemaker-us-east-1-123456789012', 'census/census/input/census/census-income.csv'), 'local input at <pipeline>/<step>/input/<name>');

    const s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census');
    assert.ok(s);
    assert.equal(s.expression, 'cron(0 6 * * ? *)');
    assert.equal(s.timezone, 'Europe/Berlin');
    assert.equal(s.state, 'ENABLED');
    assert.equal(s.targetArn, out.pipelineArn);
    assert.equal(s.targetRoleArn, SCHED_ROLE);
  });

  it('re-running after an edit updates both in place; nothing is duplicated', async () => {
    fs.writeFileSync(defFile, definition({ expression: 'rate(12 hours)' }, { arguments: ['--train-test-split-ratio', '0.3'] }));
    fs.appendFileSync(path.join(ws, 'preprocessing.py'), '\n# edited\n');
    const since = Date.now();
    const r = await schedule();
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual([out.pipeline, out.schedule], ['updated', 'updated']);
    assert.equal(proxy.count('UpdatePipeline', since), 1);
    assert.equal(proxy.count('CreatePipeline', since), 0);
    assert.equal(proxy.count('UpdateSchedule', since), 1);
    assert.equal(proxy.count('CreateSchedule', since), 0);
    const def = JSON.parse((await (await aws.pipelines()).describePipeline('census'))!.definition);
    assert.deepEqual(def.Steps[0].Arguments.AppSpecification.ContainerArguments, ['--train-test-split-ratio', '0.3']);
    const s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census');
    assert.equal(s?.expression, 'rate(12 hours)');
    assert.equal(s?.timezone, 'UTC');
    const listed = await cli(['schedules', 'list', '--json', '--endpoint-url', proxy.url], env);
    assert.equal(listed.status, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout);
    assert.equal(rows.length, 1, 'one schedule');
    assert.equal(rows[0].name, 'census');
    assert.equal(rows[0].expression, 'rate(12 hours)');
    assert.equal(rows[0].state, 'ENABLED');
    const next = Date.parse(rows[0].nextRun);
    assert.ok(next > Date.now() && next <= Date.now() + 12 * 3600_000 + 60_000, `next run within 12 hours: ${rows[0].nextRun}`);
  });

  it('pause and resume change the state (and keep the rest); a paused schedule stays paused when re-scheduled', async () => {
    const paused = await run('schedules', 'pause', 'census');
    assert.equal(paused.status, 0, paused.stderr);
    let s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census');
    assert.equal(s?.state, 'DISABLED');
    assert.equal(s?.expression, 'rate(12 hours)');
    assert.equal(s?.targetRoleArn, SCHED_ROLE);
    const list = JSON.parse((await run('schedules', 'list', '--json')).stdout);
    assert.equal(list[0].state, 'DISABLED');
    assert.equal(list[0].nextRun, undefined, 'a paused schedule has no next run');
    assert.equal((await schedule()).status, 0);
    s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census');
    assert.equal(s?.state, 'DISABLED', 'still paused');
    const resumed = await run('schedules', 'resume', 'census');
    assert.equal(resumed.status, 0, resumed.stderr);
    s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census');
    assert.equal(s?.state, 'ENABLED');
  });

  it('run starts a pipeline execution (what it runs: test/integration/schedule-backend.test.ts)', async () => {
    const since = Date.now();
    const r = await run('schedules', 'run', 'census');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.trim(), /^arn:aws:sagemaker:us-east-1:123456789012:pipeline\/census\/execution\/\w+$/);
    assert.equal(proxy.count('StartPipelineExecution', since), 1);
  });

  it('refuses to take over a pipeline of the same name it did not create', async () => {
    await (await aws.pipelines()).client.send(new (await import('@aws-sdk/client-sagemaker')).CreatePipelineCommand({ PipelineName: 'foreign', PipelineDefinition: '{"Version":"2020-12-01","Steps":[]}', RoleArn: ROLE }));
    fs.writeFileSync(defFile, definition({ expression: 'rate(1 day)', name: 'foreign' }));
    const since = Date.now();
    const r = await schedule();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /"foreign" exists and was not created by this extension/);
    assert.deepEqual(proxy.requests.filter((x) => x.time >= since && WRITES.includes(x.action)).map((x) => x.action), []);
  });

  it('delete removes the schedule and its pipeline', async () => {
    const r = await run('schedules', 'delete', 'census');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census'), undefined);
    assert.equal(await (await aws.pipelines()).describePipeline('census'), undefined);
    assert.ok(await (await aws.pipelines()).describePipeline('foreign'), 'the foreign pipeline is untouched');
    const list = await run('schedules', 'list', '--json');
    assert.deepEqual(JSON.parse(list.stdout), []);
  });
});
