// Polling cost: AWS API calls per minute while 1, 10 and 100 jobs run, counted by the scripted proxy in front of
// moto, which plays the running jobs (moto completes jobs at once). Ours: the built .vsix in code-server (its
// status-bar poller, at the default interval); the peer: the SageMaker Python SDK watching each job with wait().
// Rates come from steady-state intervals (calls between consecutive polls), not from a window's edges.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { Benchmark, BenchContext } from './lib/context';
import { emptyOutput, type BenchOutput } from './lib/figures';
import { median } from './lib/stats';
import { PEER_PYTHON, ROOT } from './lib/paths';
import { startProxy, type ProxiedRequest } from '../test/support/proxy';
import { startCodeServer } from '../test/support/codeServer';
import { openWorkbench } from '../test/support/workbench';
import { scratchDir } from '../test/support/paths';
import { TEST_ACCOUNT, TEST_REGION } from '../test/support/moto';
import { TEST_IMAGE, TEST_ROLE } from '../test/support/seed';
import { waitFor } from '../test/support/net';

const COUNTS = [1, 10, 100];
/** Time ours is watched after its first poll (the default interval is 10 s: 3–4 polls). */
const OURS_WINDOW_MS = 32_000;
/** Time the peer runs (it polls every 5 s per job: 3 calls per job). */
const PEER_WINDOW_S = 17;

interface Call { t: number; action: string; job?: string; firstPage: boolean; inProgressFilter: boolean }

function jobNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `bench-poll-${String(i).padStart(3, '0')}`);
}

/** A proxy whose ListProcessingJobs and DescribeProcessingJob answers show `names` InProgress; it logs every call. */
async function runningJobsProxy(target: string, names: string[]) {
  const proxy = await startProxy(target);
  const calls: Call[] = [];
  const created = Date.now() / 1000 - 60;
  const arn = (n: string) => `arn:aws:sagemaker:${TEST_REGION}:${TEST_ACCOUNT}:processing-job/${n}`;
  const isSageMaker = (r: ProxiedRequest) => r.service === 'SageMaker';
  proxy.add({ match: (r) => isSageMaker(r), action: { kind: 'respond', respond: (r) => {
    const body = r.json ?? {};
    calls.push({ t: Date.now(), action: r.action, job: body.ProcessingJobName as string | undefined, firstPage: !body.NextToken, inProgressFilter: body.StatusEquals === 'InProgress' });
    if (r.action === 'ListProcessingJobs') {
      const pool = body.StatusEquals && body.StatusEquals !== 'InProgress' ? [] : names;
      const start = Number(body.NextToken ?? 0);
      const size = Number(body.MaxResults ?? 10);
      const page = pool.slice(start, start + size);
      return { status: 200, body: {
        ProcessingJobSummaries: page.map((n) => ({ ProcessingJobName: n, ProcessingJobArn: arn(n), CreationTime: created, LastModifiedTime: created, ProcessingJobStatus: 'InProgress' })),
        ...(start + size < pool.length ? { NextToken: String(start + size) } : {}),
      } };
    }
    if (r.action === 'DescribeProcessingJob' && names.includes(String(body.ProcessingJobName))) {
      const n = String(body.ProcessingJobName);
      return { status: 200, body: {
        ProcessingJobName: n, ProcessingJobArn: arn(n), ProcessingJobStatus: 'InProgress', CreationTime: created, LastModifiedTime: created,
        RoleArn: TEST_ROLE, AppSpecification: { ImageUri: TEST_IMAGE },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
        StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      } };
    }
    return { status: 400, body: { __type: 'ValidationException', message: `the polling benchmark's proxy does not play ${r.action}` } };
  } } });
  return { proxy, calls };
}

/** Ours: calls per poll × polls per minute, from the intervals between the poller's polls. */
function oursRate(calls: Call[], from: number): { perMin: number; perPoll: number; pollsPerMin: number } {
  const inWindow = calls.filter((c) => c.t >= from);
  const starts = inWindow.filter((c) => c.action === 'ListProcessingJobs' && c.inProgressFilter && c.firstPage).map((c) => c.t);
  if (starts.length < 3) throw new Error(`only ${starts.length} polls seen in the window; is the poller running?`);
  const gaps: number[] = [];
  const perPoll: number[] = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    gaps.push(starts[i + 1] - starts[i]);
    perPoll.push(inWindow.filter((c) => c.t >= starts[i] && c.t < starts[i + 1]).length);
  }
  const pollsPerMin = 60_000 / median(gaps);
  return { perMin: median(perPoll) * pollsPerMin, perPoll: median(perPoll), pollsPerMin };
}

