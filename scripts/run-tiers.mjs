// Runs the test tiers with node's test runner and fails loudly if any tier fails or runs no test at all.
//   node scripts/run-tiers.mjs [unit|integration|e2e ...]
// SMP_TEST_LANES=<n> overrides the number of lanes of the integration and e2e tiers (1 runs their files one at a time).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join, resolve } from 'node:path';

// The unit tier runs as one `node --test` (two files at a time). The integration and e2e tiers run in lanes: each lane
// has its own moto server (reset through moto's API by test/support/moto.ts as each file starts) and runs one file at a
// time, so two files never share a server; everything else a file starts (dockerd, registry, proxy, code-server) is
// private to it already. `solo` files run alone, after the lanes, when nothing else loads the machine: their
// assertions are about time (stated windows, deadlines a loaded 2-core machine could miss).
const tiers = {
  unit: { dir: 'test/unit', concurrency: 2 },
  integration: { dir: 'test/integration', lanes: 2, moto: true, solo: ['failure.test.ts', 'liveTail.test.ts', 'sdk-parity.test.ts', 'timeouts.test.ts'] },
  e2e: { dir: 'test/e2e', lanes: 1, moto: true, solo: [] },
};
const CACHE = resolve(process.env.SMP_CACHE ?? '.cache');
/** Last measured seconds per file (written by this script): files start longest first, so the lanes end together. */
const TIMINGS = join(CACHE, 'test-timings.json');
/** The same, as measured on a 2-core machine and committed, for a clean clone that has no cache yet. */
const BASE_TIMINGS = resolve('scripts/test-timings.json'); // optional

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
  });
}

/** Starts a lane's moto and waits (with a deadline) until it answers; returns its endpoint, log file and stop(). */
async function startLaneMoto(label) {
  const bin = join(CACHE, 'venv', 'bin', 'moto_server');
  if (!existsSync(bin)) throw new Error(`moto_server is missing (${bin}): run scripts/setup.sh`);
  const port = await freePort();
  mkdirSync(join(CACHE, 'tmp'), { recursive: true });
  const log = join(mkdtempSync(join(CACHE, 'tmp', `moto-${label}-`)), 'moto.log');
  const fd = openSync(log, 'a');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, MOTO_ACCOUNT_ID: '123456789012' } });
  closeSync(fd);
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) break;
    } catch { /* not listening yet */ }
    if (child.exitCode !== null || Date.now() > deadline) { stop(); throw new Error(`the ${label} moto did not start:\n${readFileSync(log, 'utf8').slice(-2000)}`); }
    await new Promise((r) => setTimeout(r, 100)); // sleep: the poll interval of a wait with a deadline
  }
  return { endpoint, log, stop };
}

function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return {}; }
}

/** Counts of one TAP stream (node's reporter ends it with `# pass N` etc.). */
function tapCounts(text) {
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  return { pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
}

function runNode(args, env) {
  return new Promise((res) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    child.on('exit', (code, signal) => res({ code: code ?? (signal ? 1 : 0), out }));
  });
}

