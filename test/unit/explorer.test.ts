import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JOB_STATUSES, type JobPage, type JobSummary, type ListJobsFilter } from '../../src/core/jobs';
import { consoleUrl, describeFilter, jobItemModel, matchesFilter, toListFilter } from '../../src/core/jobItem';
import { fetchAll, fetchPage, mergeJobs } from '../../src/core/pagination';
import { PollScheduler, type Clock } from '../../src/core/poller';
import { RunningJobsTracker } from '../../src/core/runningJobs';
import { AwsClients } from '../../src/aws/index';
import { parseIni, parseProfiles, profileFiles } from '../../src/core/profiles';
import { jobDetailRows, relativeKeyPath, s3Outputs } from '../../src/core/jobDetails';
import { addJobToDefinitionText, baseJobName, jobToDefinition, rerunJobName, rerunRequest } from '../../src/core/jobToDefinition';

const T0 = new Date('2026-11-27T10:00:00.000Z');
const job = (name: string, extra: Partial<JobSummary> = {}): JobSummary => ({
  name, arn: `arn:aws:sagemaker:us-east-1:123456789012:processing-job/${name}`, status: 'Completed', creationTime: T0, ...extra,
});

describe('job → tree item', () => {
  const now = new Date(T0.getTime() + 3 * 60_000 + 5_000);
  const expected: Record<string, [string, string | undefined]> = {
    InProgress: ['sync~spin', 'charts.blue'],
    Stopping: ['sync~spin', 'charts.orange'],
    Completed: ['pass', 'testing.iconPassed'],
    Failed: ['error', 'testing.iconFailed'],
    Stopped: ['circle-slash', 'disabledForeground'],
  };
  for (const status of JOB_STATUSES) {
    test(`${status}: icon, colour, description, context value`, () => {
      const ended = status === 'InProgress' || status === 'Stopping' ? undefined : new Date(T0.getTime() + 90_000);
      // Started 10 s after its creation (queued 10 s): the duration runs from the start.
      const m = jobItemModel(job('j1', { status, startTime: new Date(T0.getTime() + 10_000), endTime: ended, failureReason: status === 'Failed' ? 'AlgorithmError: boom' : undefined }), now);
      assert.equal(m.label, 'j1');
      assert.deepEqual([m.icon, m.color], expected[status]);
      assert.equal(m.contextValue, `job status-${status} cloud`);
      const duration = ended ? '1 min 20 s' : '2 min 55 s';
      // The row: status and age (short at the default side-bar width); the duration in the tooltip and aria label.
      assert.equal(m.description, `${status} · 3m ago`);
      assert.match(m.tooltip, new RegExp(`Duration: ${duration} \\(queued 10 s before it started\\)`));
      assert.equal(m.ariaLabel, `j1, ${status}, 3 min ago, ${duration}`);
      assert.match(m.tooltip, new RegExp(`Status: \\*\\*${status}\\*\\*`));
      if (status === 'Failed') assert.match(m.tooltip, /Failure: AlgorithmError: boom/);
    });
  }
  test('local runs get the local context value; markdown in names is escaped', () => {
    const m = jobItemModel(job('a_b', { arn: '' }), T0, 'local');
    assert.equal(m.contextValue, 'job status-Completed local');
    assert.match(m.tooltip, /a\\_b/);
    assert.match(m.tooltip, /local run/);
  });
  test('unknown status falls back to a question icon', () => {
    assert.equal(jobItemModel(job('x', { status: 'Weird' as never }), T0).icon, 'question');
  });
});

describe('filters', () => {
  test('description, list filter and client-side match', () => {
    const f = { status: 'Failed' as const, nameContains: 'census', window: { label: 'last 24 hours', hours: 24 } };
    assert.equal(describeFilter(f), 'filter: Failed, name ~ "census", last 24 hours');
    assert.equal(describeFilter({}), '');
    const lf = toListFilter(f, T0);
    assert.equal(lf.creationTimeAfter?.toISOString(), '2026-11-26T10:00:00.000Z');
    assert.ok(matchesFilter(job('census-1', { status: 'Failed' }), f, T0));
    assert.ok(!matchesFilter(job('other', { status: 'Failed' }), f, T0));
    assert.ok(!matchesFilter(job('census-1', { status: 'Completed' }), f, T0));
    assert.ok(!matchesFilter(job('census-1', { status: 'Failed', creationTime: new Date(0) }), f, T0));
  });
});

