// Live logs through the real client path: the CLI's follower (src/core/logs/follow.ts over src/aws/logs.ts and the
// SDK's StartLiveTailCommand) against the local backend's Live Tail (test/support/localSageMaker/liveTail.ts, the AWS
// event-stream wire format over moto's CloudWatch Logs), with the scripted proxy in front for the job's lifecycle and
// throttling. Lines are put into moto with PutLogEvents; every one must be shown exactly once.
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { onAction, startProxy, throttling, type ProxiedRequest, type ScriptedProxy } from '../support/proxy';
import { seedJobs } from '../support/seed';
import { waitFor } from '../support/net';
import { LogWriter } from '../support/cwlogs';
import { startLiveTailEndpoint, type LiveTail } from '../support/localSageMaker/liveTail';
import { AwsClients } from '../../src/aws/index';
import { runLogsCommand } from '../../src/core/logs/run';
import type { JobLogFollower } from '../../src/core/logs/follow';
import { main as cliMain } from '../../src/cli';

describe('live logs: CloudWatch Logs Live Tail (local backend) with backfill, reconnects and the polling fallback', () => {
  let moto: Moto;
  let endpoint: Awaited<ReturnType<typeof startLiveTailEndpoint>>;
  let liveTail: LiveTail;
  /** In front of the Live Tail endpoint (which forwards the rest to moto). */
  let proxy: ScriptedProxy;
  /** In front of moto alone (its own StartLiveTail: one update, then the stream ends). */
  let motoProxy: ScriptedProxy;
  let restore: () => void;
  let writer: LogWriter;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    endpoint = await startLiveTailEndpoint({ motoEndpoint: moto.endpoint });
    liveTail = endpoint.liveTail;
    proxy = await startProxy(endpoint.url);
    motoProxy = await startProxy(moto.endpoint);
    writer = new LogWriter(moto.endpoint);
  });
  after(async () => {
    writer?.destroy();
    restore?.();
    await proxy?.stop();
    await motoProxy?.stop();
    await endpoint?.stop();
    await moto?.stop();
  });
  beforeEach(() => {
    proxy.clearRules();
    motoProxy.clearRules();
    liveTail.refuse = undefined;
    liveTail.sessionMaxMs = 3 * 3600_000;
  });

  /** Keeps the job InProgress (rewriting DescribeProcessingJob) until phase() says otherwise; onEnded once it did. */
  function playLifecycle(p: ScriptedProxy, job: string, phase: () => string, onEnded?: () => void): void {
    const isDescribe = (r: ProxiedRequest) => r.action === 'DescribeProcessingJob' && r.json?.ProcessingJobName === job;
    p.add({
      match: (r) => isDescribe(r) && phase() === 'running',
      action: { kind: 'rewrite', rewrite: (b) => { const { ProcessingEndTime: _end, ...rest } = b; return { ...rest, ProcessingJobStatus: 'InProgress' }; } },
    });
    p.add({ match: (r) => isDescribe(r) && phase() !== 'running', action: { kind: 'rewrite', rewrite: (b) => { onEnded?.(); return b; } } });
  }

  /** Writes lines the way an instance does (timestamped now), remembering the text the follower must show. */
  function makeWriter(job: string) {
    const expected: string[] = [];
    const seq = new Map<number, number>();
    return {
      expected,
      async put(inst: number, n: number, tag: string, ts = () => Date.now()): Promise<void> {
        const events = [];
        for (let k = 0; k < n; k++) {
          const s = seq.get(inst) ?? 0;
          seq.set(inst, s + 1);
          const message = `${tag} s${inst} #${String(s).padStart(5, '0')}`;
          events.push({ timestamp: ts(), message });
          expected.push(`[algo-${inst}] ${message}`);
        }
        await writer.put(LogWriter.streamName(job, inst), events);
      },
    };
  }

  /** Every expected line exactly once (no loss, no duplicate), whatever else was shown. */
  function assertExactlyOnce(shown: string[], expected: string[]): void {
    const counts = new Map<string, number>();
    for (const l of shown) counts.set(l, (counts.get(l) ?? 0) + 1);
    const lost = expected.filter((l) => !counts.has(l));
    const dup = [...counts].filter(([l, n]) => n > 1 && expected.includes(l)).map(([l, n]) => `${l} ×${n}`);
    assert.deepEqual({ lost: lost.slice(0, 10), lostCount: lost.length, dup: dup.slice(0, 10), dupCount: dup.length }, { lost: [], lostCount: 0, dup: [], dupCount: 0 });
    const others = shown.filter((l) => !expected.includes(l));
    assert.ok(others.every((l) => l.startsWith('--- Job ')), `unexpected lines: ${others.slice(0, 5).join(' | ')}`);
  }

  it('Live Tail: backfill, forced disconnects, a session end, throttling, sampling above 500 events/s and late lines: every line exactly once', async () => {
    const job = 'live-tail-job';
    await seedJobs(moto.endpoint, [job]);
    let phase = 'running';
    let endedAt = 0;
    playLifecycle(proxy, job, () => phase, () => (endedAt ||= Date.now()));
    const w = makeWriter(job);
    // Written before following starts: the backfill's part.
    await w.put(1, 150, 'before');
    await w.put(2, 150, 'before');
    const lines: string[] = [];
    const warnings: string[] = [];
    let follower!: JobLogFollower;
    const aws = new AwsClients({ endpointUrl: proxy.url });
    const shownAll = (what: string) => waitFor(what, () => w.expected.every((l) => lines.includes(l)), 60_000, 50);
    try {
      const tail = runLogsCommand(aws, job, true, (l) => lines.push(l), {
        warn: (x) => warnings.push(x), onFollower: (f) => (follower = f),
        tailer: { statusEveryMs: 1000, drainQuietMs: 4000, poll: { retryBaseMs: 50, retryMaxMs: 400 } },
      });
      await shownAll('the backfilled lines');
      await waitFor('the mode line', () => warnings.some((x) => /Live Tail \(lines within about a second\)/.test(x)), 30_000, 50);
      const opened = () => liveTail.sessionsOpened;
      // Live lines.
      await w.put(1, 20, 'live');
      await w.put(2, 20, 'live');
      await shownAll('live lines');
      // Two dropped connections, with lines written while no session is open.
      for (const round of [1, 2]) {
        const before = opened();
        assert.equal(liveTail.dropSessions(), 1);
        await w.put(1, 15, `gap${round}`);
        await w.put(2, 15, `gap${round}`);
        await waitFor(`session after drop ${round}`, () => opened() > before, 30_000, 20);
        await w.put(2, 10, `after-drop${round}`);
        await shownAll(`lines around drop ${round}`);
      }
      // The session's end (SessionTimeoutException), with throttling on the reconnect and on the backfill.
      proxy.add({ match: onAction('StartLiveTail'), action: throttling(), times: 2 });
      proxy.add({ match: onAction('FilterLogEvents'), action: throttling(), times: 3 });
      const beforeEnd = opened();
      liveTail.sessionMaxMs = 1;
      await w.put(1, 10, 'end');
      await waitFor('the session ended', () => opened() > beforeEnd || proxy.requests.some((r) => r.action === 'StartLiveTail' && r.outcome === 'status'), 30_000, 20);
      liveTail.sessionMaxMs = 3 * 3600_000;
      await w.put(1, 10, 'after-end');
      await waitFor('a session after the end', () => opened() > beforeEnd, 30_000, 20);
      await shownAll('lines around the session end');
      assert.ok(proxy.requests.filter((r) => r.outcome === 'status').length >= 5, 'the throttling was injected');
      // Above 500 events in one second: the update is sampled, the follower backfills that window.
      const sampledBefore = liveTail.sampledUpdates;
      await w.put(1, 1200, 'burst');
      await w.put(2, 300, 'burst');
      await shownAll('the burst');
      assert.ok(liveTail.sampledUpdates > sampledBefore, 'the backend sampled an update');
      assert.ok(follower.stats.sampledUpdates >= 1, 'the follower saw a sampled update');
      // The end, and a line CloudWatch shows 1.5 s after it (the late-line drain).
      phase = 'ending';
      await waitFor('the follower saw the job end', () => endedAt > 0, 30_000, 20);
      await w.put(2, 5, 'last');
      await new Promise((r) => setTimeout(r, 1500)); // sleep: the script's schedule (a line ingested after the end), not a wait for a condition
      await w.put(1, 3, 'late', () => endedAt - 200);
      assert.equal(await tail, 0);
    } finally {
      aws.dispose();
    }
    assert.equal(follower.mode, 'live');
    assertExactlyOnce(lines, w.expected);
    assert.match(lines.at(-1) ?? '', /^--- Job live-tail-job Completed/);
    assert.ok(follower.stats.sessions >= 4, `sessions: ${follower.stats.sessions}`);
    assert.ok(follower.stats.duplicatesDropped > 0, 'backfills overlapped the sessions (and were deduplicated)');
    assert.equal(warnings.filter((x) => x.startsWith('Live logs:')).length, 1, warnings.join('\n'));
  });

  it('fallback: moto alone (its StartLiveTail ends at once), Live Tail refused (AccessDenied) and --no-live-tail: polling, said once with the reason, every line once', async () => {
    const cases: { name: string; via: () => ScriptedProxy; setup?: () => void; liveTail?: boolean; reason: RegExp }[] = [
      { name: 'fallback-moto-job', via: () => motoProxy, reason: /Live Tail not used: this endpoint ends Live Tail sessions at once/ },
      { name: 'fallback-denied-job', via: () => proxy, reason: /Live Tail not used: no permission for logs:StartLiveTail/,
        setup: () => (liveTail.refuse = { type: 'AccessDeniedException', status: 400, message: 'User is not authorized to perform: logs:StartLiveTail' }) },
      { name: 'fallback-off-job', via: () => proxy, liveTail: false, reason: /Live Tail is off: sagemakerProcessing\.logs\.liveTail/ },
    ];
    for (const c of cases) {
      await seedJobs(moto.endpoint, [c.name]);
      let phase = 'running';
      playLifecycle(c.via(), c.name, () => phase);
      c.setup?.();
      const w = makeWriter(c.name);
      await w.put(1, 40, 'before');
      await w.put(2, 40, 'before');
      const lines: string[] = [];
      const warnings: string[] = [];
      let follower!: JobLogFollower;
      const aws = new AwsClients({ endpointUrl: c.via().url });
      const sessionsBefore = liveTail.sessionsOpened;
      try {
        const tail = runLogsCommand(aws, c.name, true, (l) => lines.push(l), {
          warn: (x) => warnings.push(x), onFollower: (f) => (follower = f), liveTail: c.liveTail,
          tailer: { statusEveryMs: 1000, drainQuietMs: 3000 },
        });
        await waitFor(`${c.name}: the first lines`, () => w.expected.every((l) => lines.includes(l)), 60_000, 50);
        await w.put(1, 25, 'live');
        await w.put(2, 25, 'live');
        await waitFor(`${c.name}: live lines`, () => w.expected.every((l) => lines.includes(l)), 60_000, 50);
        phase = 'ending';
        assert.equal(await tail, 0);
      } finally {
        aws.dispose();
      }
      assert.equal(follower.mode, 'polling', c.name);
      const said = warnings.filter((x) => x.startsWith('Live logs:'));
      assert.equal(said.length, 1, `${c.name}: ${warnings.join(' | ')}`);
      assert.match(said[0], c.reason);
      assertExactlyOnce(lines, w.expected);
      if (c.liveTail === false) assert.equal(liveTail.sessionsOpened, sessionsBefore, 'no session with Live Tail off');
      c.via().clearRules();
    }
  });

  it('the CLI: `logs <job> --follow --no-live-tail` says on stderr that it polls and why, stdout stays the log', async () => {
    const job = 'live-cli-job';
    await seedJobs(moto.endpoint, [job]);
    let phase = 'running';
    playLifecycle(proxy, job, () => phase);
    const w = makeWriter(job);
    await w.put(1, 3, 'cli');
    const out: string[] = [];
    const err: string[] = [];
    const origWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const run = cliMain(['logs', job, '--follow', '--no-live-tail', '--endpoint-url', proxy.url], (l) => out.push(l));
      await waitFor('the lines', () => out.length >= 3, 60_000, 50);
      phase = 'ending';
      assert.equal(await run, 0);
    } finally {
      process.stderr.write = origWrite;
    }
    assert.deepEqual(out.slice(0, 3), w.expected.map((l) => l.replace(/^\[algo-1\] /, '')));
    assert.ok(err.some((l) => /Live logs: polling CloudWatch Logs \(Live Tail is off/.test(l)), err.join(''));
  });

  it('the first backfill is one FilterLogEvents read from the job\'s creation (an hour before), however many older lines of other jobs the group holds: both modes, every line once', async () => {
    // Another job's 12,000 lines from two hours ago: more than a 10,000-event page, and moto ignores
    // logStreamNamePrefix, so a read from the group's beginning would take two pages (or more) before any live line.
    const old = Date.now() - 2 * 3_600_000;
    await writer.put(LogWriter.streamName('backfill-older-job', 1), Array.from({ length: 12_000 }, (_, i) => ({ timestamp: old + i, message: `older job line ${i}` })));
    for (const c of [{ name: 'backfill-live-job', liveTail: true, mode: 'live' }, { name: 'backfill-poll-job', liveTail: false, mode: 'polling' }]) {
      await seedJobs(moto.endpoint, [c.name]);
      const created = Date.now();
      let phase = 'running';
      playLifecycle(proxy, c.name, () => phase);
      const w = makeWriter(c.name);
      // An instance's clock 20 min behind: stamped before the job's creation, still within the hour read before it.
      await w.put(1, 5, 'skewed', () => created - 20 * 60_000);
      await w.put(1, 100, 'before');
      await w.put(2, 100, 'before');
      const lines: string[] = [];
      let filterCallsAtBackfill = -1;
      const since = proxy.requests.length;
      const filterCalls = () => proxy.requests.slice(since).filter((r) => r.action === 'FilterLogEvents').length;
      let follower!: JobLogFollower;
      const aws = new AwsClients({ endpointUrl: proxy.url });
      try {
        const tail = runLogsCommand(aws, c.name, true, (l) => {
          lines.push(l);
          // Every line written before following came: how many FilterLogEvents reads it took.
          if (filterCallsAtBackfill < 0 && w.expected.every((x) => lines.includes(x))) filterCallsAtBackfill = filterCalls();
        }, { onFollower: (f) => (follower = f), liveTail: c.liveTail, tailer: { statusEveryMs: 1000, drainQuietMs: 3000 } });
        await waitFor(`${c.name}: the backfilled lines`, () => filterCallsAtBackfill >= 0, 60_000, 50);
        await w.put(1, 20, 'live');
        await w.put(2, 20, 'live');
        await waitFor(`${c.name}: live lines`, () => w.expected.every((l) => lines.includes(l)), 60_000, 50);
        phase = 'ending';
        assert.equal(await tail, 0);
      } finally {
        aws.dispose();
      }
      assert.equal(follower.mode, c.mode);
      assert.equal(filterCallsAtBackfill, 1, `${c.name}: FilterLogEvents calls until the backfill was shown`);
      assertExactlyOnce(lines, w.expected);
      assert.ok(!lines.some((l) => l.includes('older job line')), 'no line of another job');
      proxy.clearRules();
    }
  });
});
