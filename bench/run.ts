// `npm run bench` (scripts/bench.sh sets up and builds first): runs every benchmark against the peers, side by side
// in one run, and writes bench/RESULTS.md (and the README's quoted table between its bench markers).
//
//   node --import tsx bench/run.ts [--only list,submit,...] [--merge] [--runs N] [--warmup N] [--jobs N] [--no-readme]
// --only writes bench/.tmp/RESULTS.partial.md; with --merge its benchmarks replace theirs in the last full run's
// results (bench/.tmp/last-results.json) and RESULTS.md is written again, saying which were re-run and when.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { startMoto, type Moto } from '../test/support/moto';
import type { Benchmark, BenchContext } from './lib/context';
import { emptyOutput, type BenchOutput } from './lib/figures';
import { renderResults, resultsTable } from './lib/report';
import { BENCH_TMP, PEER_AWS, PEER_PYTHON, RESULTS_MD, ROOT, WORKERS } from './lib/paths';
import { activationBenchmark, sizeBenchmark } from './activation';
import { listBenchmark } from './list';
import { submitBenchmark } from './submit';
import { pollingBenchmark } from './polling';
import { logsBenchmark } from './logs';
import { localBenchmark } from './local';
import { localDebugBenchmark } from './localDebug';
import { failureBenchmark } from './failure';

const ALL: Benchmark[] = [sizeBenchmark, activationBenchmark, listBenchmark, submitBenchmark, pollingBenchmark, logsBenchmark, localBenchmark, localDebugBenchmark, failureBenchmark];

interface Options { only?: Set<string>; merge: boolean; runs: number; warmup: number; jobs: number; readme: boolean }

function parseOptions(argv: string[]): Options {
  const o: Options = { runs: 5, warmup: 1, jobs: 10_000, readme: true, merge: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a whole number`);
      return v;
    };
    if (a === '--only') o.only = new Set(argv[++i].split(',').map((s) => s.trim().toLowerCase()));
    else if (a === '--runs') o.runs = Math.max(1, num());
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--jobs') o.jobs = Math.max(1, num());
    else if (a === '--no-readme') o.readme = false;
    else if (a === '--merge') o.merge = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function log(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Bundles bench/workers/*.ts like the shipped bundles (minified, node20), so ours runs as it ships. */
async function buildWorkers(): Promise<void> {
  const dir = path.join(__dirname, 'workers');
  const entries = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  await esbuild.build({
    entryPoints: entries, outdir: WORKERS, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true,
    legalComments: 'none', logLevel: 'warning', external: ['vscode', '@aws-sdk/signature-v4-crt', 'aws-crt'],
    // jsonc-parser's "main" is a UMD build whose require('./impl/…') a bundler cannot follow; take its ESM build.
    mainFields: ['module', 'main'],
  });
}

/** The last line a version command prints (the SDK logs config notices first). */
function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, SAGEMAKER_SUPPRESS_V2_WARNING: '1' } });
  return r.status === 0 ? ((r.stdout || r.stderr).trim().split('\n').pop() ?? '') : 'unavailable';
}

function meta(opts: Options, startedAt: Date, seconds: number): Record<string, string> {
  const head = versionOf('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
  const dirty = versionOf('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']) === '' ? '' : ' (with uncommitted changes)';
  const peers = versionOf(PEER_PYTHON, ['-c', 'import sagemaker, boto3, botocore; print(f"sagemaker {sagemaker.__version__}, boto3 {boto3.__version__}, botocore {botocore.__version__}")']);
  const motoVersion = versionOf(path.join(ROOT, '.cache', 'venv', 'bin', 'python'), ['-c', 'import moto; print(moto.__version__)']);
  return {
    Run: `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round(seconds)} s, commit ${head}${dirty}`,
    Machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    Ours: `Node ${process.version}, production bundles from \`npm run package\``,
    Peers: `${peers}; ${versionOf(PEER_AWS, ['--version'])}; docker-compose ${versionOf('docker-compose', ['version', '--short'])} (the SDK's local mode)`,
    'AWS emulator': `moto ${motoVersion} (server mode, loopback)`,
    Runs: `${opts.warmup} warm-up + ${opts.runs} kept per contender; List seeds ${opts.jobs.toLocaleString('en')} jobs`,
  };
}

const LAST_RESULTS = path.join(BENCH_TMP, 'last-results.json');
const README_START = '<!-- bench:results:start -->';
const README_END = '<!-- bench:results:end -->';

