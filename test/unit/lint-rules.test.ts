// The architecture rules fail when broken: ESLint's layering rules and the circular-import check.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { ROOT } from '../support/paths';

const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

test('only src/ui and src/extension.ts may import vscode', async () => {
  const code = "import * as vscode from 'vscode';\nexport const w = vscode.window;\n";
  for (const file of ['src/core/fixture.ts', 'src/aws/fixture.ts', 'src/local/fixture.ts', 'src/cli/index.ts']) {
    assert.deepEqual(await ruleIds(code, file), ['no-restricted-imports'], file);
  }
  assert.deepEqual(await ruleIds(code, 'src/ui/fixture.ts'), []);
  assert.deepEqual(await ruleIds(code, 'src/extension.ts'), []);
});

test('src/core stays pure: no AWS SDK, no processes', async () => {
  assert.deepEqual(await ruleIds("import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n", 'src/core/fixture.ts'), ['no-restricted-imports']);
  assert.deepEqual(await ruleIds("import { spawn } from 'node:child_process';\nexport const s = spawn;\n", 'src/core/fixture.ts'), ['no-restricted-imports']);
  assert.deepEqual(await ruleIds("import { spawn } from 'node:child_process';\nexport const s = spawn;\n", 'src/local/fixture.ts'), []);
});

test('no shell strings, in every spelling', async () => {
  const refused = {
    'namespace import + exec': "import * as child_process from 'node:child_process';\nexport const r = child_process.exec('ls ' + process.argv[2]);\n",
    'named exec': "import { exec } from 'node:child_process';\nexport const r = exec('ls ' + process.argv[2]);\n",
    'named execSync, bare module': "import { execSync as run } from 'child_process';\nexport const r = run('ls');\n",
    'default import': "import cp from 'child_process';\nexport const r = cp.exec('ls');\n",
    'require': "const cp = require('node:child_process');\nexport const r = cp.exec('ls');\n",
    'dynamic import': "export const r = import('child_process').then((m) => m.exec('ls'));\n",
    'spawn with a shell': "import { spawn } from 'node:child_process';\nexport const r = spawn('ls ' + process.argv[2], { shell: true });\n",
  };
  for (const [what, code] of Object.entries(refused)) {
    for (const file of ['src/local/fixture.ts', 'src/ui/fixture.ts', 'test/integration/fixture.ts']) {
      const ids = await ruleIds(code, file);
      assert.ok(ids.some((id) => id === 'no-restricted-syntax' || id === 'no-restricted-imports'), `${what} in ${file}: ${ids.join(', ')}`);
    }
  }
  // The allowed spelling stays allowed, and a RegExp's exec is not a process.
  assert.deepEqual(await ruleIds("import { spawn } from 'node:child_process';\nexport const r = spawn('ls', ['-l', process.argv[2]], { shell: false });\n", 'src/local/fixture.ts'), []);
  assert.deepEqual(await ruleIds("export const m = /a(b)/.exec(process.argv[2]);\n", 'src/local/fixture.ts'), []);
});

test('the circular-import check finds a cycle, and the project has none', async () => {
  // @ts-expect-error -- a plain .mjs script without types
  const { findCycles } = await import('../../scripts/check-cycles.mjs');
  const fixture = await findCycles(['test/fixtures/cycle/a.ts'], 'test/fixtures/cycle/');
  assert.equal(fixture.cycles.length, 1);
  const [cycle] = fixture.cycles as string[][];
  assert.equal(cycle.length, 3);
  assert.equal(cycle[0], cycle[2]);
  assert.deepEqual([...new Set(cycle)].sort(), ['test/fixtures/cycle/a.ts', 'test/fixtures/cycle/b.ts']);
  // A cycle of type-only imports counts too (a bundler's graph drops them).
  const types = await findCycles(['test/fixtures/cycle-types/a.ts'], 'test/fixtures/cycle-types/');
  assert.equal(types.cycles.length, 1);
  const project = await findCycles(['src/extension.ts', 'src/cli/index.ts', 'src/aws/sdk.ts']);
  assert.ok(project.modules > 50);
  assert.deepEqual(project.cycles, []);
});
