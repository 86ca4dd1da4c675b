// Schedules: expression and time-zone checks (with field and line), next-run computation, and the pipeline and
// schedule requests "Schedule Job…" sends.
import { before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDefinitionText, resolveJob } from '../../src/core/definition/resolve';
import { nodeFileSystem } from '../../src/core/definition/files';
import { checkScheduleExpression, checkTimeZone, nextRun, nextRuns, parseScheduleExpression, zonedToUtc } from '../../src/core/schedule/expression';
import { buildPipelinePlan, pipelineNameFor, scheduleRequest, type PipelinePlan } from '../../src/core/schedule/pipeline';
import { toPythonSdk } from '../../src/core/definition/export';
import { toPipelinePython } from '../../src/core/schedule/export';
import type { DefinitionFile } from '../../src/core/definition/types';
import { applyEdits, parse as parseJsonc } from 'jsonc-parser';
import { addScheduleEdits, checkTimeOfDay, dailySchedule, machineTimeZone, parseTimeOfDay } from '../../src/core/schedule/addSchedule';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';

function defText(schedule: unknown): string {
  // The schedule block starts on line 9 (1-based) so locations can be asserted.
  return [
    '{',
    '  "version": "1",',
    '  "jobs": {',
    '    "census": {',
    '      "script": "prep.py",',
    '      "image": "img:1",',
    `      "role": "${ROLE}",`,
    '      "schedule":',
    `        ${JSON.stringify(schedule)}`,
    '    }',
    '  }',
    '}',
  ].join('\n');
}

function check(schedule: unknown) {
  return checkDefinitionText(defText(schedule), { workspaceFolder: '/ws', fileExists: () => true }).problems.filter((p) => p.severity === 'error');
}

