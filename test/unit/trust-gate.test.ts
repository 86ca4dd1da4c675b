// The untrusted-workspace gate in the manifest: every command that resolves, runs, builds, uploads or changes
// something from the workspace is disabled until the workspace is trusted; browsing commands stay enabled. (The
// handlers check `requireTrust` too: a command run with executeCommand ignores `enablement`.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';

interface Command { command: string; enablement?: string }
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Command[] } };
const byId = new Map(manifest.contributes.commands.map((c) => [c.command.replace(/^sagemakerProcessing\./, ''), c]));

const GATED = ['runJob', 'runLocally', 'showRequest', 'createDefinition', 'copyAsPython', 'copyAsCliJson', 'buildImage', 'stopJob', 'rerunJob', 'downloadOutputs'];
const BROWSING = ['refresh', 'showLogs', 'openJson', 'copyName', 'copyArn', 'switchProfile', 'switchRegion'];

test('commands that resolve or act on the workspace need a trusted workspace; browsing does not', () => {
  for (const id of GATED) assert.equal(byId.get(id)?.enablement, 'isWorkspaceTrusted', id);
  for (const id of BROWSING) assert.ok(byId.has(id) && !/isWorkspaceTrusted/.test(byId.get(id)?.enablement ?? ''), id);
});

test('the handlers of Show Request and Copy as… check trust themselves (executeCommand ignores enablement)', () => {
  const src = fs.readFileSync(path.join(ROOT, 'src', 'ui', 'runCommands.ts'), 'utf8');
  for (const id of ['showRequest', 'copyAsPython', 'copyAsCliJson', 'runJob', 'createDefinition']) {
    const at = src.indexOf(`  ${id}: `);
    assert.ok(at >= 0, id);
    const body = src.slice(at, src.indexOf('\n  },', at));
    assert.match(body, /requireTrust\(/, `${id} does not call requireTrust`);
  }
});
