// Failure: the time from DescribeProcessingJob first saying Failed to the failure summary being ready. The scripted
// proxy in front of moto plays a job that fails a moment after the run starts (moto completes jobs at once) and its
// log in moto's CloudWatch Logs ends with a Python traceback. Ours: a bundled worker polling as the monitor does,
// then building the summary (exception, failing line; it reads the logs until two reads agree, since a job that just
// ended may still be writing). The peer: the SageMaker Python SDK's wait_for_processing_job raising
// UnexpectedStatusException, which carries FailureReason only (no traceback, no line).
import * as path from 'node:path';
import type { Benchmark, BenchContext } from './lib/context';
import { capped, emptyOutput, interleaved, type BenchOutput } from './lib/figures';
import { lastJson, runMeasured } from './lib/measure';
import { median } from './lib/stats';
import { PEER_PYTHON, WORKERS } from './lib/paths';
import { seedJobs } from '../test/support/seed';
import { onAction, startProxy } from '../test/support/proxy';
import { LogWriter } from '../test/support/cwlogs';

const AIM_MS = 1000;
const REASON = 'AlgorithmError: See job logs for more information';
const TRACE = [
  'Traceback (most recent call last):',
  '  File "/opt/ml/processing/input/code/boom.py", line 11, in <module>',
  '    ratio(2.0)',
  '  File "/opt/ml/processing/input/code/boom.py", line 6, in ratio',
  '    raise ValueError("bad ratio: 2.0")',
  'ValueError: bad ratio: 2.0',
];

export const failureBenchmark: Benchmark = {
  name: 'Failure',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const out = emptyOutput();
    await ctx.moto.reset();
    const proxy = await startProxy(ctx.moto.endpoint);
    const flips = new Map<string, number>();
    const firstFailed = new Map<string, number>();
    proxy.add({ match: onAction('DescribeProcessingJob'), action: { kind: 'rewrite', rewrite: (b) => {
      const job = b.ProcessingJobName as string;
      const flip = flips.get(job);
      if (flip === undefined) return b;
      const base: Record<string, unknown> = { ...b, ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } } };
      if (Date.now() < flip) {
        const { ProcessingEndTime: _e, FailureReason: _f, ExitMessage: _x, ...running } = base;
        return { ...running, ProcessingJobStatus: 'InProgress' };
      }
      if (!firstFailed.has(job)) firstFailed.set(job, Date.now());
      return { ...base, ProcessingJobStatus: 'Failed', FailureReason: REASON, ExitMessage: TRACE.slice(-3).join('\n'), ProcessingEndTime: flip / 1000 };
    } } });
    const env = { ...ctx.env, AWS_ENDPOINT_URL: proxy.url };
    const writer = new LogWriter(ctx.moto.endpoint);
    let n = 0;
    /** A fresh job whose log ends with the traceback; it says Failed from 500 ms on. */
    const prepare = async (): Promise<string> => {
      const job = `bench-failure-${Date.now().toString(36)}-${++n}`;
      await seedJobs(ctx.moto.endpoint, [job]);
      const stream = LogWriter.streamName(job, 1, Math.floor(Date.now() / 1000));
      await writer.ensureStream(stream);
      const t0 = Date.now();
      await writer.put(stream, [...Array.from({ length: 200 }, (_v, i) => `working on batch ${i}`), ...TRACE].map((message, i) => ({ timestamp: t0 + i, message })));
      flips.set(job, Date.now() + 500);
      return job;
    };
    const since = (job: string, at: number) => {
      const f = firstFailed.get(job);
      if (f === undefined) throw new Error(`${job}: no Failed answer was given`);
      return at - f;
    };
    try {
      const kept = await interleaved(capped(ctx.plan, 5), [
        { label: 'ours', run: async () => {
          const job = await prepare();
          const m = await runMeasured(process.execPath, [path.join(WORKERS, 'failureOurs.js'), job, '1000'], { env, timeoutMs: 120_000 });
          const r = lastJson<{ doneAt: number; exception?: string; failing?: string }>(m, 'failureOurs');
          if (r.exception !== 'ValueError: bad ratio: 2.0' || r.failing !== '/opt/ml/processing/input/code/boom.py:6') throw new Error(`our summary: ${JSON.stringify(r)}`);
          return since(job, r.doneAt);
        } },
        { label: 'sdk', run: async () => {
          const job = await prepare();
          const m = await runMeasured(PEER_PYTHON, [path.join(__dirname, 'peers', 'failure_sdk.py'), job], { env, timeoutMs: 120_000 });
          const r = lastJson<{ raisedAt: number | null; message: string }>(m, 'failure_sdk.py');
          if (r.raisedAt === null || !r.message.includes(REASON)) throw new Error(`the SDK: ${JSON.stringify(r)}`);
          return since(job, r.raisedAt);
        } },
      ], (label, i, ms) => ctx.log(`failure #${i + 1} ${label}: ${ms.toFixed(0)} ms after the first Failed answer`));
      const o = kept.get('ours')!;
      out.figures.push({
        group: 'Failure', name: 'status says Failed → failure summary ready', unit: 'ms',
        ours: { label: 'summary: exception + failing line (bundled)', values: o },
        peers: [{ label: 'SDK wait() raises with FailureReason', values: kept.get('sdk')! }],
        aim: `≤ ${AIM_MS} ms`, aimMet: median(o) <= AIM_MS,
        note: 'from the proxy\'s first DescribeProcessingJob answer saying Failed to the summary (ours: the CloudWatch log read until two reads agree, 500 ms apart, because a job that just ended may still be writing its last lines; the traceback parsed) or to the exception (the SDK: FailureReason only, no traceback or line). Detecting the status is not counted: ours polls every 10 s by default (1 s here), the SDK every 5 s.',
      });
    } finally {
      writer.destroy();
      await proxy.stop();
    }
    return out;
  },
};