describe('schedule expressions', () => {
  for (const ok of ['cron(0 6 * * ? *)', 'cron(30 2 ? * MON-FRI *)', 'cron(0/15 * * * ? *)', 'cron(0 12 L * ? 2027)', 'cron(0 9 ? * 2#1 *)', 'cron(0 8 15W * ? *)', 'cron(0 0 ? * 6L *)', 'rate(1 day)', 'rate(5 minutes)', 'rate(12 hours)', 'at(2027-01-31T06:00:00)']) {
    it(`accepts ${ok}`, () => assert.equal(checkScheduleExpression(ok), undefined));
  }
  const BAD: [string, RegExp][] = [
    ['cron(0 6 * * *)', /6 fields.*got 5/],
    ['cron(0 6 * * * *)', /exactly one of day-of-month and day-of-week must be "\?"/],
    ['cron(0 6 ? * ? *)', /exactly one of/],
    ['cron(60 6 * * ? *)', /minutes: 60 is out of range 0–59/],
    ['cron(0 24 * * ? *)', /hours: 24 is out of range 0–23/],
    ['cron(0 6 * 13 ? *)', /month: 13 is out of range 1–12/],
    ['cron(0 6 ? * FUNDAY *)', /day-of-week: "FUNDAY"/],
    ['cron(0 6 * * ? 1969)', /year: 1969 is out of range/],
    ['cron(0 6 5-1 * ? *)', /goes backwards/],
    ['rate(1 days)', /singular unit: rate\(1 day\)/],
    ['rate(2 day)', /plural unit: rate\(2 days\)/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(5 weeks)', /unit "weeks"/],
    ['every day', /is not a schedule expression/],
    ['at(2027-02-30T06:00:00)', /not a valid date/],
    ['at(2027-01-31T06:00:00Z)', /without a time zone offset/],
  ];
  for (const [expr, msg] of BAD) it(`rejects ${expr}`, () => assert.match(checkScheduleExpression(expr) ?? '(accepted)', msg));
});

describe('time zones', () => {
  for (const ok of ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) it(`accepts ${ok}`, () => assert.equal(checkTimeZone(ok), undefined));
  for (const bad of ['Mars/Olympus', 'Europe/Berlinn', '+02:00', 'CET; rm -rf /', '']) it(`rejects ${JSON.stringify(bad)}`, () => assert.ok(checkTimeZone(bad)));
});

describe('schedule block in the definition: rejected with field and line', () => {
  const CASES: [unknown, string, RegExp][] = [
    [{ expression: 'cron(0 6 * * *)' }, 'jobs.census.schedule.expression', /6 fields/],
    [{ expression: 'rate(1 day)', timezone: 'Mars/Olympus' }, 'jobs.census.schedule.timezone', /not a known time zone/],
    [{ expression: 'rate(1 day)', start: 'tomorrow' }, 'jobs.census.schedule.start', /not a date-time/],
    [{ expression: 'rate(1 day)', start: '2027-02-01T00:00:00Z', end: '2027-01-01T00:00:00Z' }, 'jobs.census.schedule.end', /must be after start/],
    [{ expression: 'rate(1 day)', enabled: 'yes' }, 'jobs.census.schedule.enabled', /true or false/],
    [{ expression: 'rate(1 day)', role: 'admin' }, 'jobs.census.schedule.role', /IAM role ARN/],
    [{ expression: 'rate(1 day)', name: 'bad_name!' }, 'jobs.census.schedule.name', /pipeline name/],
    [{ expresion: 'rate(1 day)' }, 'jobs.census.schedule', /missing required field "expression"/],
  ];
  for (const [s, p, msg] of CASES) {
    it(`${JSON.stringify(s)} → ${p}`, () => {
      const probs = check(s);
      const hit = probs.find((x) => x.path === p && msg.test(x.message));
      assert.ok(hit, `expected ${p} ${msg}; got ${JSON.stringify(probs.map((x) => [x.path, x.message]))}`);
      // A problem inside the block points at its line (0-based 8); a missing field at the "schedule" key (line 7).
      assert.equal(hit.line, p === 'jobs.census.schedule' ? 7 : 8, `line of ${p}`);
    });
  }
  it('accepts a good block', () => assert.deepEqual(check({ expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', start: '2027-01-01T00:00:00Z', enabled: false }), []));
  it('refuses a schedule in defaults', () => {
    const text = JSON.stringify({ version: '1', defaults: { schedule: { expression: 'rate(1 day)' } }, jobs: { a: { script: 'a.py', image: 'i', role: ROLE } } });
    const probs = checkDefinitionText(text, { workspaceFolder: '/ws', fileExists: () => true }).problems;
    assert.ok(probs.some((p) => p.path === 'defaults.schedule' && /belongs on one job/.test(p.message)), JSON.stringify(probs));
  });
});

describe('next run', () => {
  const at = (s: string) => new Date(s);
  it('daily cron in UTC', () => assert.equal(nextRun('cron(0 6 * * ? *)', { after: at('2027-03-10T07:00:00Z') })?.toISOString(), '2027-03-11T06:00:00.000Z'));
  it('same day when still ahead', () => assert.equal(nextRun('cron(0 6 * * ? *)', { after: at('2027-03-10T05:59:00Z') })?.toISOString(), '2027-03-10T06:00:00.000Z'));
  it('in a time zone, across the spring-forward change', () => {
    // Europe/Berlin: 06:00 local is 05:00Z in winter, 04:00Z after 2027-03-28.
    assert.equal(nextRun('cron(0 6 * * ? *)', { after: at('2027-03-27T12:00:00Z'), timeZone: 'Europe/Berlin' })?.toISOString(), '2027-03-28T04:00:00.000Z');
    assert.equal(nextRun('cron(0 6 * * ? *)', { after: at('2027-03-20T12:00:00Z'), timeZone: 'Europe/Berlin' })?.toISOString(), '2027-03-21T05:00:00.000Z');
  });
  it('skips a wall time that does not exist (02:30 on spring-forward day in Berlin)', () => {
    assert.equal(zonedToUtc(2027, 3, 28, 2, 30, 'Europe/Berlin'), undefined);
    assert.equal(nextRun('cron(30 2 * * ? *)', { after: at('2027-03-27T12:00:00Z'), timeZone: 'Europe/Berlin' })?.toISOString(), '2027-03-29T00:30:00.000Z');
  });
  it('weekdays only (MON-FRI) from a Friday evening goes to Monday', () => {
    // 2027-03-12 is a Friday.
    assert.equal(nextRun('cron(30 2 ? * MON-FRI *)', { after: at('2027-03-12T20:00:00Z') })?.toISOString(), '2027-03-15T02:30:00.000Z');
  });
  it('last day of month, first Monday (2#1), nearest weekday (15W)', () => {
    assert.equal(nextRun('cron(0 12 L * ? *)', { after: at('2027-02-01T00:00:00Z') })?.toISOString(), '2027-02-28T12:00:00.000Z');
    assert.equal(nextRun('cron(0 9 ? * 2#1 *)', { after: at('2027-03-02T00:00:00Z') })?.toISOString(), '2027-04-05T09:00:00.000Z');
    // 2027-05-15 is a Saturday → Friday the 14th.
    assert.equal(nextRun('cron(0 8 15W * ? *)', { after: at('2027-05-01T00:00:00Z') })?.toISOString(), '2027-05-14T08:00:00.000Z');
  });
  it('every 15 minutes; several runs', () => {
    const runs = nextRuns(parseScheduleExpression('cron(0/15 * * * ? *)'), { after: at('2027-01-01T00:07:00Z'), count: 3 }).map((d) => d.toISOString());
    assert.deepEqual(runs, ['2027-01-01T00:15:00.000Z', '2027-01-01T00:30:00.000Z', '2027-01-01T00:45:00.000Z']);
  });
  it('rate from its anchor; respects end; past at() has none', () => {
    assert.equal(nextRun('rate(12 hours)', { after: at('2027-01-01T13:00:00Z'), anchor: at('2027-01-01T02:00:00Z') })?.toISOString(), '2027-01-01T14:00:00.000Z');
    assert.equal(nextRun('rate(1 day)', { after: at('2027-01-05T00:00:00Z'), anchor: at('2027-01-01T00:00:00Z'), end: at('2027-01-05T12:00:00Z') }), undefined);
    assert.equal(nextRun('at(2020-01-01T00:00:00)', { after: at('2027-01-01T00:00:00Z') }), undefined);
    assert.equal(nextRun('at(2027-06-01T08:00:00)', { after: at('2027-01-01T00:00:00Z'), timeZone: 'America/New_York' })?.toISOString(), '2027-06-01T12:00:00.000Z');
  });
  it('a year list ends the search', () => assert.equal(nextRun('cron(0 0 1 1 ? 2026)', { after: at('2027-01-01T00:00:00Z') }), undefined));
  it('start date bounds the first run', () => assert.equal(nextRun('cron(0 6 * * ? *)', { after: at('2027-01-01T00:00:00Z'), start: at('2027-02-01T00:00:00Z') })?.toISOString(), '2027-02-01T06:00:00.000Z'));
});

describe('pipeline plan', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sched-'));
  fs.writeFileSync(path.join(ws, 'prep.py'), 'print(1)\n');
  fs.mkdirSync(path.join(ws, 'data'));
  fs.writeFileSync(path.join(ws, 'data', 'a.csv'), 'a\n');
  const def: DefinitionFile = {
    version: '1',
    jobs: {
      'census.daily': {
        script: 'prep.py', image: 'img:1', role: ROLE, arguments: ['--x', '1'],
        inputs: [{ name: 'data', source: 'data', destination: '/opt/ml/processing/input/data' }, { source: 's3://b/raw', destination: '/opt/ml/processing/raw' }],
        outputs: [{ name: 'train', source: '/opt/ml/processing/train' }, { name: 'fixed', source: '/opt/ml/processing/fixed', destination: 's3://b/fixed' }],
        schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin' },
      },
    },
  };
  const job = resolveJob(def, 'census.daily', { workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: new Date('2027-01-01T00:00:00Z') });
  let plan: PipelinePlan;
  let args: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  before(async () => {
    plan = await buildPipelinePlan(job, { pipelineName: pipelineNameFor(job.key), workspaceFolder: ws, fs: nodeFileSystem });
    args = plan.definition.Steps[0].Arguments;
  });
  // The SDK's hash_files_or_dirs(["prep.py"]) run from the workspace folder: sha256 of the path as given, then the bytes.
  const sdkHash = (rel: string, bytes: string) => createHash('sha256').update(rel).update(bytes).digest('hex');

  it('names: job key made a pipeline name; step name', () => {
    assert.equal(plan.pipelineName, 'census-daily');
    assert.equal(plan.stepName, 'census-daily');
  });
  it('no job name (Pipelines generates it); same image, entrypoint, arguments, role as a direct run', () => {
    assert.equal(args.ProcessingJobName, undefined);
    assert.deepEqual(args.AppSpecification, plan.request.AppSpecification);
    assert.equal(args.RoleArn, ROLE);
  });
  it('uploads to stable keys: code by content hash, local inputs under <pipeline>/<step>/input/<name>', async () => {
    const h = sdkHash('prep.py', 'print(1)\n');
    assert.deepEqual(plan.uploads.map((u) => u.key), [`census-daily/code/${h}/prep.py`, 'census-daily/census-daily/input/data/a.csv']);
    const again = await buildPipelinePlan(resolveJob(def, 'census.daily', { workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: new Date('2027-06-01T00:00:00Z') }), { pipelineName: 'census-daily', workspaceFolder: ws, fs: nodeFileSystem });
    assert.deepEqual(again.uploads.map((u) => u.key), plan.uploads.map((u) => u.key), 'not per-run timestamped');
    assert.deepEqual(again.definition, plan.definition);
    const inputs = args.ProcessingInputs.map((i: { InputName: string; S3Input: { S3Uri: string } }) => [i.InputName, i.S3Input.S3Uri]);
    assert.deepEqual(inputs, [
      ['data', 's3://sagemaker-us-east-1-123456789012/census-daily/census-daily/input/data'],
      ['input-2', 's3://b/raw'],
      ['code', `s3://sagemaker-us-east-1-123456789012/census-daily/code/${h}/prep.py`],
    ]);
  });
  it('default outputs are per execution; a given destination is kept', () => {
    const outs = args.ProcessingOutputConfig.Outputs;
    assert.deepEqual(outs[0].S3Output.S3Uri, { 'Std:Join': { On: '/', Values: ['s3:/', 'sagemaker-us-east-1-123456789012', 'census-daily', { Get: 'Execution.PipelineExecutionId' }, 'census-daily', 'output', 'train'] } });
    assert.equal(outs[1].S3Output.S3Uri, 's3://b/fixed');
  });
  it('schedule request: SDK fields, plus time zone and state', () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const r = scheduleRequest({ name: 'census-daily', pipelineArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/census-daily', roleArn: ROLE, schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', enabled: false }, now });
    assert.deepEqual(r, {
      Name: 'census-daily', GroupName: 'sagemaker-processing', ScheduleExpression: 'cron(0 6 * * ? *)', ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/census-daily', RoleArn: ROLE, SageMakerPipelineParameters: {} },
      State: 'DISABLED', StartDate: now,
    });
  });
  it('schedule request: a future start is kept, a past one becomes now (AWS refuses a StartDate in the past)', () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const base = { name: 'n', pipelineArn: 'arn:p', roleArn: ROLE, now };
    assert.equal(scheduleRequest({ ...base, schedule: { expression: 'rate(1 day)', start: '2027-02-01T00:00:00Z', end: '2027-03-01T00:00:00Z' } }).StartDate?.toISOString(), '2027-02-01T00:00:00.000Z');
    assert.equal(scheduleRequest({ ...base, schedule: { expression: 'rate(1 day)', start: '2026-01-01T00:00:00Z' } }).StartDate, now);
    assert.equal(scheduleRequest({ ...base, schedule: { expression: 'rate(1 day)', end: '2027-03-01T00:00:00Z' } }).EndDate?.toISOString(), '2027-03-01T00:00:00.000Z');
  });
  it('Python export: Pipeline + ProcessingStep + put_triggers, and it keeps the processor code', () => {
    const code = toPipelinePython(job, { pipelineName: plan.pipelineName, stepName: plan.stepName, schedule: def.jobs['census.daily'].schedule!, scheduleRoleArn: ROLE });
    assert.ok(code.includes(toPythonSdk(job).split('processor.run(')[0].trim().split('\n').slice(-3).join('\n')), 'same processor arguments');
    assert.match(code, /from sagemaker\.workflow\.pipeline_context import PipelineSession/);
    assert.match(code, /step_args = processor\.run\(/);
    assert.match(code, /ProcessingStep\(name="census-daily", step_args=step_args\)/);
    assert.match(code, /Pipeline\(name="census-daily", steps=\[step\], sagemaker_session=session\)/);
    assert.match(code, /pipeline\.upsert\(role_arn=/);
    assert.match(code, /put_triggers\(\[PipelineSchedule\(name="census-daily", cron="0 6 \* \* \? \*", enabled=True\)\], role_arn=/);
    assert.match(code, /ScheduleExpressionTimezone="Europe\/Berlin"/);
    assert.doesNotMatch(code, /\bjob_name=/, 'Pipelines names the jobs');
  });
  it('Python export of rate and at schedules, paused, with start and end', () => {
    const rate = toPipelinePython(job, { pipelineName: 'p', stepName: 's', schedule: { expression: 'rate(12 hours)', enabled: false, start: '2027-02-01T06:30:00Z' } });
    assert.match(rate, /PipelineSchedule\(name="p", rate=\(12, "hours"\), enabled=False, start_date=datetime\(2027, 2, 1, 6, 30, 0, tzinfo=timezone\.utc\)\)/);
    assert.match(rate, /^from datetime import datetime, timezone$/m);
    assert.doesNotMatch(rate, /update_schedule/, 'UTC without end: nothing to fix up');
    const once = toPipelinePython(job, { pipelineName: 'p', stepName: 's', schedule: { expression: 'at(2027-06-01T08:00:00)', end: '2027-07-01T00:00:00Z' } });
    assert.match(once, /at=datetime\(2027, 6, 1, 8, 0, 0, tzinfo=timezone\.utc\)/);
    assert.match(once, /EndDate=datetime\(2027, 7, 1, 0, 0, 0, tzinfo=timezone\.utc\)/);
    assert.match(once, /^import boto3$/m);
  });
  it('variables are not expanded in a schedule: an expression with ${…} is rejected', () => {
    assert.ok(check({ expression: '${env:CRON}' }).some((p) => p.path === 'jobs.census.schedule.expression'));
  });
});

describe('pipeline plan: keys, sourceDir layout, Experiments by region', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sched-two-'));
  const def = (extra: Record<string, unknown>): DefinitionFile => ({ version: '1', jobs: { j: { image: 'img:1', role: ROLE, schedule: { expression: 'rate(1 day)' }, ...extra } as never } });
  const folder = (name: string) => {
    const ws = path.join(root, name);
    fs.mkdirSync(path.join(ws, 'src', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'prep.py'), 'print("same")\n');
    fs.writeFileSync(path.join(ws, 'src', 'process.py'), 'import lib.util\n');
    fs.writeFileSync(path.join(ws, 'src', 'lib', 'util.py'), 'X = 1\n');
    return ws;
  };
  const a = folder('a');
  const b = folder(path.join('elsewhere', 'b'));
  const plan = (ws: string, extra: Record<string, unknown>, region = 'us-east-1') =>
    buildPipelinePlan(resolveJob(def(extra), 'j', { workspaceFolder: ws, region, account: '123456789012' }), { pipelineName: 'j', workspaceFolder: ws, fs: nodeFileSystem });

  it('the same script in two folders gets the same key (sha256 of "prep.py" and its bytes)', async () => {
    const [pa, pb] = [await plan(a, { script: 'prep.py' }), await plan(b, { script: 'prep.py' })];
    const expected = `j/code/${createHash('sha256').update('prep.py').update('print("same")\n').digest('hex')}/prep.py`;
    assert.equal(pa.uploads[0].key, expected);
    assert.equal(pb.uploads[0].key, expected);
    fs.writeFileSync(path.join(b, 'prep.py'), 'print("changed")\n');
    assert.notEqual((await plan(b, { script: 'prep.py' })).uploads[0].key, expected, 'other bytes, other key');
  });
  it('sourceDir: FrameworkProcessor layout (code = sourcedir.tar.gz, entrypoint = runproc.sh), keys by content', async () => {
    const p = await plan(a, { script: 'process.py', sourceDir: 'src' });
    const args = p.definition.Steps[0].Arguments as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(args.AppSpecification.ContainerEntrypoint, ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh']);
    const inputs = Object.fromEntries(args.ProcessingInputs.map((i: { InputName: string; S3Input: { S3Uri: string; LocalPath: string } }) => [i.InputName, [i.S3Input.S3Uri, i.S3Input.LocalPath]]));
    const [tar, runproc] = p.uploads;
    assert.match(tar.key, /^j\/code\/[0-9a-f]{64}\/sourcedir\.tar\.gz$/);
    assert.deepEqual((tar.body as { files: string[] }).files.sort(), ['lib/util.py', 'process.py']);
    const text = String((runproc.body as { content: string }).content);
    assert.match(text, /process\.py/);
    assert.equal(runproc.key, `j/code/${createHash('sha256').update(text).digest('hex')}/runproc.sh`);
    assert.deepEqual(inputs.code, [`s3://sagemaker-us-east-1-123456789012/${tar.key}`, '/opt/ml/processing/input/code/']);
    assert.deepEqual(inputs.entrypoint, [`s3://sagemaker-us-east-1-123456789012/${runproc.key}`, '/opt/ml/processing/input/entrypoint']);
    const other = await plan(b, { script: 'process.py', sourceDir: 'src' });
    assert.deepEqual(other.uploads.map((u) => u.key), p.uploads.map((u) => u.key), 'the same sourceDir in another folder: the same keys');
    fs.writeFileSync(path.join(b, 'src', 'lib', 'util.py'), 'X = 2\n');
    assert.notEqual((await plan(b, { script: 'process.py', sourceDir: 'src' })).uploads[0].key, tar.key, 'a changed file in sourceDir: a new key');
  });
  it('PipelineExperimentConfig in us-east-1, none in eu-central-2 (no SageMaker Experiments there)', async () => {
    assert.ok((await plan(a, { script: 'prep.py' }, 'us-east-1')).definition.PipelineExperimentConfig);
    assert.equal((await plan(a, { script: 'prep.py' }, 'eu-central-2')).definition.PipelineExperimentConfig, undefined);
    assert.equal('PipelineExperimentConfig' in (await plan(a, { script: 'prep.py' }, 'ap-southeast-4')).definition, false);
  });
});

describe('"Schedule Job…" on a job without a schedule: a daily block written into the definition', () => {
  const text = [
    '{',
    '  // the census jobs',
    '  "version": "1",',
    '  "jobs": {',
    '    "census": {',
    '      "script": "preprocessing.py", // the script',
    '      "image": "img:1"',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  it('adds "schedule" to the job, keeping comments and the rest; a daily cron at the chosen time and zone', () => {
    const out = applyEdits(text, addScheduleEdits(text, 'census', dailySchedule(7, 5, 'Asia/Tokyo')));
    assert.ok(out.includes('// the census jobs') && out.includes('// the script'), out);
    const parsed = parseJsonc(out) as { jobs: { census: Record<string, unknown> } };
    assert.deepEqual(parsed.jobs.census, { script: 'preprocessing.py', image: 'img:1', schedule: { expression: 'cron(5 7 * * ? *)', timezone: 'Asia/Tokyo' } });
    assert.equal(checkScheduleExpression('cron(5 7 * * ? *)'), undefined, 'a valid EventBridge cron');
    assert.match(out, /\n {6}"schedule": \{\n {8}"expression"/, 'indented like the file');
  });
  it('refuses a job that has one, or none of that name', () => {
    const once = applyEdits(text, addScheduleEdits(text, 'census', dailySchedule(6, 0, 'UTC')));
    assert.throws(() => addScheduleEdits(once, 'census', dailySchedule(6, 0, 'UTC')), /already has a "schedule"/);
    assert.throws(() => addScheduleEdits(text, 'other', dailySchedule(6, 0, 'UTC')), /No job "other"/);
  });
  it('time of day HH:MM (24 h); the machine zone when EventBridge knows it, else UTC', () => {
    assert.deepEqual(parseTimeOfDay('06:30'), { hour: 6, minute: 30 });
    assert.deepEqual(parseTimeOfDay('23:59'), { hour: 23, minute: 59 });
    for (const bad of ['24:00', '6.30', '06:60', '', 'noon']) assert.ok(checkTimeOfDay(bad), bad);
    assert.equal(machineTimeZone('Europe/Berlin'), 'Europe/Berlin');
    assert.equal(machineTimeZone('Not/AZone'), 'UTC');
    assert.equal(machineTimeZone(undefined), 'UTC');
  });
});
