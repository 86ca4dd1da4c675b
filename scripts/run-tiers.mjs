// Runs the test tiers with node's test runner and fails loudly if any tier fails or runs no test at all.
//   node scripts/run-tiers.mjs [unit|integration|e2e ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const tiers = {
  unit: { dir: 'test/unit', concurrency: 2 },
  integration: { dir: 'test/integration', concurrency: 1 },
  e2e: { dir: 'test/e2e', concurrency: 1 },
};
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
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${tier.concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, SMP_TIER: name } });
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