/** A fake service that cuts pages before filtering, like moto. */
function fakeList(all: JobSummary[], pageCut: number) {
  const calls: { token?: string; max: number }[] = [];
  const list = async (filter: ListJobsFilter, token: string | undefined, max: number): Promise<JobPage> => {
    calls.push({ token, max });
    const start = token ? Number(token) : 0;
    const slice = all.slice(start, start + Math.min(max, pageCut));
    const next = start + slice.length < all.length ? String(start + slice.length) : undefined;
    return { jobs: slice.filter((j) => !filter.status || j.status === filter.status), nextToken: next };
  };
  return { list, calls };
}

describe('pagination', () => {
  const many = Array.from({ length: 250 }, (_, i) => job(`j${i}`, { status: i % 50 === 0 ? 'Failed' : 'Completed' }));
  test('short and empty pages with a token are followed until a page worth is collected', async () => {
    const f = fakeList(many, 100);
    const p = await fetchPage(f.list, { status: 'Failed' }, undefined, { pageSize: 100 });
    assert.deepEqual(p.jobs.map((j) => j.name), ['j0', 'j50', 'j100', 'j150', 'j200']);
    assert.equal(p.nextToken, undefined);
    assert.equal(p.calls, 3);
  });
  test('stops at a page worth, returns the token to continue', async () => {
    const f = fakeList(many, 100);
    const p1 = await fetchPage(f.list, {}, undefined, { pageSize: 100 });
    assert.equal(p1.jobs.length, 100);
    assert.equal(p1.nextToken, '100');
    const p2 = await fetchPage(f.list, {}, p1.nextToken, { pageSize: 100 });
    const p3 = await fetchPage(f.list, {}, p2.nextToken, { pageSize: 100 });
    assert.equal(mergeJobs(mergeJobs(p1.jobs, p2.jobs), p3.jobs).length, 250);
    assert.equal(p3.nextToken, undefined);
  });
  test('a run of empty pages is bounded by maxCalls and keeps the token', async () => {
    const empty = Array.from({ length: 1000 }, (_, i) => job(`c${i}`));
    const f = fakeList(empty, 10);
    const p = await fetchPage(f.list, { status: 'Failed' }, undefined, { pageSize: 100, maxCalls: 5 });
    assert.equal(p.jobs.length, 0);
    assert.equal(p.calls, 5);
    assert.equal(p.nextToken, '50');
  });
  test('a token that does not move ends the loop; duplicates are dropped', async () => {
    let n = 0;
    const p = await fetchPage(async () => ({ jobs: [job('same')], nextToken: (n++, 'stuck') }), {}, 'stuck');
    assert.equal(n, 1);
    assert.equal(p.jobs.length, 1);
    assert.equal(p.nextToken, undefined);
  });
  test('fetchAll reads every page', async () => {
    const f = fakeList(many, 30);
    const p = await fetchAll(f.list, {});
    assert.equal(p.jobs.length, 250);
    assert.equal(p.calls, 9);
  });
});

class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  get pending(): number {
    return this.timers.length;
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
  }
}

describe('poll scheduler (fake clock)', () => {
  const setup = (results: (() => Promise<{ active: boolean }>)[]) => {
    const clock = new FakeClock();
    let i = 0;
    const times: number[] = [];
    const s = new PollScheduler({
      clock,
      intervalMs: () => 10_000,
      isThrottling: (e) => (e as Error).name === 'ThrottlingException',
      poll: () => {
        times.push(clock.t);
        return (results[Math.min(i++, results.length - 1)])();
      },
    });
    return { clock, s, times };
  };
  const active = () => Promise.resolve({ active: true });
  const idle = () => Promise.resolve({ active: false });
  const throttle = () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

  test('polls at the interval only while active and needed', async () => {
    const { clock, s, times } = setup([active, active, idle]);
    s.setActive(true);
    await clock.advance(60_000);
    assert.deepEqual(times, [], 'not needed: no poll');
    s.setNeeded(true);
    await clock.advance(60_000);
    assert.deepEqual(times, [70_000, 80_000, 90_000], 'stops once nothing runs');
    assert.equal(clock.pending, 0);
    s.setActive(true);
    s.setNeeded(false);
    await clock.advance(60_000);
    assert.equal(times.length, 3);
    s.dispose();
  });

  test('backs off on throttling, then returns to the interval', async () => {
    const { clock, s, times } = setup([throttle, throttle, throttle, active, idle]);
    s.setNeeded(true);
    s.setActive(true);
    await clock.advance(200_000);
    // 10 s, then +20 s, +40 s, +80 s (back-off), then +10 s again.
    assert.deepEqual(times, [10_000, 30_000, 70_000, 150_000, 160_000]);
    s.dispose();
  });

  test('other errors keep polling at the interval (recovery on the next poll)', async () => {
    const errors: unknown[] = [];
    const clock = new FakeClock();
    let n = 0;
    const s = new PollScheduler({
      clock, intervalMs: () => 5_000, isThrottling: () => false, onError: (e) => errors.push(e),
      poll: async () => {
        if (n++ < 2) throw new Error('ECONNRESET');
        return { active: false };
      },
    });
    s.setNeeded(true);
    s.setActive(true);
    await clock.advance(30_000);
    assert.equal(n, 3);
    assert.equal(errors.length, 2);
    assert.equal(clock.pending, 0);
  });

  test('never two polls in flight: pollNow joins the running poll', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    let started = 0;
    const s = new PollScheduler({
      clock, intervalMs: () => 1_000, isThrottling: () => false,
      poll: () => {
        started++;
        return new Promise((r) => (release = () => r({ active: true })));
      },
    });
    s.setNeeded(true);
    const a = s.pollNow();
    const b = s.pollNow();
    s.setActive(true);
    await clock.advance(10_000); // the timer must not start a second poll while one is in flight
    assert.equal(started, 1);
    assert.equal(a, b);
    assert.ok(s.isPolling);
    release();
    await a;
    assert.ok(!s.isPolling);
    assert.ok(s.isScheduled);
    await clock.advance(1_000);
    assert.equal(started, 2);
    s.dispose();
    assert.ok(!s.isScheduled);
  });
});

