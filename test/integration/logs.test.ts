// The log tailer against moto, through the scripted proxy (lifecycles and faults), writing events with PutLogEvents.
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { connectionReset, onAction, serverError, startProxy, throttling, type ProxiedRequest, type ScriptedProxy } from '../support/proxy';
import { seedJobs } from '../support/seed';
import { waitFor } from '../support/net';
import { LogWriter, type TestEvent } from '../support/cwlogs';
import { AwsClients } from '../../src/aws/index';
import { runLogsCommand, jobStateFrom } from '../../src/core/logs/run';
import { formatSummary } from '../../src/core/logs/format';
import { main as cliMain } from '../../src/cli';

interface Expected { ts: number; inst: number; seq: number; line: string }

/** The lines the tailer must print: timestamp order, equal timestamps by instance, then write order in the stream. */
function expectedText(all: Expected[]): string[] {
  return [...all].sort((a, b) => a.ts - b.ts || a.inst - b.inst || a.seq - b.seq).map((e) => e.line);
}

describe('log tailer against moto (CloudWatch Logs + SageMaker through the scripted proxy)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let restore: () => void;
  let writer: LogWriter;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    writer = new LogWriter(moto.endpoint);
  });
  after(async () => {
    writer?.destroy();
    restore?.();
    await proxy?.stop();
    await moto?.stop();
  });
  beforeEach(() => proxy.clearRules());

  /** Keeps the job InProgress (rewriting DescribeProcessingJob) until phase() says 'ending'. */
  function playLifecycle(job: string, phase: () => string, onEnding?: () => void) {
    const isDescribe = (r: ProxiedRequest) => r.action === 'DescribeProcessingJob' && r.json?.ProcessingJobName === job;
    proxy.add({
      match: (r) => isDescribe(r) && phase() === 'running',
      action: { kind: 'rewrite', rewrite: (b) => { const { ProcessingEndTime: _end, ...rest } = b; return { ...rest, ProcessingJobStatus: 'InProgress' }; } },
    });
    proxy.add({ match: (r) => isDescribe(r) && phase() !== 'running', action: { kind: 'rewrite', rewrite: (b) => { onEnding?.(); return b; } } });
  }

  async function summaryOf(job: string): Promise<string> {
    const aws = new AwsClients({ endpointUrl: moto.endpoint });
    try {
      return formatSummary(job, jobStateFrom(await (await aws.sagemaker()).describeProcessingJob(job)));
    } finally {
      aws.dispose();
    }
  }

  it('100,000 lines from 4 streams (interleaved and equal timestamps, one stream appearing late), faults mid-tail: exact text, then the summary', async () => {
    const job = 'logs-100k-job';
    await seedJobs(moto.endpoint, [job]);
    let phase = 'running';
    playLifecycle(job, () => phase);
    const all: Expected[] = [];
    const T0 = Date.now() - 30 * 60_000;
    const stream = (inst: number) => LogWriter.streamName(job, inst);
    const seqs = new Map<number, number>();
    const make = (inst: number, n: number, ts: (k: number) => number, tag: string): TestEvent[] => {
      const events: TestEvent[] = [];
      for (let k = 0; k < n; k++) {
        const seq = seqs.get(inst) ?? 0;
        seqs.set(inst, seq + 1);
        const message = `${tag} s${inst} #${String(k).padStart(5, '0')} value=${(k * 7919) % 10007}`;
        events.push({ timestamp: ts(k), message });
        all.push({ ts: ts(k), inst, seq, line: `[algo-${inst}] ${message}` });
      }
      return events;
    };
    // Phase A, written before tailing: 3 streams, 20,000 lines each, interleaved with many equal timestamps.
    for (const inst of [1, 2, 3]) await writer.put(stream(inst), make(inst, 20_000, (k) => T0 + Math.floor((3 * k + inst) / 4), 'A'));
    let lastTs = Math.max(...all.map((e) => e.ts));

    const lines: string[] = [];
    const warnings: string[] = [];
    const aws = new AwsClients({ endpointUrl: proxy.url });
    const tail = runLogsCommand(aws, job, true, (l) => lines.push(l), {
      warn: (w) => warnings.push(w),
      // Not about the final drain (see the late-lines test): a short quiet window keeps this test quick.
      tailer: { statusEveryMs: 300, discoverEveryMs: 300, poll: { retryBaseMs: 50, retryMaxMs: 400 }, drainQuietMs: 2000 },
    });
    try {
      await waitFor('phase A shown', async () => lines.length === 60_000, 60_000, 50);
      // Faults from now on: more than the SDK's own retries, so some surface to the tailer's loop.
      // (moto's StartLiveTail answers one update and closes, so the follower polls: FilterLogEvents; the per-stream
      // calls are there for the per-stream tailer.)
      proxy.add({ match: onAction('GetLogEvents', 'FilterLogEvents'), action: throttling(), after: 3, times: 7 });
      proxy.add({ match: onAction('GetLogEvents', 'FilterLogEvents'), action: serverError(503), times: 4 });
      proxy.add({ match: onAction('GetLogEvents', 'FilterLogEvents'), action: connectionReset(), times: 4 });
      proxy.add({ match: onAction('DescribeLogStreams', 'FilterLogEvents'), action: serverError(500), after: 1, times: 4 });
      proxy.add({ match: onAction('DescribeLogStreams', 'FilterLogEvents'), action: connectionReset(), times: 3 });
      proxy.add({ match: onAction('DescribeProcessingJob'), action: throttling(), times: 3 });
      // Phase B, while tailing: 8 batches of 5,000 lines, stream 4 appears late; each batch is later than the last.
      for (const inst of [4, 1, 4, 2, 3, 4, 1, 4]) {
        const base = lastTs + 1;
        await writer.put(stream(inst), make(inst, 5_000, (k) => base + Math.floor(k / 3), 'B'));
        lastTs = base + Math.floor(4_999 / 3);
        const want = all.length;
        await waitFor(`${want} lines shown`, async () => lines.length >= want, 60_000, 50);
      }
      assert.equal(all.length, 100_000);
      phase = 'ending';
      const code = await tail;
      assert.equal(code, 0);
    } finally {
      aws.dispose();
    }
    const expected = expectedText(all);
    expected.push(await summaryOf(job));
    assert.match(expected[expected.length - 1], /^--- Job logs-100k-job Completed/);
    assert.equal(lines.length, expected.length);
    assert.ok(lines.join('\n') === expected.join('\n'), 'the tailed text differs from the expected text');
    // The faults really happened, and some outlived the SDK's retries and were retried by the tailer.
    const faults = proxy.requests.filter((r) => r.outcome === 'status' || r.outcome === 'reset').length;
    assert.ok(faults >= 20, `only ${faults} faults injected`);
    assert.ok(warnings.length > 0, 'no failure reached the tailer after the SDK retries');
  });

  it('a job that ends while events are still arriving: all of them shown, then the summary', async () => {
    const job = 'logs-ending-job';
    await seedJobs(moto.endpoint, [job]);
    let phase = 'running';
    let completedSeen = false;
    playLifecycle(job, () => phase, () => (completedSeen = true));
    // Once the tailer has seen the terminal status, hold its next read while the last events land.
    proxy.add({ match: (r) => (r.action === 'DescribeLogStreams' || r.action === 'FilterLogEvents') && completedSeen, action: { kind: 'delay', ms: 1500 }, times: 1 });
    const all: Expected[] = [];
    const T0 = Date.now() - 10 * 60_000;
    let ts = T0;
    const seqs = new Map<number, number>();
    const put = async (inst: number, n: number) => {
      const events: TestEvent[] = [];
      for (let k = 0; k < n; k++, ts++) {
        const seq = seqs.get(inst) ?? 0;
        seqs.set(inst, seq + 1);
        const message = `instance ${inst} line ${seq}`;
        events.push({ timestamp: ts, message });
        all.push({ ts, inst, seq, line: `[algo-${inst}] ${message}` });
      }
      await writer.put(LogWriter.streamName(job, inst), events);
    };
    await put(1, 50);
    await put(2, 50);
    const lines: string[] = [];
    const aws = new AwsClients({ endpointUrl: proxy.url });
    try {
      const tail = runLogsCommand(aws, job, true, (l) => lines.push(l), { tailer: { statusEveryMs: 200 } });
      await waitFor('first lines', async () => lines.length === 100, 30_000, 50);
      await put(1, 30);
      phase = 'ending';
      await waitFor('the read held after the terminal status', async () => proxy.requests.some((r) => (r.action === 'DescribeLogStreams' || r.action === 'FilterLogEvents') && r.outcome === 'delay'), 30_000, 20);
      const shownAtEnd = lines.length;
      await put(2, 40);
      await put(3, 25); // an instance whose stream shows up only after the job ended
      await put(1, 10);
      assert.equal(await tail, 0);
      assert.ok(shownAtEnd < all.length, 'the last events were written after the tailer saw the job end');
    } finally {
      aws.dispose();
    }
    const expected = expectedText(all);
    expected.push(await summaryOf(job));
    assert.equal(lines.join('\n'), expected.join('\n'));
  });

  it('final drain: lines CloudWatch shows 1 s and 10 s after the job ended (and a stream first seen after it) are shown exactly once', async () => {
    const job = 'logs-late-job';
    await seedJobs(moto.endpoint, [job]);
    let phase = 'running';
    let endedAt = 0;
    playLifecycle(job, () => phase, () => (endedAt ||= Date.now()));
    const t0 = Date.now() - 60_000;
    const early = Array.from({ length: 20 }, (_, k) => ({ timestamp: t0 + k, message: `early ${k}` }));
    await writer.put(LogWriter.streamName(job, 1), early);
    const lines: string[] = [];
    const aws = new AwsClients({ endpointUrl: proxy.url });
    const at = async (ms: number) => {
      const wait = endedAt + ms - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // sleep: the script's schedule (the writes' times), not a wait for a condition
    };
    let ended = 0;
    try {
      const tail = runLogsCommand(aws, job, true, (l) => lines.push(l), { tailer: { statusEveryMs: 500 } }).finally(() => (ended = Date.now()));
      await waitFor('the early lines', async () => lines.length === 20, 30_000, 50);
      phase = 'ending';
      await waitFor('the tailer saw the job end', async () => endedAt > 0, 30_000, 20);
      // Lines written just before the end, ingested late: CloudWatch shows them 1 s and 10 s after the end. Their
      // timestamps are fixed relative to the end (in writing order), so a slow machine cannot reorder them in moto,
      // whose tokens count positions in a stream sorted by timestamp.
      await at(1000);
      await writer.put(LogWriter.streamName(job, 1), [{ timestamp: endedAt - 500, message: 'late by 1 s' }]);
      await at(5000);
      await writer.put(LogWriter.streamName(job, 2), [{ timestamp: endedAt - 450, message: 'new stream after the end' }]);
      await at(10_000);
      await writer.put(LogWriter.streamName(job, 1), [{ timestamp: endedAt - 400, message: 'late by 10 s' }]);
      assert.equal(ended, 0, 'the tailer was still reading 10 s after the end');
      assert.equal(await tail, 0);
    } finally {
      aws.dispose();
    }
    const count = (m: string) => lines.filter((l) => l.endsWith(m)).length;
    for (const m of ['late by 1 s', 'late by 10 s', 'new stream after the end', 'early 0', 'early 19']) assert.equal(count(m), 1, `"${m}" shown ${count(m)} times:\n${lines.join('\n')}`);
    assert.equal(lines.length, 20 + 3 + 1);
    assert.match(lines.at(-1) ?? '', /^--- Job logs-late-job Completed/);
    // It stopped the quiet window (20 s) after the last late line, not much later.
    const afterEnd = ended - endedAt;
    assert.ok(afterEnd >= 10_000 + 20_000 - 1000 && afterEnd <= 10_000 + 20_000 + 8000, `stopped ${afterEnd} ms after the end`);
  });

  it('the CLI: `logs <job>` prints the merged lines and the summary of a finished job', async () => {
    const job = 'logs-cli-job';
    await seedJobs(moto.endpoint, [job]);
    const t0 = Date.now() - 60_000;
    await writer.put(LogWriter.streamName(job, 2), [{ timestamp: t0, message: 'b first' }, { timestamp: t0 + 2, message: 'b third' }]);
    await writer.put(LogWriter.streamName(job, 1), [{ timestamp: t0, message: 'a first' }, { timestamp: t0 + 1, message: 'a second\n' }]);
    for (const follow of [[], ['--follow']]) {
      const out: string[] = [];
      const code = await cliMain(['logs', job, ...follow, '--endpoint-url', proxy.url], (l) => out.push(l));
      assert.equal(code, 0);
      assert.deepEqual(out, ['[algo-1] a first', '[algo-2] b first', '[algo-1] a second', '[algo-2] b third', await summaryOf(job)]);
    }
  });
});
