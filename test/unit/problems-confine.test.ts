// Issue 22 item 8: the Problems panel confines local paths as Run does (one check, confine.ts checkLocalPath), and an
// unset variable in a path gives one problem (the variable's), not a second "not found" for the literal `${env:…}`.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDefinitionText } from '../../src/core/definition/resolve';
import { checkLocalPath, confinePaths, realWorkspace } from '../../src/core/definition/confine';
import { definitionWorkspace } from '../support/workspace';

const ROLE = 'arn:aws:iam::123456789012:role/R';
let ws: string;
let outside: string;
before(() => {
  ws = definitionWorkspace({ sourceDir: true });
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'x\n');
  fs.writeFileSync(path.join(outside, 'other.py'), 'print(1)\n');
});
after(() => {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const text = (job: Record<string, unknown>) => JSON.stringify({ version: '1', jobs: { j: { script: 'preprocessing.py', image: 'img:1', role: ROLE, ...job } } }, null, 2);
/** What the editor's Problems panel gets (src/ui/definitions.ts passes the same options). */
const problems = (t: string, env: Record<string, string> = {}, allowOutside = false) => {
  const real = realWorkspace(ws);
  return checkDefinitionText(t, {
    workspaceFolder: ws,
    fileExists: (p) => fs.existsSync(p),
    isDirectory: (p) => fs.statSync(p).isDirectory(),
    confine: (p, expect, within) => checkLocalPath({ path: p, expect, within }, real, { allowOutside }),
    variables: { env },
  }).problems.filter((p) => p.severity === 'error');
};

describe('Problems: confinement as Run checks it', () => {
  it('an existing input outside the workspace is a problem on its line, with the message Run gives', async () => {
    const secret = path.join(outside, 'secret.csv');
    const t = text({ inputs: [{ name: 'd', source: secret, destination: '/opt/ml/processing/input' }] });
    const got = problems(t);
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.equal(got[0].path, 'jobs.j.inputs[0].source');
    assert.ok(got[0].line !== undefined && t.split('\n')[got[0].line].includes('secret.csv'), `line ${got[0].line}`);
    assert.match(got[0].message, /outside the workspace folder/);
    // Run's check (confinePaths) says the same thing about the same path.
    const run = await confinePaths([{ segments: ['jobs', 'j', 'inputs', 0, 'source'], path: secret, expect: 'any' }], { workspaceFolder: ws });
    assert.equal(run[0]?.message, got[0].message);
    // The user's opt-in clears it, as it does for Run.
    assert.deepEqual(problems(t, {}, true), []);
  });

  it('a script outside the workspace, and inside paths, through ".."', () => {
    const rel = path.relative(ws, path.join(outside, 'other.py'));
    assert.ok(rel.startsWith('..'));
    const got = problems(text({ script: rel }));
    assert.deepEqual(got.map((p) => p.path), ['jobs.j.script']);
    assert.match(got[0].message, /other\.py is outside the workspace folder/);
    assert.deepEqual(problems(text({ inputs: [{ source: 'data/census.csv', destination: '/opt/ml/processing/input' }] })), [], 'inside: no problem');
    assert.deepEqual(problems(text({ sourceDir: 'src', script: 'train.py' })), [], 'sourceDir inside: no problem');
  });

  it('a symbolic link inside the workspace that leads outside is refused, naming where it really goes', () => {
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(ws, 'data', 'link.csv'));
    try {
      const got = problems(text({ inputs: [{ source: 'data/link.csv', destination: '/opt/ml/processing/input' }] }));
      assert.equal(got.length, 1);
      assert.match(got[0].message, /really .*secret\.csv.*outside the workspace folder/);
    } finally {
      fs.rmSync(path.join(ws, 'data', 'link.csv'));
    }
  });

  it('an unset variable in a path: one problem (the variable), no "local file not found: …/${env:…}/x.csv"', () => {
    const t = text({ script: '${env:SMP_NOT_SET_22}/run.py', inputs: [{ source: '${env:SMP_NOT_SET_22}/x.csv', destination: '/opt/ml/processing/input' }] });
    const got = problems(t, {});
    assert.deepEqual(got.map((p) => p.path), ['jobs.j.script', 'jobs.j.inputs[0].source'], JSON.stringify(got));
    for (const p of got) {
      assert.match(p.message, /environment variable SMP_NOT_SET_22 is not set/);
      assert.doesNotMatch(p.message, /not found/);
    }
    // Set, the path is checked again (and here it does not exist).
    const set = problems(t, { SMP_NOT_SET_22: path.join(ws, 'nowhere') });
    assert.deepEqual(set.map((p) => p.message.replace(ws, '<ws>')), ['script not found: <ws>/nowhere/run.py', 'local file not found: <ws>/nowhere/x.csv']);
  });
});
