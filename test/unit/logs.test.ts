import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { LogMerger } from '../../src/core/logs/merge';
import { IdleBackoff, isRetryableError, retryDelay, DEFAULT_POLL } from '../../src/core/logs/backoff';
import { compareStreams, formatRecords, formatSummary, instanceOf } from '../../src/core/logs/format';
import { LogTailer } from '../../src/core/logs/tailer';
import { jobStateFrom, runLogsCommand } from '../../src/core/logs/run';
import type { Clock, JobState, JobStatusPort, LogEventsPage, LogsApiPort, LogStreamInfo, RawLogEvent } from '../../src/core/logs/types';
import type { JobStatus } from '../../src/core/jobs';

const ev = (timestamp: number, message: string): RawLogEvent => ({ timestamp, message });

/** A fake clock: sleeping advances time at once and runs the scripted hooks that fall due. */
class FakeClock implements Clock {
  t = 1_000_000;
  sleeps: number[] = [];
  private hooks: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    const due = this.hooks.filter((h) => h.at <= this.t);
    this.hooks = this.hooks.filter((h) => h.at > this.t);
    for (const h of due) h.fn();
  }
  at(offsetMs: number, fn: () => void): void {
    this.hooks.push({ at: this.t + offsetMs, fn });
  }
}

/** In-memory CloudWatch Logs with CloudWatch's token semantics (same token back at the end), pages of `pageSize`. */
class FakeLogs implements LogsApiPort {
  streams = new Map<string, RawLogEvent[]>();
  calls: string[] = [];
  failures: { op: 'list' | 'get'; err: unknown }[] = [];
  constructor(private readonly pageSize = 3) {}
  put(stream: string, events: RawLogEvent[]): void {
    this.streams.set(stream, [...(this.streams.get(stream) ?? []), ...events]);
  }
  private fail(op: 'list' | 'get'): void {
    const i = this.failures.findIndex((f) => f.op === op);
    if (i >= 0) throw this.failures.splice(i, 1)[0].err;
  }
  async listStreams(_group: string, prefix: string): Promise<LogStreamInfo[]> {
    this.calls.push('list');
    this.fail('list');
    return [...this.streams.keys()].filter((n) => n.startsWith(prefix)).map((name) => ({ name }));
  }
  async getEvents(_group: string, stream: string, token: string | undefined): Promise<LogEventsPage> {
    this.calls.push(`get ${stream} ${token ?? '-'}`);
    this.fail('get');
    const all = this.streams.get(stream) ?? [];
    const from = token ? Number(token.slice(2)) : 0;
    const events = all.slice(from, from + this.pageSize);
    return { events, nextForwardToken: `f/${from + events.length}` };
  }
}

