// A stalled connection (accepted, never answered) must not hang a call: every AWS client has an idle-socket timeout,
// so the SDK gives up on the stalled attempt and retries; against a server that never answers the call ends within
// the timeouts with a clear message, and behind the proxy (one stalled answer, then moto) the retry succeeds.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { onAction, stall, startProxy, type ScriptedProxy } from '../support/proxy';
import { seedJobs } from '../support/seed';
import { LogWriter } from '../support/cwlogs';
import { AwsClients } from '../../src/aws/index';
import { explainAwsError } from '../../src/aws/errors';
import { runLogsCommand } from '../../src/core/logs/run';

const SOCKET_TIMEOUT_MS = 800;

/** Rejects if the promise has not settled within ms (the test's own deadline, so a hang fails instead of blocking). */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(`${what} still hanging after ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(t));
}

describe('stalled connections time out and are retried', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let restore: () => void;
  let black: net.Server;
  const blackSockets = new Set<net.Socket>();
  let accepted = 0;
  let savedTimeout: string | undefined;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    await seedJobs(moto.endpoint, ['stall-job']);
    // Accepts every connection, reads the request, never answers.
    black = net.createServer((s) => {
      accepted++;
      blackSockets.add(s);
      s.on('data', () => undefined);
      s.on('close', () => blackSockets.delete(s));
    });
    await new Promise<void>((r) => black.listen(0, '127.0.0.1', r));
    savedTimeout = process.env.SMP_AWS_SOCKET_TIMEOUT_MS;
    process.env.SMP_AWS_SOCKET_TIMEOUT_MS = String(SOCKET_TIMEOUT_MS);
  });
  after(async () => {
    if (savedTimeout === undefined) delete process.env.SMP_AWS_SOCKET_TIMEOUT_MS;
    else process.env.SMP_AWS_SOCKET_TIMEOUT_MS = savedTimeout;
    for (const s of blackSockets) s.destroy();
    await new Promise<void>((r) => black?.close(() => r()));
    restore?.();
    await proxy?.stop();
    await moto?.stop();
  });

  it('a server that accepts and never answers: the call fails within the timeouts (retried), with a clear message', async () => {
    const port = (black.address() as AddressInfo).port;
    const aws = new AwsClients({ endpointUrl: `http://127.0.0.1:${port}`, region: 'us-east-1' });
    try {
      const t0 = Date.now();
      const err = await within(20_000, (await aws.sagemaker()).listProcessingJobs().then(() => assert.fail('answered?'), (e: unknown) => e), 'ListProcessingJobs');
      const took = Date.now() - t0;
      assert.equal((err as Error).name, 'TimeoutError', String(err));
      // 5 attempts (the clients' maxAttempts) of one idle timeout each, plus the SDK's short backoff between them.
      assert.equal(accepted, 5, 'the SDK retried the stalled call on new connections');
      assert.ok(took >= 5 * SOCKET_TIMEOUT_MS, `took ${took} ms`);
      assert.ok(took < 5 * SOCKET_TIMEOUT_MS + 8000, `took ${took} ms`);
      assert.match(explainAwsError(err), /did not answer in time, even after retries .*800 ms.*SMP_AWS_SOCKET_TIMEOUT_MS/);
    } finally {
      aws.dispose();
    }
  });

  it('one stalled answer behind the proxy: the SDK retries and gets moto\'s answer', async () => {
    proxy.add({ match: onAction('ListProcessingJobs'), action: stall(), times: 1 });
    const aws = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    try {
      const t0 = Date.now();
      const page = await within(15_000, (await aws.sagemaker()).listProcessingJobs(), 'ListProcessingJobs');
      assert.deepEqual(page.jobs.map((j) => j.name), ['stall-job']);
      assert.deepEqual(proxy.requests.filter((r) => r.action === 'ListProcessingJobs').map((r) => r.outcome), ['stall', 'forward']);
      assert.ok(Date.now() - t0 >= SOCKET_TIMEOUT_MS);
    } finally {
      aws.dispose();
      proxy.clearRules();
    }
  });

  it('`logs --follow` whose GetLogEvents and DescribeProcessingJob stall ends instead of hanging', async () => {
    const writer = new LogWriter(moto.endpoint);
    const now = Date.now();
    await writer.put(LogWriter.streamName('stall-job', 1), [{ timestamp: now - 2000, message: 'first line' }, { timestamp: now - 1000, message: 'second line' }]);
    writer.destroy();
    proxy.add({ match: onAction('GetLogEvents'), action: stall(), times: 2 });
    proxy.add({ match: onAction('DescribeProcessingJob'), action: stall(), times: 1 });
    const aws = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    const lines: string[] = [];
    try {
      const code = await within(60_000, runLogsCommand(aws, 'stall-job', true, (l) => lines.push(l)), 'logs --follow');
      assert.equal(code, 0);
      assert.deepEqual(lines.filter((l) => /line$/.test(l)), ['first line', 'second line']);
      assert.match(lines.at(-1) ?? '', /Completed/);
      assert.ok(proxy.requests.filter((r) => r.outcome === 'stall').length >= 3);
    } finally {
      aws.dispose();
      proxy.clearRules();
    }
  });
});
