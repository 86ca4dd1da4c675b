// Logs: drain a finished two-instance job's log (N lines in CloudWatch Logs, in moto) to stdout, merged in time
// order: ours (the tailer behind the CLI's `logs` and the output channel) vs the SDK's logs_for_processing_job and
// the AWS CLI v1's `aws logs filter-log-events` (`aws logs tail` is AWS CLI v2 only, which is not on PyPI).
import * as path from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Benchmark, BenchContext } from './lib/context';
import { capped, emptyOutput, interleaved, type BenchOutput } from './lib/figures';
import { lastJson, runMeasured } from './lib/measure';
import { median } from './lib/stats';
import { PEER_AWS, PEER_PYTHON, WORKERS } from './lib/paths';
import { seedJobs } from '../test/support/seed';
import { TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto';
import { startProxy } from '../test/support/proxy';

const LINES = 20_000;
const INSTANCES = 2;
const GROUP = '/aws/sagemaker/ProcessingJobs';
const AIM_LINES_PER_S = 50_000;

async function seedLogs(endpoint: string, job: string): Promise<void> {
  const cw = new CloudWatchLogsClient({ endpoint, region: TEST_REGION, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  try {
    await cw.send(new CreateLogGroupCommand({ logGroupName: GROUP })).catch(() => undefined);
    const t0 = Date.now() - 3_600_000;
    const per = LINES / INSTANCES;
    await Promise.all(Array.from({ length: INSTANCES }, async (_, k) => {
      const stream = `${job}/algo-${k + 1}-${Math.floor(t0 / 1000)}`;
      await cw.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
      for (let start = 0; start < per; start += 5000) {
        const events = Array.from({ length: Math.min(5000, per - start) }, (_, i) => ({
          timestamp: t0 + (start + i) * 10 + k,
          message: `algo-${k + 1} line ${String(start + i).padStart(6, '0')}: processed batch with loss=0.${(start + i) % 1000} and 42 rows`,
        }));
        await cw.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: events }));
      }
    }));
  } finally {
    cw.destroy();
  }
}

interface Sample { wallMs: number; rssMb: number; lines: number; inMs?: number }

export const logsBenchmark: Benchmark = {
  name: 'Logs',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const out = emptyOutput();
    await ctx.moto.reset();
    const job = 'bench-logs-job';
    await seedJobs(ctx.moto.endpoint, [job]);
    await seedLogs(ctx.moto.endpoint, job);
    // moto's DescribeProcessingJob omits ProcessingResources, where the SDK reads the instance count: the proxy adds it.
    const proxy = await startProxy(ctx.moto.endpoint);
    proxy.add({ match: (r) => r.action === 'DescribeProcessingJob', action: { kind: 'rewrite', rewrite: (b) => ({
      ...b, ProcessingResources: { ClusterConfig: { InstanceCount: INSTANCES, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
    }) } });
    const env = { ...ctx.env, AWS_ENDPOINT_URL: proxy.url };
    const check = (who: string, got: number) => {
      if (got < LINES) throw new Error(`${who} printed ${got} log lines, expected ${LINES}`);
    };
    try {
      const kept = await interleaved(capped(ctx.plan, 3), [
        { label: 'ours', run: async (): Promise<Sample> => {
          const m = await runMeasured(process.execPath, [path.join(WORKERS, 'logsOurs.js'), job], { env });
          const r = lastJson<{ ms: number; lines: number }>(m, 'logsOurs');
          check('our tailer', m.stdout.split('\n').filter((l) => l.includes(' line ')).length);
          return { wallMs: m.wallMs, rssMb: m.maxRssMb, lines: r.lines, inMs: r.ms };
        } },
        { label: 'sdk', run: async (): Promise<Sample> => {
          const m = await runMeasured(PEER_PYTHON, [path.join(__dirname, 'peers', 'logs_sdk.py'), job], { env });
          const r = lastJson<{ ms: number }>(m, 'logs_sdk.py');
          const lines = m.stdout.split('\n').filter((l) => l.includes(' line ')).length;
          check('the SDK', lines);
          return { wallMs: m.wallMs, rssMb: m.maxRssMb, lines, inMs: r.ms };
        } },
        { label: 'aws', run: async (): Promise<Sample> => {
          const m = await runMeasured(PEER_AWS, ['logs', 'filter-log-events', '--log-group-name', GROUP, '--log-stream-name-prefix', `${job}/`, '--output', 'json'], { env });
          const lines = (JSON.parse(m.stdout) as { events: unknown[] }).events.length;
          check('aws logs filter-log-events', lines);
          return { wallMs: m.wallMs, rssMb: m.maxRssMb, lines };
        } },
      ], (label, i, r) => ctx.log(`logs #${i + 1} ${label}: ${r.wallMs.toFixed(0)} ms process${r.inMs ? `, ${r.inMs.toFixed(0)} ms in-process` : ''}, ${r.lines} lines`));
      const o = kept.get('ours')!;
      const s = kept.get('sdk')!;
      const a = kept.get('aws')!;
      const rate = (xs: Sample[]) => xs.map((x) => LINES / ((x.inMs ?? x.wallMs) / 1000) / 1000);
      const ourRate = median(rate(o)) * 1000;
      out.figures.push(
        { group: 'Logs', name: `drain ${LINES.toLocaleString('en')} lines of a finished ${INSTANCES}-instance job: whole command`, unit: 'ms',
          ours: { label: 'tailer (node, bundled)', values: o.map((x) => x.wallMs) },
          peers: [{ label: 'SDK logs_for_processing_job', values: s.map((x) => x.wallMs) }, { label: 'aws logs filter-log-events', values: a.map((x) => x.wallMs) }] },
        { group: 'Logs', name: 'the same, in-process: lines drained per second', unit: 'k lines/s', higherIsBetter: true,
          ours: { label: 'tailer', values: rate(o) }, peers: [{ label: 'SDK logs_for_processing_job', values: rate(s) }],
          aim: `≥ ${AIM_LINES_PER_S / 1000}k lines/s`, aimMet: ourRate >= AIM_LINES_PER_S,
          note: 'from the first call to the last line printed, after start-up and imports; the emulator serving 10,000-event GetLogEvents pages is most of it, so this is a floor for our tailer, not its ceiling.' },
        { group: 'Logs', name: 'the same: peak memory (process RSS)', unit: 'MB',
          ours: { label: 'tailer (node, bundled)', values: o.map((x) => x.rssMb) },
          peers: [{ label: 'SDK logs_for_processing_job', values: s.map((x) => x.rssMb) }, { label: 'aws logs filter-log-events', values: a.map((x) => x.rssMb) }] },
      );
      out.notMeasured.push({ group: 'Logs', why: 'lag (write → shown) while a job runs, and API calls per minute while tailing: needs a live job; moto completes jobs at once (a proxy-played lifecycle is the next step)' });
    } finally {
      await proxy.stop();
    }
    return out;
  },
};