/** The peer: each job's own calls per minute (from its intervals), summed over the jobs. */
function peerRate(calls: Call[], names: string[]): number {
  let total = 0;
  for (const n of names) {
    const ts = calls.filter((c) => c.action === 'DescribeProcessingJob' && c.job === n).map((c) => c.t);
    if (ts.length < 2) throw new Error(`the SDK polled ${n} ${ts.length} time(s) only`);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]);
    total += 60_000 / median(gaps);
  }
  return total;
}

export async function measureOurs(ctx: BenchContext, n: number): Promise<{ perMin: number; perPoll: number; pollsPerMin: number }> {
  const names = jobNames(n);
  const { proxy, calls } = await runningJobsProxy(ctx.moto.endpoint, names);
  const ws = path.join(scratchDir('bench-poll'), 'census');
  fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
  const cs = await startCodeServer({
    folder: ws,
    env: { ...ctx.moto.env, AWS_ENDPOINT_URL: proxy.url },
    settings: { 'sagemakerProcessing.endpointUrl': proxy.url, 'sagemakerProcessing.region': TEST_REGION },
  });
  try {
    // On a loaded machine the first workbench load can exceed its 30 s budget: one more try.
    const wb = await openWorkbench(cs.url).catch(() => openWorkbench(cs.url));
    try {
      const first = await waitFor('the first poll of running jobs', async () =>
        calls.find((c) => c.action === 'ListProcessingJobs' && c.inProgressFilter && c.firstPage)?.t, 90_000, 200);
      await new Promise((r) => setTimeout(r, first + OURS_WINDOW_MS - Date.now()));
      return oursRate(calls, first);
    } finally {
      await wb.close();
    }
  } finally {
    await cs.stop();
    await proxy.stop();
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
}

export async function measurePeer(ctx: BenchContext, n: number): Promise<number> {
  const names = jobNames(n);
  const { proxy, calls } = await runningJobsProxy(ctx.moto.endpoint, names);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(PEER_PYTHON, [path.join(__dirname, 'peers', 'poll_sdk.py'), String(PEER_WINDOW_S), ...names], {
        env: { ...ctx.env, AWS_ENDPOINT_URL: proxy.url }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`poll_sdk.py exited ${code}: ${err.slice(-1500)}`))));
    });
    return peerRate(calls, names);
  } finally {
    await proxy.stop();
  }
}

export const pollingBenchmark: Benchmark = {
  name: 'Polling',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const out = emptyOutput();
    const ours: number[] = [];
    const peer: number[] = [];
    const detail: string[] = [];
    for (const n of COUNTS) {
      const o = await measureOurs(ctx, n);
      const p = await measurePeer(ctx, n);
      ctx.log(`polling ${n} job(s): ours ${o.perMin.toFixed(1)} calls/min (${o.perPoll} per poll, ${o.pollsPerMin.toFixed(2)} polls/min), SDK wait() ${p.toFixed(1)} calls/min`);
      ours.push(o.perMin);
      peer.push(p);
      detail.push(`${n}: ${o.perPoll} call(s) per poll at ${o.pollsPerMin.toFixed(1)} polls/min`);
    }
    COUNTS.forEach((n, i) => out.figures.push({
      group: 'Polling', name: `API calls per minute while ${n} job${n > 1 ? 's' : ''} run${n > 1 ? '' : 's'}`, unit: 'calls/min',
      ours: { label: 'extension (job monitor)', values: [ours[i]] }, peers: [{ label: 'SDK wait(), one per job', values: [peer[i]] }],
      aim: 'flat in N', aimMet: i === 0 ? undefined : ours[i] <= ours[0] * Math.ceil(n / 100) + 0.5,
    }));
    out.notes.push(`Polling: one measurement per N (it is a count, not a time). Ours is the built extension in code-server at the default pollIntervalSeconds (10), rate = calls per poll × polls per minute from the intervals between polls (${detail.join('; ')}); ListProcessingJobs pages hold 100 jobs, so above 100 running jobs one more call per poll per 100. The peer is one \`wait(logs=False)\` per job (DescribeProcessingJob every 5 s each); \`logs=True\` adds CloudWatch calls on top.`);
    return out;
  },
};
