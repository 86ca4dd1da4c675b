// The tests' own rules on waiting (issue #18): every wait goes through test/support/net.ts `waitFor`, whose deadline
// has no default (tsc refuses a call without one), and no fixed sleep stands in for a condition: each sleep left in a
// test says why on its line (`// sleep: <reason>`), and each hand-rolled wait helper (until/waitUntil) is gone. The rule
// reads test/support too (the harness is test code), and knows node:timers/promises' setTimeout as a sleep.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';

const SLEEP = /new Promise\(\s*\(?\s*(r|res|resolve)\s*\)?\s*=>\s*setTimeout\(\s*\1\b|\.waitForTimeout\(/;
const OWN_WAIT_HELPER = /\b(async\s+)?function\s+(until|waitUntil|eventually|pollUntil)\b/;
const TIMERS_PROMISES = /['"](node:)?timers\/promises['"]/;

/** The names under which a file has timers/promises' setTimeout (`setTimeout`, `setTimeout as sleep`, `tp.setTimeout`). */
function promiseSleeps(text: string): RegExp | undefined {
  if (!TIMERS_PROMISES.test(text)) return undefined;
  const names: string[] = [];
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?timers\/promises['"]/g)) {
    for (const part of m[1].split(',')) {
      const [orig, alias] = part.trim().split(/\s+as\s+/);
      if (orig === 'setTimeout') names.push(alias ?? orig);
    }
  }
  for (const m of text.matchAll(/(?:import\s*\*\s*as\s+(\w+)\s*from|(?:const|let|var)\s+(\w+)\s*=\s*(?:await\s+import|require)\s*\()\s*['"](?:node:)?timers\/promises['"]/g)) names.push(`${m[1] ?? m[2]}.setTimeout`);
  for (const m of text.matchAll(/(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:await\s+import|require)\s*\(\s*['"](?:node:)?timers\/promises['"]/g)) {
    for (const part of m[1].split(',')) {
      const [orig, alias] = part.trim().split(/\s*:\s*/);
      if (orig === 'setTimeout') names.push(alias ?? orig);
    }
  }
  return names.length ? new RegExp(`(^|[^\\w.])(${names.map((n) => n.replace(/\./g, '\\.')).join('|')})\\s*\\(`) : undefined;
}

/** The problems of one test file's text (empty when it follows the rules). */
export function waitProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const promiseSleep = promiseSleeps(text);
  text.split('\n').forEach((line, i) => {
    if ((SLEEP.test(line) || (promiseSleep?.test(line) && !/^\s*import\b/.test(line))) && !/\/\/ sleep: \S/.test(line)) {
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
    if (e.isDirectory()) return testFiles(rel);
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

test('the rule reads test/support and knows timers/promises\' setTimeout in every spelling', () => {
  assert.ok(testFiles('test').includes('test/support/net.ts'), 'test/support is read');
  const f = 'test/support/x.ts';
  assert.equal(waitProblems(f, "import { setTimeout } from 'node:timers/promises';\nawait setTimeout(500);\n").length, 1);
  assert.equal(waitProblems(f, "import { setTimeout as sleep } from 'timers/promises';\nawait sleep(500);\n").length, 1);
  assert.equal(waitProblems(f, "import * as tp from 'node:timers/promises';\nawait tp.setTimeout(500);\n").length, 1);
  assert.equal(waitProblems(f, "const { setTimeout: wait } = require('node:timers/promises');\nawait wait(500);\n").length, 1);
  assert.equal(waitProblems(f, "const tp = await import('node:timers/promises');\nawait tp.setTimeout(500);\n").length, 1);
  assert.deepEqual(waitProblems(f, "import { setTimeout as sleep } from 'node:timers/promises';\nawait sleep(500); // sleep: the scripted delay\n"), []);
  // The callback setTimeout of a file that does not import timers/promises is not a sleep by itself.
  assert.deepEqual(waitProblems(f, 'const t = setTimeout(() => kill(), 5000);\n'), []);
});
