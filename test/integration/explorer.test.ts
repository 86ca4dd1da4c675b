// The explorer's core against moto (250+ jobs: paging, every filter, stop) and, through the scripted proxy, the
// poller playing a lifecycle (InProgress → Completed / Failed) and faults (throttling, 5xx, resets).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { connectionReset, onAction, serverError, startProxy, throttling, type ProxiedRequest, type ScriptedProxy } from '../support/proxy';
import { seedJobs } from '../support/seed';
import { SageMakerApi } from '../../src/aws/sagemaker';
import { explainAwsError } from '../../src/aws/errors';
import { fetchPage, mergeJobs, type ListJobsFn } from '../../src/core/pagination';
import { RunningJobsTracker } from '../../src/core/runningJobs';
import { summaryFromDescription } from '../../src/core/jobDetails';
import { sortNewestFirst, type JobSummary } from '../../src/core/jobs';

const N = 260;
const names = Array.from({ length: N }, (_, i) => `${i % 2 ? 'census' : 'churn'}-job-${String(i).padStart(3, '0')}`);

describe('explorer against moto (260 jobs)', () => {
  let moto: Moto;
  let restore: () => void;
  let sm: SageMakerApi;
  let list: ListJobsFn;
  const all = async (filter: Parameters<ListJobsFn>[0]) => {
    let shown: JobSummary[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = await fetchPage(list, filter, token, { pageSize: 100 });
      pages++;
      shown = mergeJobs(shown, p.jobs);
      token = p.nextToken;
      assert.ok(p.jobs.length > 0 || !token, 'a page worth or the end, never an empty page with more to come');
    } while (token);
    return { jobs: sortNewestFirst(shown), pages };
  };

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    await seedJobs(moto.endpoint, names);
    sm = new SageMakerApi({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    list = (f, t, m) => sm.listProcessingJobs(f, t, m);
  });
  after(async () => {
    sm?.destroy();
    restore?.();
    await moto?.stop();
  });

  it('pages through every job 100 at a time ("Load more"), newest first, no duplicates', async () => {
    const first = await fetchPage(list, {}, undefined, { pageSize: 100 });
    assert.equal(first.jobs.length, 100);
    assert.ok(first.nextToken);
    const { jobs, pages } = await all({});
    assert.equal(pages, 3);
    assert.equal(jobs.length, N);
    assert.equal(new Set(jobs.map((j) => j.name)).size, N);
    for (let i = 1; i < jobs.length; i++) assert.ok(jobs[i - 1].creationTime >= jobs[i].creationTime);
    assert.equal(jobs[0].name, names[N - 1]);
  });

  it('stops a job: it turns Stopped, and the status filter finds it across short pages', async () => {
    await sm.stopProcessingJob(names[5]);
    await sm.stopProcessingJob(names[250]);
    assert.equal((await sm.describeProcessingJob(names[5])).ProcessingJobStatus, 'Stopped');
    const stopped = await all({ status: 'Stopped' });
    assert.deepEqual(stopped.jobs.map((j) => j.name).sort(), [names[5], names[250]].sort());
    // moto cuts pages before filtering: the first call alone would come back short with a token.
    const raw = await sm.listProcessingJobs({ status: 'Stopped' }, undefined, 100);
    assert.ok(raw.jobs.length < 2 && raw.nextToken, 'moto gives a short page with a token here');
    const page = await fetchPage(list, { status: 'Stopped' }, undefined, { pageSize: 100 });
    assert.equal(page.jobs.length, 2);
  });

  it('filters by every status', async () => {
    assert.equal((await all({ status: 'Completed' })).jobs.length, N - 2);
    for (const status of ['InProgress', 'Failed', 'Stopping'] as const) {
      const p = await fetchPage(list, { status }, undefined, { pageSize: 100 });
      assert.deepEqual(p.jobs, [], status);
      assert.equal(p.nextToken, undefined, `${status}: followed the empty pages to the end`);
    }
  });

  it('filters by name and by creation time', async () => {
    const census = await all({ nameContains: 'census' });
    assert.equal(census.jobs.length, N / 2);
    assert.ok(census.jobs.every((j) => j.name.includes('census')));
    assert.equal((await all({ nameContains: 'job-25' })).jobs.length, 10);
    assert.equal((await all({ creationTimeAfter: new Date(Date.now() + 3600_000) })).jobs.length, 0);
    assert.equal((await all({ creationTimeAfter: new Date(Date.now() - 3600_000) })).jobs.length, N);
    assert.equal((await all({ creationTimeBefore: new Date(Date.now() - 3600_000) })).jobs.length, 0);
    const both = await all({ nameContains: 'churn', status: 'Stopped' });
    assert.deepEqual(both.jobs.map((j) => j.name), [names[250]]);
  });
});

