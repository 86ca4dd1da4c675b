// core/jobChoice: the one decision of which job of a definition runs, for every run path (cloud and local, UI and CLI).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { chooseJob, chooseJobInText, cliRunTarget, jobCandidates, NoJobError } from '../../src/core/jobChoice';
import { DefinitionError, type DefinitionFile } from '../../src/core/definition/types';

const WS = path.resolve('/ws');
const def = {
  version: '1',
  defaults: { image: 'img', role: 'arn:aws:iam::123456789012:role/R', instanceType: 'ml.m5.xlarge' },
  jobs: {
    prep: { script: 'prep.py' },
    'prep-big': { script: 'prep.py', instanceCount: 2 },
    train: { script: 'src/train.py' },
    any: { script: '${file}' },
  },
} as unknown as DefinitionFile;
const noFile = { ...def, jobs: { prep: def.jobs.prep, 'prep-big': def.jobs['prep-big'], train: def.jobs.train } } as DefinitionFile;

test('a named job runs when it exists; an unknown name is an error naming the defined ones', () => {
  assert.deepEqual(jobCandidates(def, { workspaceFolder: WS, jobKey: 'train' }), ['train']);
  assert.throws(() => jobCandidates(def, { workspaceFolder: WS, jobKey: 'nope' }), (e: unknown) => e instanceof DefinitionError && !(e instanceof NoJobError) && /no job "nope"; defined: prep, prep-big, train, any/.test(e.message));
  // An own property only: a name like "constructor" is not a job.
  assert.throws(() => jobCandidates(def, { workspaceFolder: WS, jobKey: 'constructor' }), DefinitionError);
});

test('a script picks the jobs whose script it is (and ${file} jobs); none is a NoJobError with the hint', () => {
  assert.deepEqual(jobCandidates(def, { workspaceFolder: WS, scriptPath: path.join(WS, 'src', 'train.py') }), ['train', 'any']);
  assert.deepEqual(jobCandidates(noFile, { workspaceFolder: WS, scriptPath: path.join(WS, 'src', 'train.py') }), ['train']);
  const other = path.join(WS, 'other.py');
  assert.throws(() => jobCandidates(noFile, { workspaceFolder: WS, scriptPath: other, noJobHint: '; add a job for it' }), (e: unknown) => e instanceof NoJobError && e.message.includes(`no job runs ${other}; add a job for it`));
  assert.throws(() => jobCandidates({ version: '1', jobs: {} } as unknown as DefinitionFile, { workspaceFolder: WS }), (e: unknown) => e instanceof NoJobError && /defines no jobs/.test(e.message));
});

test('several candidates: the pick decides (cancel = undefined); without a pick it is an error naming them', async () => {
  const script = path.join(WS, 'prep.py');
  const asked: string[][] = [];
  assert.equal(await chooseJob(noFile, { workspaceFolder: WS, scriptPath: script, pick: async (keys) => (asked.push(keys), 'prep-big') }), 'prep-big');
  assert.deepEqual(asked, [['prep', 'prep-big']]);
  assert.equal(await chooseJob(noFile, { workspaceFolder: WS, scriptPath: script, pick: async () => undefined }), undefined);
  await assert.rejects(chooseJob(noFile, { workspaceFolder: WS, scriptPath: script }), /several jobs match \(prep, prep-big\); name one/);
  // One candidate: no question asked.
  assert.equal(await chooseJob(noFile, { workspaceFolder: WS, scriptPath: path.join(WS, 'src', 'train.py'), pick: async () => assert.fail('not asked') }), 'train');
});

test('the same choice on a definition text, and the CLI target: a .py argument is a script, anything else a job', async () => {
  assert.equal(await chooseJobInText(JSON.stringify(noFile), { workspaceFolder: WS, jobKey: 'train' }), 'train');
  await assert.rejects(chooseJobInText('{ "version": "1", "jobs": ', { workspaceFolder: WS, jobKey: 'train' }), DefinitionError);
  assert.deepEqual(cliRunTarget('census'), { jobKey: 'census' });
  assert.deepEqual(cliRunTarget('src/prep.PY'), { scriptPath: path.resolve('src/prep.PY') });
});