class FakeStatus implements JobStatusPort {
  calls = 0;
  failures: unknown[] = [];
  constructor(public statuses: JobStatus[], public extra: Partial<JobState> = {}) {}
  async describe(): Promise<JobState> {
    this.calls++;
    if (this.failures.length) throw this.failures.shift();
    const status = this.statuses.length > 1 ? this.statuses.shift()! : this.statuses[0];
    return { status, ...this.extra };
  }
}

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const fiveHundred = () => Object.assign(new Error('boom'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

function tail(logs: LogsApiPort, status: JobStatusPort, clock: Clock, extra: Partial<ConstructorParameters<typeof LogTailer>[2]> = {}) {
  const lines: string[] = [];
  const tailer = new LogTailer(logs, status, {
    jobName: 'job',
    clock,
    random: () => 0.5,
    windowMs: 300,
    onRecords: (records, info) => lines.push(...formatRecords(records, { instancePrefix: info.multiInstance, timestamps: false })),
    ...extra,
  });
  return { tailer, lines };
}

describe('log merge', () => {
  it('orders by timestamp; equal timestamps keep stream order (algo-2 before algo-10) and order within a stream', () => {
    const m = new LogMerger(0);
    m.add('job/algo-10-1', [ev(1, 'j1'), ev(5, 'j5')], 0);
    m.add('job/algo-2-1', [ev(1, 'b1'), ev(1, 'b1bis'), ev(3, 'b3')], 0);
    m.add('job/algo-1-1', [ev(2, 'a2'), ev(5, 'a5')], 0);
    assert.deepEqual(m.release(0).map((r) => r.message), ['b1', 'b1bis', 'j1', 'a2', 'b3', 'a5', 'j5']);
    assert.equal(m.size, 0);
  });

  it('holds events for the window so a stream read later slots in; a very late event is still shown', () => {
    const m = new LogMerger(300);
    m.add('job/algo-1-1', [ev(10, 'a10'), ev(30, 'a30')], 1000);
    assert.deepEqual(m.release(1200), []);
    assert.equal(m.dueIn(1200), 100);
    m.add('job/algo-2-1', [ev(20, 'b20')], 1250);
    // The first batch's window passed: it goes, and b20 (ordered before a30) goes with it.
    assert.deepEqual(m.release(1300).map((r) => r.message), ['a10', 'b20', 'a30']);
    m.add('job/algo-2-1', [ev(15, 'late15')], 1400);
    assert.deepEqual(m.release(1500), []);
    assert.deepEqual(m.flush().map((r) => r.message), ['late15']);
  });

  it('stream names, instances and formatting', () => {
    assert.equal(instanceOf('job-x/algo-3-1700000000'), 'algo-3');
    assert.equal(instanceOf('job-x/other'), 'other');
    assert.ok(compareStreams('j/algo-2-5', 'j/algo-10-1') < 0);
    const r = { stream: 's', instance: 'algo-2', timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 6), message: 'one\ntwo\n' };
    assert.deepEqual(formatRecords([r], { instancePrefix: true, timestamps: false }), ['[algo-2] one', '[algo-2] two']);
    assert.deepEqual(formatRecords([r], { instancePrefix: false, timestamps: true }), ['2026-01-02T03:04:05.006Z one', '2026-01-02T03:04:05.006Z two']);
    assert.deepEqual(formatRecords([{ ...r, message: 'plain' }], { instancePrefix: false, timestamps: false }), ['plain']);
    const t0 = new Date('2026-01-01T00:00:00Z');
    assert.equal(formatSummary('j', { status: 'Failed', startTime: t0, endTime: new Date(t0.getTime() + 125_000), failureReason: 'AlgorithmError: exit 1' }),
      '--- Job j Failed after 2 min 5 s: AlgorithmError: exit 1 ---');
    assert.equal(formatSummary('j', { status: 'Completed', creationTime: t0, startTime: t0, lastModifiedTime: new Date(t0.getTime() + 3000) }), '--- Job j Completed after 3 s ---');
    // No start time known: no duration rather than one counted from the creation (which includes the queue).
    assert.equal(formatSummary('j', { status: 'Completed', creationTime: t0, lastModifiedTime: new Date(t0.getTime() + 3000) }), '--- Job j Completed ---');
    assert.deepEqual(jobStateFrom({ ProcessingJobStatus: 'Stopped', ProcessingResources: { ClusterConfig: { InstanceCount: 2 } } }).instanceCount, 2);
  });
});

describe('backoff', () => {
  it('polls every 1.5 s while events flow and backs off when idle, up to 4 s', () => {
    const b = new IdleBackoff(DEFAULT_POLL);
    assert.equal(b.next(true), 1500);
    assert.deepEqual([b.next(false), b.next(false), b.next(false), b.next(false), b.next(false)], [1500, 2250, 3375, 4000, 4000]);
    assert.equal(b.next(true), 1500);
    assert.equal(b.next(false), 1500);
  });

  it('retry delays are jittered within [ceiling/2, ceiling] and capped', () => {
    const p = { retryBaseMs: 200, retryMaxMs: 10_000 };
    assert.equal(retryDelay(1, p, () => 0), 100);
    assert.equal(retryDelay(1, p, () => 1), 200);
    assert.equal(retryDelay(3, p, () => 0.5), 600);
    assert.equal(retryDelay(30, p, () => 1), 10_000);
  });

  it('classifies throttling, 5xx and resets as retryable, access denied and aborts as not', () => {
    assert.ok(isRetryableError(throttled()));
    assert.ok(isRetryableError(fiveHundred()));
    assert.ok(isRetryableError(reset()));
    assert.ok(isRetryableError(Object.assign(new Error('x'), { name: 'TimeoutError' })));
    assert.ok(!isRetryableError(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } })));
    assert.ok(!isRetryableError(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    assert.ok(!isRetryableError(undefined));
  });
});