describe('poller through the scripted proxy (lifecycles and faults)', () => {
  let moto: Moto;
  let restore: () => void;
  let proxy: ScriptedProxy;
  let sm: SageMakerApi;
  let tracker: RunningJobsTracker;
  const inProgressList = (req: ProxiedRequest) => req.action === 'ListProcessingJobs' && req.json?.StatusEquals === 'InProgress';
  /**
   * Plays the InProgress list as holding these jobs (moto has none: its jobs complete at once), paged as SageMaker
   * pages it: at most the request's MaxResults (default 10, at most 100) a page, with a NextToken while more remain.
   */
  const playRunning = (jobs: string[], times: number) => proxy.add({
    match: inProgressList, times,
    action: { kind: 'respond', respond: (req) => {
      const max = Math.min(Number(req.json?.MaxResults ?? 10), 100);
      const start = req.json?.NextToken ? Number(String(req.json.NextToken).replace('page-', '')) : 0;
      const page = jobs.slice(start, start + max);
      return { status: 200, body: {
        ...(start + max < jobs.length ? { NextToken: `page-${start + max}` } : {}),
        ProcessingJobSummaries: page.map((n) => ({
          ProcessingJobName: n, ProcessingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:processing-job/${n}`,
          ProcessingJobStatus: 'InProgress', CreationTime: Date.now() / 1000 - 60,
        })),
      } };
    } },
  });
  const BUSY = 150;

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    await seedJobs(moto.endpoint, ['life-ok', 'life-fail', ...Array.from({ length: BUSY }, (_, i) => `busy-${i}`)]);
    sm = new SageMakerApi({ endpointUrl: proxy.url, region: 'us-east-1' });
    tracker = new RunningJobsTracker(async () => ({
      list: (f, t, m) => sm.listProcessingJobs(f, t, m),
      describe: async (n) => summaryFromDescription(await sm.describeProcessingJob(n)),
    }));
  });
  after(async () => {
    sm?.destroy();
    restore?.();
    await proxy?.stop();
    await moto?.stop();
  });

  it('plays InProgress → Completed for a watched job: the end is reported once, then polling stops', async () => {
    playRunning(['life-ok'], 2);
    tracker.watch('life-ok');
    const p1 = await tracker.poll();
    assert.deepEqual(p1.running.map((j) => j.name), ['life-ok']);
    assert.equal(p1.active, true);
    assert.deepEqual(p1.ended, []);
    assert.equal(tracker.watchedJob('life-ok')?.status, 'InProgress');
    const p2 = await tracker.poll();
    assert.deepEqual(p2.ended, []);
    const p3 = await tracker.poll(); // the proxy stops playing: moto's real answer, Completed
    assert.deepEqual(p3.running, []);
    assert.deepEqual(p3.ended.map((j) => [j.name, j.status]), [['life-ok', 'Completed']]);
    assert.ok(p3.updates.some((j) => j.name === 'life-ok' && j.status === 'Completed'));
    assert.equal(p3.active, false);
    assert.deepEqual((await tracker.poll()).ended, []);
    proxy.clearRules();
  });

  it('plays InProgress → Failed with the failure reason', async () => {
    playRunning(['life-fail'], 1);
    proxy.add({ match: (r) => r.action === 'DescribeProcessingJob' && r.json?.ProcessingJobName === 'life-fail', action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobStatus: 'Failed', FailureReason: 'AlgorithmError: see the logs' }) } });
    tracker.watch('life-fail');
    assert.deepEqual((await tracker.poll()).running.map((j) => j.name), ['life-fail']);
    const out = await tracker.poll();
    assert.deepEqual(out.ended.map((j) => [j.name, j.status, j.failureReason]), [['life-fail', 'Failed', 'AlgorithmError: see the logs']]);
    proxy.clearRules();
  });

  it('one ListProcessingJobs page per poll whatever the number of running jobs, and a second page past a full one', async () => {
    for (const n of [1, 10, 40, BUSY]) {
      const names = Array.from({ length: n }, (_, i) => `busy-${i}`);
      playRunning(names, Infinity);
      const seen: ProxiedRequest[] = [];
      proxy.onRequest = (r) => { if (inProgressList(r)) seen.push(r); };
      const since = Date.now();
      const out = await tracker.poll();
      proxy.onRequest = undefined;
      // Pages of the size the client asked for (SageMaker's largest is 100): n jobs take ceil(n / size) calls.
      const size = Math.min(Number(seen[0]?.json?.MaxResults ?? 10), 100);
      const pages = Math.max(1, Math.ceil(n / size));
      assert.deepEqual(out.running.map((j) => j.name).sort(), [...names].sort(), `${n} running jobs, every page read`);
      assert.equal(out.calls, pages);
      assert.equal(proxy.count('ListProcessingJobs', since), pages);
      assert.deepEqual(seen.map((r) => r.json?.NextToken ?? null), [null, ...Array.from({ length: pages - 1 }, (_, i) => `page-${(i + 1) * size}`)], 'each page asked with the token of the one before');
      assert.equal(proxy.count('DescribeProcessingJob', since), 0);
      proxy.clearRules();
    }
    assert.equal(Math.ceil(BUSY / 100), 2, 'the largest case takes a real second page even at the largest page size');
    await tracker.poll(); // they all "ended": described once each, then forgotten
    const since = Date.now();
    const last = await tracker.poll();
    assert.deepEqual(last.ended, []);
    assert.equal(proxy.count('DescribeProcessingJob', since), 0, 'nothing left to describe');
    // Only the list: moto cuts its pages before filtering, so its empty InProgress list of 152 jobs takes 2 calls.
    assert.equal(last.calls, proxy.count('ListProcessingJobs', since));
  });

  it('throttling, a 5xx and a dropped connection fail the poll with a clear message; the next poll recovers', async () => {
    tracker.watch('life-ok');
    for (const [fault, expected] of [[throttling(), /throttling/], [serverError(503), /AWS service error \(503\)/], [connectionReset(), /Cannot reach the AWS endpoint|socket hang up|ECONNRESET/]] as const) {
      playRunning(['life-ok'], 1);
      assert.deepEqual((await tracker.poll()).running.map((j) => j.name), ['life-ok']);
      proxy.clearRules();
      proxy.add({ match: onAction('ListProcessingJobs'), action: fault }); // beyond the SDK's retries
      await assert.rejects(tracker.poll(), (err) => {
        assert.match(explainAwsError(err), expected);
        return true;
      });
      proxy.clearRules();
      const out = await tracker.poll();
      assert.deepEqual(out.ended.map((j) => j.name), ['life-ok'], 'the job that ended meanwhile is still reported');
      tracker.watch('life-ok');
    }
  });
});
