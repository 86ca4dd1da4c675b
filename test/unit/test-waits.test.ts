// The tests' own rules on waiting (issue #18): every wait goes through test/support/net.ts `waitFor`, whose deadline
// has no default (tsc refuses a call without one), and no fixed sleep stands in for a condition: each sleep left in a
// test says why on its line (`// sleep: <reason>`), and each hand-rolled wait helper (until/waitUntil) is gone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';

const SLEEP = /new Promise\(\s*\(?\s*(r|res|resolve)\s*\)?\s*=>\s*setTimeout\(\s*\1\b|\.waitForTimeout\(/;
const OWN_WAIT_HELPER = /\b(async\s+)?function\s+(until|waitUntil|eventually|pollUntil)\b/;

/** The problems of one test file's text (empty when it follows the rules). */
export function waitProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (SLEEP.test(line) && !/\/\/ sleep: \S/.test(line)) {
      problems.push(`${file}:${i + 1}: a fixed sleep with no "// sleep: <reason>" (wait for the condition with waitFor instead): ${line.trim()}`);
    }
    const helper = OWN_WAIT_HELPER.exec(line);
    if (helper) problems.push(`${file}:${i + 1}: a wait helper of its own (${helper[2]}); use waitFor from test/support/net.ts`);
  });
  return problems;
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return rel === 'test/support' ? [] : testFiles(rel);
    return e.name.endsWith('.ts') && rel !== 'test/unit/test-waits.test.ts' ? [rel] : [];
  });
}

test('no test sleeps in place of a condition or keeps a wait helper of its own', () => {
  const files = testFiles('test');
  assert.ok(files.length > 30, 'the test files were found');
  assert.deepEqual(files.flatMap((f) => waitProblems(f, fs.readFileSync(path.join(ROOT, f), 'utf8'))), []);
});

test('the rule catches an unexplained sleep and an own until(), and lets an explained sleep pass', () => {
  const f = 'test/integration/x.test.ts';
  assert.equal(waitProblems(f, 'await new Promise((r) => setTimeout(r, 500));\n').length, 1);
  assert.equal(waitProblems(f, 'await new Promise((resolve) => setTimeout(resolve, 500));\n').length, 1);
  assert.equal(waitProblems(f, '    await page.waitForTimeout(1000);\n').length, 1);
  assert.equal(waitProblems(f, 'async function until(what: string, cond: () => boolean) {}\n').length, 1);
  assert.deepEqual(waitProblems(f, 'await page.waitForTimeout(300); // sleep: the menu item takes clicks after its hover\n'), []);
  assert.deepEqual(waitProblems(f, "await waitFor('x', () => done, 10_000);\n"), []);
});