function updateReadme(table: string): boolean {
  const file = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(README_START);
  const b = text.indexOf(README_END);
  if (a < 0 || b < a) return false;
  fs.writeFileSync(file, `${text.slice(0, a + README_START.length)}\n${table}\n${text.slice(b)}`);
  return true;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  fs.mkdirSync(BENCH_TMP, { recursive: true });
  for (const [what, file] of [['python', PEER_PYTHON], ['aws', PEER_AWS]]) {
    if (!fs.existsSync(file)) throw new Error(`peer ${what} is missing (${file}): run \`bash scripts/setup.sh --only bench-venv\``);
  }
  await buildWorkers();
  const selected = ALL.filter((b) => !opts.only || opts.only.has(b.name.toLowerCase()));
  if (!selected.length) throw new Error(`--only matched no benchmark; known: ${ALL.map((b) => b.name.toLowerCase()).join(', ')}`);
  let moto: Moto | undefined;
  const all: BenchOutput = emptyOutput();
  try {
    moto = await startMoto();
    log(`moto at ${moto.endpoint}`);
    const ctx: BenchContext = {
      moto, plan: { warmup: opts.warmup, runs: opts.runs }, listJobs: opts.jobs, log,
      env: { ...process.env, ...moto.env, AWS_PAGER: '', AWS_CONFIG_FILE: path.join(BENCH_TMP, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(BENCH_TMP, 'no-aws-credentials') },
    };
    for (const b of selected) {
      const t0 = Date.now();
      log(`== ${b.name}`);
      try {
        const r = await b.run(ctx);
        all.figures.push(...r.figures);
        all.notMeasured.push(...r.notMeasured);
        all.notes.push(...r.notes);
      } catch (e) {
        // One broken benchmark must not hide the others; it says so in the results instead of a number.
        const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
        log(`${b.name} FAILED: ${e instanceof Error ? e.stack : e}`);
        all.notMeasured.push({ group: b.name, why: `the benchmark failed: ${why}` });
      }
      log(`${b.name} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await moto?.stop();
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const runMeta = meta(opts, startedAt, seconds);
  process.stdout.write(`\n${resultsTable(all)}\n\n`);
  let final: { out: BenchOutput; meta: Record<string, string> } | undefined;
  if (!opts.only) {
    final = { out: all, meta: runMeta };
  } else if (opts.merge) {
    if (!fs.existsSync(LAST_RESULTS)) throw new Error(`--merge needs a full run first (${path.relative(ROOT, LAST_RESULTS)} is missing)`);
    const last = JSON.parse(fs.readFileSync(LAST_RESULTS, 'utf8')) as { out: BenchOutput; meta: Record<string, string> };
    const groups = new Set(selected.map((b) => b.name));
    const mine = (g: string) => [...groups].some((x) => g === x || g.startsWith(`${x} `) || g.startsWith(`${x}:`));
    const order = ALL.map((b) => b.name);
    const byOrder = <T extends { group: string }>(xs: T[]) => xs.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
    final = {
      out: {
        figures: byOrder([...last.out.figures.filter((f) => !groups.has(f.group)), ...all.figures]),
        notMeasured: byOrder([...last.out.notMeasured.filter((n) => !groups.has(n.group)), ...all.notMeasured]),
        notes: [...last.out.notes.filter((n) => !mine(n)), ...all.notes],
      },
      meta: { ...Object.fromEntries(Object.entries(last.meta).filter(([k, v]) => !(k.startsWith('Re-run') && v.startsWith(`${[...groups].join(', ')} (`)))),
        Peers: runMeta.Peers, [`Re-run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`]: `${[...groups].join(', ')} (${Math.round(seconds)} s; ${runMeta.Runs})` },
    };
  } else {
    fs.writeFileSync(path.join(BENCH_TMP, 'RESULTS.partial.md'), renderResults(all, runMeta));
    log('wrote bench/.tmp/RESULTS.partial.md (a partial run: bench/RESULTS.md is left as it was; --merge folds it in)');
  }
  if (final) {
    fs.writeFileSync(LAST_RESULTS, JSON.stringify(final));
    fs.writeFileSync(RESULTS_MD, renderResults(final.out, final.meta));
    log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
    if (opts.readme) log(updateReadme(resultsTable(final.out)) ? 'updated the table in README.md' : 'README.md has no bench markers: table not quoted');
  }
  all.notMeasured = final?.out.notMeasured ?? all.notMeasured;
  if (all.notMeasured.some((n) => n.why.startsWith('the benchmark failed'))) process.exitCode = 1;
}

// Ctrl-C / kill: exit through process.exit so the harness's 'exit' hook stops moto, dockerd and code-server.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