describe('switching profile or region while a call is in flight', () => {
  test('a poll overtaken by reset() changes nothing and reports nothing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tracker = new RunningJobsTracker(async () => ({
      list: async (): Promise<JobPage> => {
        await gate;
        return { jobs: [job('old-account-job', { status: 'InProgress' })] };
      },
      describe: async (name) => job(name),
    }));
    tracker.seen([job('old-running', { status: 'InProgress' })]);
    const polling = tracker.poll();
    tracker.reset();
    release();
    const out = await polling;
    assert.deepEqual(out.updates, []);
    assert.deepEqual(out.running, []);
    assert.deepEqual(tracker.runningJobs, [], 'the old account\'s jobs are not tracked under the new one');
    const next = await tracker.poll();
    assert.deepEqual(next.running.map((j) => j.name), ['old-account-job'], 'the next poll counts again');
  });

  test('retarget gives new clients and a new generation, and keeps the old ones usable for calls in flight', async () => {
    const aws = new AwsClients({ region: 'us-east-1' });
    try {
      const before = await aws.sagemaker();
      const gen = aws.generation;
      aws.retarget({ region: 'eu-west-1' });
      assert.equal(aws.generation, gen + 1);
      const after = await aws.sagemaker();
      assert.notEqual(after, before);
      assert.equal(await after.client.config.region(), 'eu-west-1');
      assert.equal(await before.client.config.region(), 'us-east-1');
      assert.equal(await aws.sagemaker(), after, 'one client per target');
    } finally {
      aws.dispose();
    }
  });
});

describe('profiles', () => {
  const config = `
# comment
[default]
region = us-east-1
output = json

[profile dev]
sso_session = corp
sso_account_id = 111111111111
region=eu-west-1 ; trailing comment

[profile ops]
role_arn = arn:aws:iam::1:role/x
source_profile = default
s3 =
  max_concurrent_requests = 20

[sso-session corp]
sso_start_url = https://example.invalid/start
`;
  const credentials = `[default]
aws_access_key_id = EXAMPLEKEYIDNOTREAL
aws_secret_access_key = super/secret+value

[ci]
aws_access_key_id=OTHERKEYIDNOTREAL
aws_secret_access_key=another-secret
aws_session_token=sessiontok123
`;
  test('lists profiles of both files with region and kind, default first; no sso-session sections', () => {
    assert.deepEqual(parseProfiles(config, credentials), [
      { name: 'default', kind: 'static', sources: ['config', 'credentials'], region: 'us-east-1' },
      { name: 'ci', kind: 'static', sources: ['credentials'] },
      { name: 'dev', kind: 'sso', sources: ['config'], region: 'eu-west-1' },
      { name: 'ops', kind: 'role', sources: ['config'] },
    ]);
  });
  test('secret values never leave the parser', () => {
    const text = JSON.stringify([...parseIni(credentials)].map(([k, v]) => [k, [...v]]));
    for (const secret of ['EXAMPLEKEYIDNOTREAL', 'super/secret+value', 'another-secret', 'sessiontok123', 'OTHERKEYIDNOTREAL']) assert.ok(!text.includes(secret), secret);
    assert.ok(!JSON.stringify(parseProfiles(config, credentials)).includes('secret'));
  });
  test('missing files and CRLF', () => {
    assert.deepEqual(parseProfiles(undefined, undefined), []);
    assert.deepEqual(parseProfiles('[profile a]\r\nregion = us-west-2\r\n', undefined), [{ name: 'a', kind: 'unknown', sources: ['config'], region: 'us-west-2' }]);
  });
  test('file locations honour AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
    assert.deepEqual(profileFiles({}, '/home/u'), { config: '/home/u/.aws/config', credentials: '/home/u/.aws/credentials' });
    assert.deepEqual(profileFiles({ AWS_CONFIG_FILE: '~/cfg', AWS_SHARED_CREDENTIALS_FILE: '/etc/creds' }, '/home/u'), { config: '/home/u/cfg', credentials: '/etc/creds' });
  });
});

