// Runs the test tiers with node's test runner and fails loudly if any tier fails or runs no test at all.
//   node scripts/run-tiers.mjs [unit|integration|e2e ...]
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

// A tier with `moto` gets one moto server for all its files (they run one at a time; test/support/moto.ts resets it
// through moto's API for each file), instead of a server started and stopped per file.
const tiers = {
  unit: { dir: 'test/unit', concurrency: 2 },
  integration: { dir: 'test/integration', concurrency: 1, moto: true },
  e2e: { dir: 'test/e2e', concurrency: 1, moto: true },
};
const CACHE = resolve(process.env.SMP_CACHE ?? '.cache');

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
  });
}

/** Starts the tier's moto and waits (with a deadline) until it answers; returns its endpoint, log file and stop(). */
async function startTierMoto(tier) {
  const bin = join(CACHE, 'venv', 'bin', 'moto_server');
  if (!existsSync(bin)) throw new Error(`moto_server is missing (${bin}): run scripts/setup.sh`);
  const port = await freePort();
  mkdirSync(join(CACHE, 'tmp'), { recursive: true });
  const log = join(mkdtempSync(join(CACHE, 'tmp', `moto-${tier}-`)), 'moto.log');
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
    if (child.exitCode !== null || Date.now() > deadline) { stop(); throw new Error(`the ${tier} tier's moto did not start:\n${readFileSync(log, 'utf8').slice(-2000)}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, log, stop };
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
  const tap = join('test-results', `${name}.tap`);
  console.log(`\n== ${name} tier: ${files.length} file(s)`);
  const t0 = Date.now();
  const moto = tier.moto ? await startTierMoto(name) : undefined;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${tier.concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, SMP_TIER: name, ...(moto ? { SMP_MOTO_ENDPOINT: moto.endpoint, SMP_MOTO_LOG: moto.log } : {}) } });
  moto?.stop();
  const text = readFileSync(tap, 'utf8');
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const c = { pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  totals.pass += c.pass; totals.fail += c.fail; totals.skipped += c.skipped;
  console.log(`== ${name}: ${c.pass} passed, ${c.fail} failed, ${c.skipped} skipped in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  if (r.status !== 0) problems.push(`${name}: test runner exited ${r.status}`);
  if (c.pass === 0) problems.push(`${name}: ran no passing test`);
  if (c.skipped) problems.push(`${name}: ${c.skipped} test(s) skipped; every tier must run whole`);
}
if (problems.length) console.error(`\nFAILED:\n  ${problems.join('\n  ')}`);
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(problems.length ? 1 : 0);