describe('log tailer (fake API, fake clock)', () => {
  it('tails a running job: late stream, events while running, drains after the end, then stops', async () => {
    const clock = new FakeClock();
    const logs = new FakeLogs(2);
    logs.put('job/algo-1-1', [ev(1, 'a1'), ev(3, 'a3'), ev(5, 'a5')]);
    logs.put('job/algo-2-1', [ev(1, 'b1'), ev(4, 'b4')]);
    logs.put('other-job/algo-1-1', [ev(2, 'not mine')]);
    const status = new FakeStatus(['InProgress', 'InProgress', 'InProgress', 'Completed']);
    clock.at(2000, () => logs.put('job/algo-3-1', [ev(6, 'c6'), ev(7, 'c7')]));
    clock.at(4000, () => logs.put('job/algo-1-1', [ev(8, 'a8')]));
    const { tailer, lines } = tail(logs, status, clock, { statusEveryMs: 5000, discoverEveryMs: 1000 });
    const end = await tailer.run();
    assert.equal(end?.status, 'Completed');
    assert.ok(tailer.finished);
    assert.deepEqual(lines, ['[algo-1] a1', '[algo-2] b1', '[algo-1] a3', '[algo-2] b4', '[algo-1] a5', '[algo-3] c6', '[algo-3] c7', '[algo-1] a8']);
    assert.equal(status.calls, 4);
    // After the terminal status it drained (two empty rounds) and stopped.
    assert.equal(await tailer.run(), end);
  });

  it('retries throttling, 5xx and resets from the saved tokens: nothing lost, nothing repeated', async () => {
    const clock = new FakeClock();
    const logs = new FakeLogs(2);
    const expected: string[] = [];
    for (let i = 0; i < 10; i++) {
      logs.put('job/algo-1-1', [ev(i * 10, `line ${i}`)]);
      expected.push(`line ${i}`);
    }
    const status = new FakeStatus(['InProgress', 'Completed']);
    status.failures.push(fiveHundred());
    logs.failures.push({ op: 'list', err: throttled() }, { op: 'get', err: reset() }, { op: 'get', err: throttled() }, { op: 'get', err: fiveHundred() });
    const retries: number[] = [];
    const { tailer, lines } = tail(logs, status, clock, { onRetry: (_e, d) => retries.push(d), statusEveryMs: 500 });
    clock.at(300, () => logs.failures.push({ op: 'get', err: reset() }, { op: 'get', err: reset() }));
    await tailer.run();
    assert.deepEqual(lines, expected);
    assert.equal(tailer.stats.retries, 7);
    // Consecutive failures of one call back off further: 150 ms (1st), 300 ms (2nd), …
    assert.ok(retries.includes(150) && retries.includes(300));
  });

  it('gives up on an error that is not worth retrying', async () => {
    const clock = new FakeClock();
    const logs = new FakeLogs();
    logs.failures.push({ op: 'list', err: Object.assign(new Error('denied'), { name: 'AccessDeniedException' }) });
    const { tailer } = tail(logs, new FakeStatus(['InProgress']), clock);
    await assert.rejects(tailer.run(), /denied/);
  });

  it('resumes after an abort from the saved tokens, without repeating lines', async () => {
    const clock = new FakeClock();
    const logs = new FakeLogs(2);
    logs.put('job/algo-1-1', [ev(1, 'a'), ev(2, 'b'), ev(3, 'c')]);
    const status = new FakeStatus(['InProgress']);
    const { tailer, lines } = tail(logs, status, clock);
    const abort = new AbortController();
    clock.at(1000, () => abort.abort());
    assert.equal(await tailer.run(abort.signal), undefined);
    assert.deepEqual(lines, ['a', 'b', 'c']);
    logs.put('job/algo-1-1', [ev(4, 'd')]);
    status.statuses = ['Failed'];
    status.extra = { failureReason: 'boom' };
    const end = await tailer.run();
    assert.deepEqual(lines, ['a', 'b', 'c', 'd']);
    assert.equal(end?.status, 'Failed');
  });

  it('runLogsCommand prints the merged lines and the summary; without follow it reads once', async () => {
    const logs = new FakeLogs(5);
    logs.put('job/algo-1-1', [ev(1, 'x'), ev(2, 'y')]);
    const t0 = new Date('2026-01-01T00:00:00Z');
    const sm = { describeProcessingJob: async () => ({ ProcessingJobStatus: 'Failed', ProcessingStartTime: t0, ProcessingEndTime: new Date(t0.getTime() + 61_000), FailureReason: 'exit 2' }) };
    const out: string[] = [];
    const code = await runLogsCommand({ logs: async () => logs, sagemaker: async () => sm }, 'job', true, (l) => out.push(l), { tailer: { clock: new FakeClock() } });
    assert.equal(code, 1);
    assert.deepEqual(out, ['x', 'y', '--- Job job Failed after 1 min 1 s: exit 2 ---']);
    const once: string[] = [];
    const running = { describeProcessingJob: async () => ({ ProcessingJobStatus: 'InProgress' }) };
    assert.equal(await runLogsCommand({ logs: async () => logs, sagemaker: async () => running }, 'job', false, (l) => once.push(l)), 0);
    assert.deepEqual(once, ['x', 'y']);
  });
});