describe('console URLs', () => {
  test('commercial, China and GovCloud partitions', () => {
    assert.equal(consoleUrl('j', 'eu-west-1'), 'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/processing-jobs/j');
    assert.equal(consoleUrl('j', 'cn-north-1'), 'https://cn-north-1.console.amazonaws.cn/sagemaker/home?region=cn-north-1#/processing-jobs/j');
    assert.equal(consoleUrl('j', 'us-gov-west-1'), 'https://console.amazonaws-us-gov.com/sagemaker/home?region=us-gov-west-1#/processing-jobs/j');
  });
  test('the ARN wins over the current region', () => {
    assert.equal(consoleUrl('j', 'us-east-1', 'arn:aws-cn:sagemaker:cn-northwest-1:1:processing-job/j'),
      'https://cn-northwest-1.console.amazonaws.cn/sagemaker/home?region=cn-northwest-1#/processing-jobs/j');
  });
});

const DESC = {
  ProcessingJobName: 'census-preprocessing-2026-11-27-10-00-00-000',
  ProcessingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:processing-job/census-preprocessing-2026-11-27-10-00-00-000',
  ProcessingJobStatus: 'Failed',
  FailureReason: 'AlgorithmError: exit 1',
  ExitMessage: 'Traceback…',
  CreationTime: T0,
  ProcessingStartTime: new Date(T0.getTime() + 60_000),
  ProcessingEndTime: new Date(T0.getTime() + 185_000),
  RoleArn: 'arn:aws:iam::123456789012:role/R',
  AppSpecification: {
    ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest',
    ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'],
    ContainerArguments: ['--split', '0.2'],
  },
  ProcessingResources: { ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
  ProcessingInputs: [
    { InputName: 'census', S3Input: { S3Uri: 's3://b/census-preprocessing-2026-11-27-10-00-00-000/input/census', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'ShardedByS3Key' } },
    { InputName: 'code', S3Input: { S3Uri: 's3://b/x/input/code/preprocessing.py', LocalPath: '/opt/ml/processing/input/code', S3InputMode: 'File' } },
  ],
  ProcessingOutputConfig: {
    Outputs: [
      { OutputName: 'train_data', S3Output: { S3Uri: 's3://b/census-preprocessing-2026-11-27-10-00-00-000/output/train_data', LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } },
      { OutputName: 'report', S3Output: { S3Uri: 's3://elsewhere/reports', LocalPath: '/opt/ml/processing/report', S3UploadMode: 'Continuous' } },
    ],
  },
  Environment: { MODE: 'full' },
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
};

describe('job details', () => {
  test('rows for a full description', () => {
    const rows = jobDetailRows(DESC);
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
    assert.equal(byLabel['Failure reason'].value, 'AlgorithmError: exit 1');
    assert.equal(byLabel['Image'].value, DESC.AppSpecification.ImageUri);
    assert.equal(byLabel['Entrypoint'].value, 'python3 /opt/ml/processing/input/code/preprocessing.py');
    assert.equal(byLabel['Arguments'].value, '--split 0.2');
    assert.equal(byLabel['Instances'].value, 'ml.m5.xlarge × 2, 30 GB volume');
    assert.equal(byLabel['Inputs'].children?.[0].value, 's3://b/census-preprocessing-2026-11-27-10-00-00-000/input/census → /opt/ml/processing/input (File)');
    assert.equal(byLabel['Outputs'].children?.[1].value, '/opt/ml/processing/report → s3://elsewhere/reports (Continuous)');
    assert.deepEqual(byLabel['Environment'].children, [{ label: 'MODE', value: 'full' }]);
    assert.equal(byLabel['Max runtime'].value, '1 h 0 min');
    assert.equal(byLabel['Times'].children?.find((c) => c.label === 'Duration')?.value, '2 min 5 s');
  });
  test('missing fields are simply absent (moto omits ProcessingResources)', () => {
    assert.deepEqual(jobDetailRows({}), []);
    const rows = jobDetailRows({ ProcessingJobName: 'x', AppSpecification: { ImageUri: 'img' }, CreationTime: T0 });
    assert.deepEqual(rows.map((r) => r.label), ['Image', 'Times']);
  });
  test('S3 outputs and safe local paths for downloads', () => {
    assert.deepEqual(s3Outputs(DESC).map((o) => o.name), ['train_data', 'report']);
    assert.equal(relativeKeyPath('p/out/', 'p/out/a/b.csv'), 'a/b.csv');
    assert.equal(relativeKeyPath('p/out/', 'p/out/../../etc/passwd'), undefined);
    assert.equal(relativeKeyPath('p/out', 'p/out'), 'out');
  });
});

describe('re-run and save as definition', () => {
  test('new names follow the SDK scheme', () => {
    const now = new Date('2026-11-27T12:34:56.789Z');
    assert.equal(rerunJobName('census-preprocessing-2026-11-27-10-00-00-000', now), 'census-preprocessing-2026-11-27-12-34-56-789');
    const long = 'a'.repeat(70);
    const n = rerunJobName(long, now);
    assert.equal(n.length, 63);
    assert.equal(n, `${'a'.repeat(39)}-2026-11-27-12-34-56-789`);
    assert.match(n, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    assert.equal(baseJobName('plain'), 'plain');
  });
  test('the re-run request is the same request under a new name', () => {
    const req = rerunRequest(DESC, new Date('2026-11-27T12:00:00.000Z'));
    assert.equal(req.ProcessingJobName, 'census-preprocessing-2026-11-27-12-00-00-000');
    assert.deepEqual(req.AppSpecification, DESC.AppSpecification);
    assert.deepEqual(req.ProcessingInputs, DESC.ProcessingInputs);
    assert.deepEqual(req.Environment, DESC.Environment);
    assert.ok(!('FailureReason' in req) && !('ProcessingJobStatus' in req));
  });
  test('a description becomes a job definition', () => {
    const { key, job } = jobToDefinition(DESC);
    assert.equal(key, 'census-preprocessing');
    assert.deepEqual(job, {
      script: 'preprocessing.py',
      image: DESC.AppSpecification.ImageUri,
      command: ['python3'],
      role: DESC.RoleArn,
      instanceType: 'ml.m5.xlarge',
      instanceCount: 2,
      volumeSizeGB: 30,
      maxRuntimeSeconds: 3600,
      inputs: [{ name: 'census', source: 's3://b/census-preprocessing-2026-11-27-10-00-00-000/input/census', destination: '/opt/ml/processing/input', distribution: 'ShardedByS3Key' }],
      outputs: [
        { name: 'train_data', source: '/opt/ml/processing/train' },
        { name: 'report', source: '/opt/ml/processing/report', destination: 's3://elsewhere/reports', uploadMode: 'Continuous' },
      ],
      arguments: ['--split', '0.2'],
      environment: { MODE: 'full' },
      baseJobName: 'census-preprocessing',
    });
  });
  test('a sparse description (moto) still converts', () => {
    const { job } = jobToDefinition({ ProcessingJobName: 'x', AppSpecification: { ImageUri: 'img', ContainerEntrypoint: ['bash', 'run.sh'] } });
    assert.deepEqual(job, { image: 'img', command: ['bash', 'run.sh'], baseJobName: 'x' });
  });
  test('added to the definition file text, keeping comments, with a unique key', () => {
    const text = '{\n  // my jobs\n  "version": "1",\n  "jobs": {\n    "census-preprocessing": { "script": "a.py" }\n  }\n}\n';
    const out = addJobToDefinitionText(text, 'census-preprocessing', { script: 'b.py' });
    assert.equal(out.key, 'census-preprocessing-2');
    assert.match(out.text, /\/\/ my jobs/);
    assert.match(out.text, /"census-preprocessing-2": \{\s*"script": "b.py"\s*\}/);
    const fresh = addJobToDefinitionText(undefined, 'k', { image: 'i' });
    assert.deepEqual(JSON.parse(fresh.text), { version: '1', jobs: { k: { image: 'i' } } });
  });
});
