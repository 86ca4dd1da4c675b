// The live tailer's API budget and lag on a simulated clock: a job writing lines at a steady rate, a stream that
// appears late, idle minutes, full pages, and the drain of a finished job.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { LogTailer, type TailerOptions } from '../../src/core/logs/tailer';
import type { Clock, JobState, JobStatusPort, LogEventsPage, LogRecord, LogsApiPort, LogStreamInfo } from '../../src/core/logs/types';
import type { JobStatus } from '../../src/core/jobs';

const T0 = 1_700_000_000_000;

/** Simulated time: sleeping advances it at once; API calls take no time. */
class SimClock implements Clock {
  t = T0;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
  }
}

interface Call { at: number; op: 'get' | 'list' | 'describe'; stream?: string; events?: number }

/**
 * CloudWatch Logs whose streams fill with time: each stream has its lines with write times (= timestamps), and a call
 * sees the lines written up to the clock's now. Token semantics as CloudWatch's: the same token back at the end.
 */
class SimLogs implements LogsApiPort {
  readonly streams = new Map<string, { created: number; lines: { ts: number; message: string }[] }>();
  constructor(private readonly clock: SimClock, readonly calls: Call[], private readonly pageSize = 10_000) {}

  /** A stream (visible from `created`) with a line every `everyMs` from `from` to `until` (write times). */
  stream(name: string, created: number, from: number, until: number, everyMs: number): void {
    const lines: { ts: number; message: string }[] = [];
    for (let ts = from, k = 0; ts < until; ts += everyMs, k++) lines.push({ ts, message: `${name} #${k}` });
    this.streams.set(name, { created, lines });
  }
  private visible(name: string) {
    const s = this.streams.get(name);
    return s && s.created <= this.clock.now() ? s.lines.filter((l) => l.ts <= this.clock.now()) : [];
  }
  async listStreams(_group: string, prefix: string): Promise<LogStreamInfo[]> {
    this.calls.push({ at: this.clock.now(), op: 'list' });
    return [...this.streams.entries()].filter(([n, s]) => n.startsWith(prefix) && s.created <= this.clock.now()).map(([name]) => ({ name }));
  }
  async getEvents(_group: string, stream: string, token: string | undefined): Promise<LogEventsPage> {
    const all = this.visible(stream);
    const from = token ? Number(token.slice(2)) : 0;
    const events = all.slice(from, from + this.pageSize).map((l) => ({ timestamp: l.ts, message: l.message }));
    this.calls.push({ at: this.clock.now(), op: 'get', stream, events: events.length });
    return { events, nextForwardToken: `f/${from + events.length}` };
  }
}

/** The job runs until `endAt`, then Completed; the status changes at the given times. */
class SimStatus implements JobStatusPort {
  constructor(private readonly clock: SimClock, private readonly calls: Call[], private readonly phases: { until: number; status: JobStatus }[], private readonly extra: Partial<JobState> = {}) {}
  async describe(): Promise<JobState> {
    this.calls.push({ at: this.clock.now(), op: 'describe' });
    const phase = this.phases.find((p) => this.clock.now() < p.until);
    return { status: phase?.status ?? 'Completed', ...this.extra };
  }
}

function follow(logs: SimLogs, status: SimStatus, clock: SimClock, extra: Partial<TailerOptions> = {}) {
  const shown: { rec: LogRecord; at: number }[] = [];
  const tailer = new LogTailer(logs, status, {
    jobName: 'job',
    clock,
    random: () => 0.5,
    onRecords: (records) => {
      for (const rec of records) shown.push({ rec, at: clock.now() });
    },
    ...extra,
  });
  return { tailer, shown };
}

const between = (calls: Call[], from: number, to: number, op?: Call['op']) => calls.filter((c) => c.at >= from && c.at < to && (!op || c.op === op));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

