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
  for (const file of ['src/core/fixture.ts', 'src/aws/fixture.ts', 'src/local/fixture.ts', 'src/cli.ts']) {
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

test('no shell strings: child_process.exec is refused', async () => {
  const code = "import * as child_process from 'node:child_process';\nexport const r = child_process.exec('ls ' + process.argv[2]);\n";
  assert.ok((await ruleIds(code, 'src/local/fixture.ts')).includes('no-restricted-syntax'));
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
  const project = await findCycles(['src/extension.ts', 'src/cli.ts', 'src/aws/sdk.ts']);
  assert.ok(project.modules > 50);
  assert.deepEqual(project.cycles, []);
});
