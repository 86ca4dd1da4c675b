// Issue 22 items 6 and 7 (core): the live list — while the jobs view is visible, one ListProcessingJobs per poll also
// brings jobs started elsewhere, even ones that ended between two polls — and a Stopping job counts as running.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { JobPage, JobSummary, ListJobsFilter } from '../../src/core/jobs';
import { RunningJobsTracker } from '../../src/core/runningJobs';

const T0 = new Date('2026-12-07T19:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

/** An account in memory: ListProcessingJobs with SageMaker's filters (status, CreationTimeAfter), counting calls. */
function account(jobs: JobSummary[]) {
  const calls = { list: [] as ListJobsFilter[], describe: [] as string[] };
  const port = {
    list: async (f: ListJobsFilter): Promise<JobPage> => {
      calls.list.push(f);
      return { jobs: jobs.filter((j) => (!f.status || j.status === f.status) && (!f.creationTimeAfter || j.creationTime > f.creationTimeAfter)) };
    },
    describe: async (name: string): Promise<JobSummary> => {
      calls.describe.push(name);
      const j = jobs.find((x) => x.name === name);
      if (!j) throw Object.assign(new Error('not found'), { name: 'ResourceNotFound' });
      return { ...j };
    },
  };
  return { calls, tracker: new RunningJobsTracker(async () => port) };
}

const job = (name: string, status: JobSummary['status'], created: number): JobSummary => ({ name, arn: `arn:${name}`, status, creationTime: at(created) });

describe('the live list (view visible): one ListProcessingJobs per poll', () => {
  test('a job started elsewhere that already ended is among the updates; an old running one stays followed', async () => {
    const jobs = [job('old-running', 'InProgress', 0), job('shown', 'Completed', 100)];
    const { calls, tracker } = account(jobs);
    tracker.seen(jobs);
    // Between two polls, another window starts a job that completes at once, and one that runs.
    jobs.push(job('cli-quick', 'Completed', 200), job('cli-long', 'InProgress', 201));
    const out = await tracker.poll([], { since: at(100 - 60) });
    assert.equal(calls.list.length, 1, 'one list call');
    assert.deepEqual(calls.describe, [], 'no describe: nothing left InProgress');
    assert.equal(calls.list[0].status, undefined, 'any status');
    assert.ok(calls.list[0].creationTimeAfter! < at(0), 'back to the oldest running job, so it is still listed');
    // Everything created since the watermark ('shown' too: the tree redraws only what changed).
    assert.deepEqual(out.updates.map((j) => j.name).sort(), ['cli-long', 'cli-quick', 'old-running', 'shown']);
    assert.deepEqual(out.running.map((j) => j.name).sort(), ['cli-long', 'old-running']);
    assert.equal(out.active, true);
  });

  test('hidden (no since): the usual InProgress list, which cannot see a job that ended between polls', async () => {
    const jobs = [job('shown', 'Completed', 100), job('cli-quick', 'Completed', 200)];
    const { calls, tracker } = account(jobs);
    const out = await tracker.poll();
    assert.deepEqual(calls.list, [{ status: 'InProgress' }]);
    assert.deepEqual(out.updates, []);
  });

  test('a followed job that ended is described once (for its start time and reason), as before', async () => {
    const jobs = [job('mine', 'InProgress', 100)];
    const { calls, tracker } = account(jobs);
    tracker.watch('mine');
    await tracker.poll([], { since: at(40) });
    jobs[0] = { ...jobs[0], status: 'Failed', failureReason: 'boom', startTime: at(101), endTime: at(103) };
    const out = await tracker.poll([], { since: at(40) });
    assert.deepEqual(calls.describe, ['mine']);
    assert.deepEqual(out.ended.map((j) => [j.name, j.status, j.failureReason]), [['mine', 'Failed', 'boom']]);
    assert.equal(out.ended[0].startTime?.getTime(), at(101).getTime());
  });
});

describe('a Stopping job counts as running', () => {
  test('not listed as InProgress any more, described as Stopping: still running until it has stopped', async () => {
    const jobs = [job('s', 'InProgress', 0)];
    const { tracker } = account(jobs);
    tracker.seen(jobs);
    jobs[0] = { ...jobs[0], status: 'Stopping' };
    const out = await tracker.poll();
    assert.deepEqual(out.running.map((j) => [j.name, j.status]), [['s', 'Stopping']]);
    assert.deepEqual(tracker.runningJobs.map((j) => j.name), ['s'], 'the status bar counts it: "1 running"');
    assert.equal(out.active, true);
    jobs[0] = { ...jobs[0], status: 'Stopped' };
    const done = await tracker.poll();
    assert.deepEqual(done.running, []);
    assert.deepEqual(done.updates.map((j) => j.status), ['Stopped']);
  });

  test('a Stopping job the view shows is tracked from the start', () => {
    const { tracker } = account([]);
    tracker.seen([job('s', 'Stopping', 0), job('c', 'Completed', 0)]);
    assert.deepEqual(tracker.runningJobs.map((j) => j.name), ['s']);
  });
});