describe('live tailer schedule (simulated clock)', () => {
  it('a 2-instance job writing 8 lines/s for a minute: ≤ 90 calls in that minute (one GetLogEvents per stream per 1.5 s round), lag ≤ 1.9 s, every line once in order', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls);
    const end = T0 + 60_000;
    logs.stream('job/algo-1-1', T0, T0 + 5, end, 250);
    logs.stream('job/algo-2-1', T0, T0 + 130, end, 250);
    const status = new SimStatus(clock, calls, [{ until: end, status: 'InProgress' }], { instanceCount: 2 });
    const { tailer, shown } = follow(logs, status, clock);
    const state = await tailer.run();
    assert.equal(state?.status, 'Completed');

    // Every line exactly once, in timestamp order.
    const written = [...logs.streams.values()].flatMap((s) => s.lines).sort((a, b) => a.ts - b.ts).map((l) => l.message);
    assert.equal(written.length, 480);
    assert.deepEqual(shown.map((s) => s.rec.message), written);

    const minute = between(calls, T0, end);
    const gets = minute.filter((c) => c.op === 'get');
    // The old schedule (a round every 100 ms, discovery every 3 s) made ~1,200 calls in such a minute.
    assert.ok(minute.length <= 90, `${minute.length} calls in the minute`);
    assert.ok(gets.length <= 2 * 40 + 2, `${gets.length} GetLogEvents calls`);
    // Once each stream was read to its end (the first rounds), no confirming call: every GetLogEvents brought lines.
    assert.equal(gets.filter((c) => c.at >= T0 + 4000 && c.events === 0).length, 0);
    assert.equal(gets.filter((c) => c.at >= T0 + 4000).length, 2 * 37);
    // Both streams were known from the first discovery, and the instance count says that is all of them.
    assert.equal(between(calls, T0, end, 'list').length, 1);
    assert.ok(between(calls, T0, end, 'describe').length <= 7);

    const lags = shown.map((s) => s.at - s.rec.timestamp);
    assert.ok(median(lags) <= 1200, `median lag ${median(lags)} ms`);
    assert.ok(quantile(lags, 0.95) <= 1900, `p95 lag ${quantile(lags, 0.95)} ms`);
    assert.ok(Math.max(...lags) <= 1900, `max lag ${Math.max(...lags)} ms`);
  });

  it('instance count unknown: discovery every 15 s and at once when the status changes; a late stream is found, nothing lost', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls);
    const end = T0 + 60_000;
    logs.stream('job/algo-1-1', T0, T0 + 10, end, 500);
    logs.stream('job/algo-2-1', T0 + 17_000, T0 + 17_000, end, 500); // appears just after a periodic discovery
    // InProgress, then Stopping from 25 s on (seen at the next status poll); Completed at the end.
    const status = new SimStatus(clock, calls, [{ until: T0 + 25_000, status: 'InProgress' }, { until: end, status: 'Stopping' }]);
    const { tailer, shown } = follow(logs, status, clock);
    await tailer.run();

    const written = [...logs.streams.values()].flatMap((s) => s.lines).map((l) => l.message).sort();
    assert.deepEqual(shown.map((s) => s.rec.message).sort(), written);

    const lists = between(calls, T0, end, 'list').map((c) => c.at - T0);
    const describes = between(calls, T0, end, 'describe').map((c) => c.at - T0);
    // First round, every ≥ 15 s after, and the round in which Stopping was first seen.
    const changedAt = describes.find((t) => t >= 25_000)!;
    assert.ok(lists.includes(changedAt), `no discovery when the status changed (lists at ${lists}, status change seen at ${changedAt})`);
    for (let i = 1; i < lists.length; i++) assert.ok(lists[i] - lists[i - 1] >= 15_000 || lists[i] === changedAt, `discoveries at ${lists}`);
    assert.ok(lists.length <= 5, `${lists.length} discoveries in the minute`);
    // The late stream's first line: found at the status change (30 s), not at the next periodic discovery.
    const first2 = shown.find((s) => s.rec.stream === 'job/algo-2-1')!;
    assert.ok(first2.at - T0 <= changedAt + 500, `late stream first shown at ${first2.at - T0} ms`);
  });

  it('known instance count with a stream still missing: discovery every 4 s until it is found, then never while running', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls);
    const end = T0 + 60_000;
    logs.stream('job/algo-1-1', T0, T0, end, 500);
    logs.stream('job/algo-2-1', T0 + 21_000, T0 + 21_000, end, 500);
    const status = new SimStatus(clock, calls, [{ until: end, status: 'InProgress' }], { instanceCount: 2 });
    const { tailer, shown } = follow(logs, status, clock);
    await tailer.run();
    const lists = between(calls, T0, end, 'list').map((c) => c.at - T0);
    const found = lists.find((t) => t >= 21_000)!;
    assert.ok(found - 21_000 <= 4000, `stream found at ${found} ms`);
    assert.equal(lists.filter((t) => t > found).length, 0, `discoveries after all streams were found: ${lists}`);
    for (let i = 1; i < lists.length; i++) assert.ok(lists[i] - lists[i - 1] >= 4000, `discoveries at ${lists}`);
    assert.equal(shown.length, [...logs.streams.values()].reduce((n, s) => n + s.lines.length, 0));
  });

  it('idle minute: ≤ 42 calls; the first line after the pause is shown within 4.3 s, then the 1.5 s rhythm is back', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls);
    const end = T0 + 90_000;
    logs.stream('job/algo-1-1', T0, T0 + 70_000, end, 250);
    logs.stream('job/algo-2-1', T0, T0 + 70_100, end, 250);
    const status = new SimStatus(clock, calls, [{ until: end, status: 'InProgress' }], { instanceCount: 2 });
    const { tailer, shown } = follow(logs, status, clock);
    await tailer.run();
    const idle = between(calls, T0 + 5000, T0 + 65_000);
    assert.ok(idle.length <= 42, `${idle.length} calls in an idle minute`);
    const lags = shown.map((s) => s.at - s.rec.timestamp);
    assert.ok(lags[0] <= 4300, `first line after the pause: ${lags[0]} ms`);
    const later = shown.filter((s) => s.rec.timestamp >= T0 + 75_000).map((s) => s.at - s.rec.timestamp);
    assert.ok(Math.max(...later) <= 1900, `lag once lines flow again: ${Math.max(...later)} ms`);
  });

  it('lines CloudWatch ingests after the job ended are still shown, each once, within the settle time', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls);
    const end = T0 + 5_000;
    // A line every 500 ms, and the last ones become visible up to 3 s after the job is Completed.
    logs.stream('job/algo-1-1', T0, T0, end + 3_000, 500);
    const status = new SimStatus(clock, calls, [{ until: end, status: 'InProgress' }], { instanceCount: 1 });
    const { tailer, shown } = follow(logs, status, clock, { statusEveryMs: 1000 });
    const state = await tailer.run();
    assert.equal(state?.status, 'Completed');
    const messages = shown.map((s) => s.rec.message);
    assert.equal(messages.length, 16);
    assert.equal(new Set(messages).size, 16, 'a line was shown twice');
    assert.equal(messages[15], 'job/algo-1-1 #15');
    assert.ok(clock.now() - end <= 8000, `stopped ${clock.now() - end} ms after the end`);
  });

  it('a full page is followed at once, a short page waits for the next round', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls, 100);
    const end = T0 + 20_000;
    // 250 lines land at once at 10 s (a burst), then nothing.
    logs.stream('job/algo-1-1', T0, T0 + 10_000, T0 + 10_001, 1);
    const burst = logs.streams.get('job/algo-1-1')!;
    burst.lines = Array.from({ length: 250 }, (_, k) => ({ ts: T0 + 10_000, message: `burst ${k}` }));
    const status = new SimStatus(clock, calls, [{ until: end, status: 'InProgress' }], { instanceCount: 1 });
    const { tailer, shown } = follow(logs, status, clock, { pageLimit: 100 });
    await tailer.run();
    const gets = between(calls, T0 + 10_000, end, 'get');
    const burstRound = gets.filter((c) => c.at === gets[0].at);
    assert.deepEqual(burstRound.map((c) => c.events), [100, 100, 50], 'the burst is read in one round: full pages on, the short one stops');
    assert.equal(shown.length, 250);
    const burstLags = shown.map((s) => s.at - T0 - 10_000);
    // The burst comes after 10 idle seconds: at most one idle interval (4 s) plus the merge window.
    assert.ok(Math.max(...burstLags) <= 4300, `burst shown after ${Math.max(...burstLags)} ms`);
  });

  it('a finished job drains at full speed: pages back to back, 100 ms drain rounds, then stops', async () => {
    const clock = new SimClock();
    const calls: Call[] = [];
    const logs = new SimLogs(clock, calls);
    logs.stream('job/algo-1-1', T0 - 3_600_000, T0 - 3_600_000, T0 - 3_600_000 + 120_000, 10);
    logs.stream('job/algo-2-1', T0 - 3_600_000, T0 - 3_600_000 + 5, T0 - 3_600_000 + 120_000, 10);
    const status = new SimStatus(clock, calls, [], { instanceCount: 2, endTime: new Date(T0 - 3_600_000 + 120_000) });
    const { tailer, shown } = follow(logs, status, clock);
    const state = await tailer.run();
    assert.equal(state?.status, 'Completed');
    assert.equal(shown.length, 24_000);
    // 12,000 lines per stream: 2 pages and the same-token answer, then two empty drain rounds.
    assert.equal(tailer.stats.getEventsCalls, 2 * 3 + 2 * 2);
    assert.ok(clock.now() - T0 <= 1000, `took ${clock.now() - T0} ms of simulated time`);
  });
});