/** Runs a tier's files in lanes; prints each file's output whole when it ends, with its duration. */
async function runLanes(name, tier, files) {
  const lanes = Math.max(1, Number(process.env.SMP_TEST_LANES ?? tier.lanes));
  const known = { ...readJson(BASE_TIMINGS)[name], ...readJson(TIMINGS)[name] };
  const rel = (f) => basename(f);
  const solo = files.filter((f) => tier.solo.includes(rel(f)));
  const queue = files.filter((f) => !solo.includes(f)).sort((a, b) => (known[rel(b)] ?? 60) - (known[rel(a)] ?? 60));
  mkdirSync(join('test-results', name), { recursive: true });
  const results = [];
  const runFile = async (file, moto, lane) => {
    const tap = join('test-results', name, `${rel(file)}.tap`);
    const t0 = Date.now();
    const r = await runNode(['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, file],
    { ...process.env, SMP_TIER: name, ...(moto ? { SMP_MOTO_ENDPOINT: moto.endpoint, SMP_MOTO_LOG: moto.log } : {}) });
    const seconds = (Date.now() - t0) / 1000;
    const c = tapCounts(existsSync(tap) ? readFileSync(tap, 'utf8') : '');
    results.push({ file: rel(file), seconds, code: r.code, ...c });
    process.stdout.write(`\n-- ${file} (lane ${lane}, ${seconds.toFixed(0)} s)\n${r.out}`);
    console.log(`-- ${rel(file)}: ${c.pass} passed, ${c.fail} failed, ${c.skipped} skipped in ${seconds.toFixed(1)} s`);
  };
  const lane = async (n, pick) => {
    const moto = tier.moto ? await startLaneMoto(`${name}-${n}`) : undefined;
    try {
      for (let f = pick(); f; f = pick()) await runFile(f, moto, n);
    } finally {
      moto?.stop();
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: Math.min(lanes, queue.length) }, (_, n) => lane(n + 1, () => queue.shift())));
  const lanesWall = (Date.now() - t0) / 1000;
  if (solo.length) await lane('solo', () => solo.shift());
  // Per-file durations, longest first, and what the lanes saved against running the files one after another.
  results.sort((a, b) => b.seconds - a.seconds);
  const sum = results.reduce((s, r) => s + r.seconds, 0);
  console.log(`\n== ${name}: per-file durations (s), longest first:`);
  for (const r of results) console.log(`   ${r.seconds.toFixed(1).padStart(7)}  ${r.file}${r.code ? `  (exit ${r.code})` : ''}`);
  console.log(`   ${sum.toFixed(1).padStart(7)}  sum of files; the ${lanes} lane(s) took ${lanesWall.toFixed(0)} s of wall time${solo.length ? ' before the solo files' : ''}`);
  const all = readJson(TIMINGS);
  all[name] = { ...all[name], ...Object.fromEntries(results.filter((r) => !r.code).map((r) => [r.file, Math.round(r.seconds)])) };
  try { mkdirSync(CACHE, { recursive: true }); writeFileSync(TIMINGS, `${JSON.stringify(all, null, 1)}\n`); } catch { /* a read-only cache only loses the ordering hint */ }
  writeFileSync(join('test-results', `${name}-timings.json`), `${JSON.stringify(results, null, 1)}\n`);
  const c = results.reduce((s, r) => ({ pass: s.pass + r.pass, fail: s.fail + r.fail, skipped: s.skipped + r.skipped }), { pass: 0, fail: 0, skipped: 0 });
  const failedFiles = results.filter((r) => r.code !== 0).map((r) => r.file);
  return { c, status: failedFiles.length ? 1 : 0, failedFiles };
}

async function runBatch(name, tier, files) {
  const tap = join('test-results', `${name}.tap`);
  const r = await new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${tier.concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { stdio: 'inherit', env: { ...process.env, SMP_TIER: name } });
    child.on('exit', (code) => res({ status: code ?? 1 }));
  });
  return { c: tapCounts(readFileSync(tap, 'utf8')), status: r.status, failedFiles: [] };
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(tiers);
mkdirSync('test-results', { recursive: true });
const totals = { pass: 0, fail: 0, skipped: 0 };
const problems = [];
for (const name of wanted) {
  const tier = tiers[name];
  if (!tier) { console.error(`unknown tier ${name}`); process.exit(2); }
  const files = readdirSync(tier.dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(tier.dir, f));
  if (!files.length) { problems.push(`${name}: no test files in ${tier.dir}`); continue; }
  console.log(`\n== ${name} tier: ${files.length} file(s)`);
  const t0 = Date.now();
  const { c, status, failedFiles } = tier.lanes ? await runLanes(name, tier, files) : await runBatch(name, tier, files);
  totals.pass += c.pass; totals.fail += c.fail; totals.skipped += c.skipped;
  console.log(`== ${name}: ${c.pass} passed, ${c.fail} failed, ${c.skipped} skipped in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  if (status !== 0) problems.push(`${name}: test runner exited ${status}${failedFiles.length ? ` (${failedFiles.join(', ')})` : ''}`);
  if (c.pass === 0) problems.push(`${name}: ran no passing test`);
  if (c.skipped) problems.push(`${name}: ${c.skipped} test(s) skipped; every tier must run whole`);
}
if (problems.length) console.error(`\nFAILED:\n  ${problems.join('\n  ')}`);
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(problems.length ? 1 : 0);
