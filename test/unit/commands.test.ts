// One command table (src/ui/commandTable.ts): every id written out once there, and the table and package.json agree
// both ways. No catch-all stub stands in for a missing handler.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';
import { readManifest } from '../support/manifest';

// English manifest: the `command:` links of the welcome views and walkthrough are in package.nls.json.
const pkg = readManifest();
const TABLE = path.join(ROOT, 'src', 'ui', 'commandTable.ts');

/** The ids the table maps to factories, in order (duplicates kept, so a twice-written id is seen). */
export function tableIds(text: string): string[] {
  return [...text.matchAll(/^\s*'(sagemakerProcessing\.[A-Za-z0-9.]+)':\s*[A-Za-z_$][\w$]*\.[\w$]+,\s*$/gm)].map((m) => m[1]);
}

function contributedIds(p: typeof pkg): string[] {
  return (p.contributes.commands as { command: string }[]).map((c) => c.command);
}

/** Every command id package.json names elsewhere: `command` of menus and keybindings, `command:` links in markdown. */
function referencedIds(p: typeof pkg): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if (key === 'command') found.add(v);
      for (const m of v.matchAll(/command:(sagemakerProcessing\.[A-Za-z0-9]+)/g)) found.add(m[1]);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk({ ...p.contributes, commands: undefined });
  return [...found].filter((id) => id.startsWith('sagemakerProcessing.'));
}

/** The table and package.json agree; returns the problems (empty when they do). */
export function checkCommands(tableText: string, p: typeof pkg): string[] {
  const problems: string[] = [];
  const ids = tableIds(tableText);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push(`${id} is written twice in the table`);
    seen.add(id);
  }
  const contributed = new Set(contributedIds(p));
  for (const id of seen) if (!contributed.has(id)) problems.push(`${id} is in the table but not contributed in package.json`);
  for (const id of contributed) if (!seen.has(id)) problems.push(`${id} is contributed in package.json but has no handler in the table`);
  for (const id of referencedIds(p)) if (!contributed.has(id) && !seen.has(id)) problems.push(`${id} is used in package.json but is no command`);
  return problems;
}

test('the command table and package.json agree both ways', () => {
  assert.deepEqual(checkCommands(fs.readFileSync(TABLE, 'utf8'), pkg), []);
  assert.ok(tableIds(fs.readFileSync(TABLE, 'utf8')).length >= 26);
});

test('the check fails on a contributed command without a handler, a handler without contribution, and a twice-written id', () => {
  const text = fs.readFileSync(TABLE, 'utf8');
  const withoutRun = text.replace(/^\s*'sagemakerProcessing\.runJob':.*\n/m, '');
  assert.deepEqual(checkCommands(withoutRun, pkg), ['sagemakerProcessing.runJob is contributed in package.json but has no handler in the table']);
  const extra = text.replace(/(\s*'sagemakerProcessing\.runJob':.*\n)/m, "$1    'sagemakerProcessing.ghost': runCommands.runJob,\n");
  assert.deepEqual(checkCommands(extra, pkg), ['sagemakerProcessing.ghost is in the table but not contributed in package.json']);
  const twice = text.replace(/(\s*'sagemakerProcessing\.runJob':.*\n)/m, '$1$1');
  assert.deepEqual(checkCommands(twice, pkg), ['sagemakerProcessing.runJob is written twice in the table']);
  const menuTypo = structuredClone(pkg);
  menuTypo.contributes.menus['commandPalette'] = [...(menuTypo.contributes.menus['commandPalette'] ?? []), { command: 'sagemakerProcessing.runJobb' }];
  assert.deepEqual(checkCommands(text, menuTypo), ['sagemakerProcessing.runJobb is used in package.json but is no command']);
});

test('no command is registered outside the table (no stubs, no second registration path)', () => {
  const uiDir = path.join(ROOT, 'src', 'ui');
  const offenders: string[] = [];
  for (const f of [...fs.readdirSync(uiDir).map((n) => path.join(uiDir, n)), path.join(ROOT, 'src', 'extension.ts')]) {
    if (!f.endsWith('.ts') || f.endsWith(path.join('ui', 'commands.ts'))) continue;
    const text = fs.readFileSync(f, 'utf8');
    if (/commands\.registerCommand\(|registerTextEditorCommand\(/.test(text)) offenders.push(path.relative(ROOT, f));
  }
  assert.deepEqual(offenders, []);
});
