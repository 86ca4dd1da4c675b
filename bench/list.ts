// List: N (10,000) jobs in moto; the first page and all pages, time and peak memory.
//   ours: SageMakerApi in a bundled worker (in-process time) and the built CLI `dist/cli.js jobs`;
//   peers: a boto3 client / paginator (in-process time) and `aws sagemaker list-processing-jobs`.
// Every contender uses page size 100 (moto's and AWS's maximum; moto returns everything in one page when
// MaxResults is omitted, which would flatter the peers' defaults).
import * as path from 'node:path';
import type { Benchmark, BenchContext } from './lib/context';
import { emptyOutput, interleaved, type BenchOutput, type Figure } from './lib/figures';
import { lastJson, runMeasured } from './lib/measure';
import { PEER_AWS, PEER_PYTHON, ROOT, WORKERS } from './lib/paths';
import { seedManyJobs } from './lib/seed';

interface Sample { ms: number; rssMb: number }

function check(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what} listed ${got} jobs, expected ${want}`);
}

export const listBenchmark: Benchmark = {
  name: 'List',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const out = emptyOutput();
    const n = ctx.listJobs;
    await ctx.moto.reset();
    const t0 = Date.now();
    await seedManyJobs(ctx.moto.endpoint, n, 'bench-list');
    ctx.log(`seeded ${n} jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const env = ctx.env;

    for (const mode of ['first', 'all'] as const) {
      const want = mode === 'first' ? Math.min(100, n) : n;
      const contenders = [
        { label: 'ours-api', run: async (): Promise<Sample> => {
          const m = await runMeasured(process.execPath, [path.join(WORKERS, 'listOurs.js'), mode], { env });
          const r = lastJson<{ ms: number; count: number }>(m, 'listOurs');
          check('SageMakerApi', r.count, want);
          return { ms: r.ms, rssMb: m.maxRssMb };
        } },
        { label: 'boto3', run: async (): Promise<Sample> => {
          const m = await runMeasured(PEER_PYTHON, [path.join(__dirname, 'peers', 'list_boto3.py'), mode], { env });
          const r = lastJson<{ ms: number; count: number }>(m, 'list_boto3.py');
          check('boto3', r.count, want);
          return { ms: r.ms, rssMb: m.maxRssMb };
        } },
        { label: 'ours-cli', run: async (): Promise<Sample> => {
          const m = await runMeasured(process.execPath, [cli, 'jobs', '--max', mode === 'first' ? '100' : '100000'], { env });
          check('dist/cli.js jobs', m.stdout.split('\n').filter(Boolean).length, want);
          return { ms: m.wallMs, rssMb: m.maxRssMb };
        } },
        { label: 'aws-cli', run: async (): Promise<Sample> => {
          const args = ['sagemaker', 'list-processing-jobs', '--page-size', '100', '--output', 'json'];
          if (mode === 'first') args.push('--max-items', '100');
          const m = await runMeasured(PEER_AWS, args, { env });
          check('aws sagemaker list-processing-jobs', (JSON.parse(m.stdout) as { ProcessingJobSummaries: unknown[] }).ProcessingJobSummaries.length, want);
          return { ms: m.wallMs, rssMb: m.maxRssMb };
        } },
      ];
      const kept = await interleaved(ctx.plan, contenders, (label, i, r) => ctx.log(`list ${mode} #${i + 1} ${label}: ${r.ms.toFixed(0)} ms, ${r.rssMb.toFixed(0)} MB`));
      const ms = (l: string) => kept.get(l)!.map((s) => s.ms);
      const mb = (l: string) => kept.get(l)!.map((s) => s.rssMb);
      const what = mode === 'first' ? `first page (100 of ${n.toLocaleString('en')} jobs)` : `all pages (${n.toLocaleString('en')} jobs)`;
      const figs: Figure[] = [
        { group: 'List', name: `${what}: API time, in-process`, unit: 'ms', ours: { label: 'SageMakerApi', values: ms('ours-api') }, peers: [{ label: mode === 'first' ? 'boto3 client' : 'boto3 paginator', values: ms('boto3') }] },
        { group: 'List', name: `${what}: API peak memory (process RSS)`, unit: 'MB', ours: { label: 'SageMakerApi', values: mb('ours-api') }, peers: [{ label: mode === 'first' ? 'boto3 client' : 'boto3 paginator', values: mb('boto3') }] },
        { group: 'List', name: `${what}: CLI command, start to exit`, unit: 'ms', ours: { label: `cli.js jobs --max ${mode === 'first' ? 100 : 100000}`, values: ms('ours-cli') }, peers: [{ label: 'aws sagemaker list-processing-jobs', values: ms('aws-cli') }] },
        { group: 'List', name: `${what}: CLI peak memory (process RSS)`, unit: 'MB', ours: { label: 'cli.js', values: mb('ours-cli') }, peers: [{ label: 'aws CLI', values: mb('aws-cli') }] },
      ];
      out.figures.push(...figs);
    }
    out.notes.push('List: every contender pages by 100 (`--page-size 100` for the AWS CLI, `PageSize` for boto3); in-process API times include creating the client, not starting the runtime or importing the SDK; CLI times are the whole command, process start to exit, output included (ours: text lines; the AWS CLI: its default JSON).');
    return out;
  },
};
