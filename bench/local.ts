// Local run: the census job run locally by our runner (src/local/localRunner.ts: image built from the definition's
// build block, SageMaker's layout, outputs copied back) vs a bare `docker run` of the same script on the same input,
// on the same private dockerd with the offline base image. Figures: total time, the overhead per pair of runs, and
// the first log line after the start ("the click").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { Benchmark, BenchContext } from './lib/context';
import { capped, emptyOutput, interleaved, type BenchOutput } from './lib/figures';
import { median } from './lib/stats';
import { ROOT } from './lib/paths';
import { DOCKER_CLI, loadBaseImage, startDockerd } from '../test/support/dockerd';
import { scratchDir } from '../test/support/paths';
import { ContainerCli } from '../src/local/containerCli';
import { startLocalRun } from '../src/local/localRunner';
import { resolveLocalJob } from '../src/core/local/definitionLite';

const JOB_KEY = 'census-preprocessing';
const AIM_OVERHEAD_MS = 2000;
const AIM_FIRST_LINE_MS = 1000;

interface Sample { totalMs: number; firstLineMs: number; firstShownMs: number }

export const localBenchmark: Benchmark = {
  name: 'Local',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const out = emptyOutput();
    const docker = await startDockerd();
    const storageDir = scratchDir('bench-local-storage');
    const ws = path.join(scratchDir('bench-local'), 'census');
    fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
    try {
      const base = await loadBaseImage(docker);
      const cli = new ContainerCli({ cli: DOCKER_CLI, env: docker.env });
      const text = fs.readFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), 'utf8');

      const ours = async (): Promise<Sample> => {
        const { spec, allowNetwork } = resolveLocalJob(text, JOB_KEY, { workspaceDir: ws, env: { SMP_BASE_IMAGE: base } });
        const t0 = performance.now();
        let first = NaN;
        let shown = NaN;
        const run = startLocalRun({
          spec, jobKey: JOB_KEY, workspaceDir: ws, allowNetwork, cli, storageDir,
          onLine: (_l, src) => {
            if (Number.isNaN(shown)) shown = performance.now() - t0;
            if (src === 'stdout' && Number.isNaN(first)) first = performance.now() - t0;
          },
        });
        const rec = await run.done;
        const totalMs = performance.now() - t0;
        if (rec.status !== 'Completed') throw new Error(`our local run ended ${rec.status}: ${rec.failureReason ?? ''}`);
        return { totalMs, firstLineMs: first, firstShownMs: shown };
      };

      const bare = async (): Promise<Sample> => {
        const ref = scratchDir('bench-local-ref');
        fs.mkdirSync(path.join(ref, 'input'));
        fs.copyFileSync(path.join(ws, 'data', 'census-income.csv'), path.join(ref, 'input', 'census-income.csv'));
        const t0 = performance.now();
        let first = NaN;
        await new Promise<void>((resolve, reject) => {
          const child = spawn(DOCKER_CLI, ['run', '--rm', '--network', 'none', '-v', `${ref}:/work`, '-v', `${ws}/preprocessing.py:/preprocessing.py:ro`,
            base, 'python3', '/preprocessing.py', '--base-dir', '/work', '--train-test-split-ratio', '0.2'],
          { env: { ...process.env, ...docker.env }, stdio: ['ignore', 'pipe', 'pipe'] });
          let err = '';
          child.stdout.on('data', () => {
            if (Number.isNaN(first)) first = performance.now() - t0;
          });
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker run exited ${code}: ${err.slice(-1500)}`))));
        });
        const totalMs = performance.now() - t0;
        fs.rmSync(ref, { recursive: true, force: true });
        return { totalMs, firstLineMs: first, firstShownMs: first };
      };

      // The first local run builds the image from the definition's build block; that is a one-off, not timed.
      ctx.log('local: first run (builds the image)');
      await ours();
      const kept = await interleaved(capped(ctx.plan, 5), [{ label: 'ours', run: ours }, { label: 'bare', run: bare }],
        (label, i, r) => ctx.log(`local #${i + 1} ${label}: ${r.totalMs.toFixed(0)} ms total, first line at ${r.firstLineMs.toFixed(0)} ms`));
      const o = kept.get('ours')!;
      const b = kept.get('bare')!;
      const overhead = o.map((x, i) => x.totalMs - b[i].totalMs);
      const shownOurs = o.map((x) => x.firstShownMs);
      out.figures.push(
        { group: 'Local', name: 'census job, start to outputs in place (image already built)', unit: 'ms',
          ours: { label: 'local run', values: o.map((x) => x.totalMs) }, peers: [{ label: 'bare docker run', values: b.map((x) => x.totalMs) }] },
        { group: 'Local', name: 'overhead over the bare docker run, per pair of runs', unit: 'ms',
          ours: { label: 'local run − docker run', values: overhead }, peers: [],
          aim: `≤ ${AIM_OVERHEAD_MS / 1000} s`, aimMet: median(overhead) <= AIM_OVERHEAD_MS },
        { group: 'Local', name: 'first line shown after the start (our progress lines count)', unit: 'ms',
          ours: { label: 'local run', values: shownOurs }, peers: [],
          aim: `≤ ${AIM_FIRST_LINE_MS / 1000} s`, aimMet: median(shownOurs) <= AIM_FIRST_LINE_MS },
        { group: 'Local', name: 'first line of the script\'s own output after the start', unit: 'ms',
          ours: { label: 'local run', values: o.map((x) => x.firstLineMs) }, peers: [{ label: 'bare docker run', values: b.map((x) => x.firstLineMs) }],
          note: 'the script prints its first line after importing pandas and scikit-learn, which both sides pay.' },
      );
      out.notMeasured.push({ group: 'Local', why: 'the SDK\'s local mode (instance_type="local") needs docker compose, which setup does not install' });
    } finally {
      await docker.stop();
      fs.rmSync(storageDir, { recursive: true, force: true });
      fs.rmSync(path.dirname(ws), { recursive: true, force: true });
    }
    return out;
  },
};
