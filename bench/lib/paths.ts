import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Scratch space of a benchmark run (git- and lint-ignored). */
export const BENCH_TMP = path.join(ROOT, 'bench', '.tmp');
/** The peers' venv made by `scripts/setup.sh --only bench-venv`. */
export const BENCH_VENV = path.join(process.env.SMP_CACHE ?? path.join(ROOT, '.cache'), 'bench-venv');
export const PEER_PYTHON = path.join(BENCH_VENV, 'bin', 'python');
export const PEER_AWS = path.join(BENCH_VENV, 'bin', 'aws');
export const WORKERS = path.join(BENCH_TMP, 'workers');
export const RESULTS_MD = path.join(ROOT, 'bench', 'RESULTS.md');
