// Notebooks (issue 27 item 4): the %%writefile cell parsing behind the cells' "Run as Processing Job" / "Run Locally",
// and notebook jobs (`notebook` + `parameters`): validation, and the request — the one a SageMaker Python SDK user
// writes for the same thing (ScriptProcessor, command papermill, code the notebook), spelled out here by hand.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { notebookSource, writefileOf } from '../../src/core/sdkImport/notebook';
import { checkDefinitionText, jobsForScript, loadDefinition, resolveJob } from '../../src/core/definition/resolve';
import { buildRequest } from '../../src/core/definition/request';
import { toContainerSpec } from '../../src/core/definition/containerSpec';
import { nodeFileSystem } from '../../src/core/definition/files';
import { papermillParameterArgs } from '../../src/core/definition/notebook';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const NOW = new Date(Date.UTC(2026, 11, 8, 4, 0, 0, 7));

describe('%%writefile cells', () => {
  it('reads the magic line as IPython does: path, -a/--append, quotes; the content is the rest of the cell, byte for byte', () => {
    assert.deepEqual(writefileOf('%%writefile preprocessing.py\nimport sys\n\nprint(sys.argv)\n'), { path: 'preprocessing.py', append: false, content: 'import sys\n\nprint(sys.argv)\n' });
    assert.deepEqual(writefileOf('%%writefile --append src/step.py\nx = 1'), { path: 'src/step.py', append: true, content: 'x = 1' });
    assert.deepEqual(writefileOf("%%writefile 'my script.py'\nx"), { path: 'my script.py', append: false, content: 'x' });
    // A CRLF cell: the magic line's \r is not part of the path; the content keeps its line ends.
    assert.deepEqual(writefileOf('%%writefile a.py\r\nx = 1\r\n'), { path: 'a.py', append: false, content: 'x = 1\r\n' });
    // A magic line only: an empty file.
    assert.deepEqual(writefileOf('%%writefile empty.py'), { path: 'empty.py', append: false, content: '' });
    // A %%writefile further down is content, not a magic.
    assert.deepEqual(writefileOf('%%writefile outer.py\n%%writefile inner.py\n'), { path: 'outer.py', append: false, content: '%%writefile inner.py\n' });
  });

  it('is not a %%writefile cell: no path, another magic, the magic not on the first line, a line magic', () => {
    for (const text of ['%%writefile', '%%writefile -a', '%%writefilex a.py\nx', '%%bash\necho hi', 'x = 1\n%%writefile a.py', '%writefile a.py', '']) {
      assert.equal(writefileOf(text), undefined, JSON.stringify(text));
    }
  });

  it('the notebook module records only the %%writefile cells up to the chosen cell, and blanks them for the parser', () => {
    const cells = [
      { code: true, text: '%%writefile one.py\nprint(1)\n' },
      { code: false, text: '%%writefile not-code.py\nmarkdown' },
      { code: true, text: "p = 'x'" },
      { code: true, text: '%%writefile later.py\nprint(2)\n' },
    ];
    const nb = notebookSource(cells, 2);
    assert.deepEqual(nb.writefiles, [{ cell: 0, path: 'one.py', append: false, content: 'print(1)\n' }]);
    // The %%writefile cell's lines are blank (its Python is not the notebook's), the chosen cell is where it is.
    assert.equal(nb.source, "\n\n\np = 'x'\n");
    assert.deepEqual(nb.range, { startLine: 4, endLine: 4 });
    assert.deepEqual(nb.cellOfLine, [0, 0, 0, 2]);
    assert.deepEqual(notebookSource(cells, 3).writefiles.map((w) => w.path), ['one.py', 'later.py']);
  });
});

describe('notebook jobs (notebook + parameters)', () => {
  let ws: string;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-nb-'));
    fs.writeFileSync(path.join(ws, 'analysis.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    fs.writeFileSync(path.join(ws, 'process.py'), 'print(1)\n');
    fs.mkdirSync(path.join(ws, 'src'));
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));
  const def = (job: Record<string, unknown>, defaults: Record<string, unknown> = {}) => JSON.stringify({ version: '1', defaults: { role: ROLE, ...defaults }, jobs: { nb: job } });
  const problems = (job: Record<string, unknown>, defaults?: Record<string, unknown>) =>
    checkDefinitionText(def(job, defaults), { workspaceFolder: ws, fileExists: (p) => fs.existsSync(p) }).problems.map((p) => `${p.path}: ${p.message}`);

  it('papermill options for each kind of value (strings raw, Python literals typed, lists and objects as YAML)', () => {
    assert.deepEqual(papermillParameterArgs({ region: 'eu-west-1', ratio: 0.2, epochs: 3, full: true, quick: false, seed: null, cols: ['a', 'b'], opts: { k: 1 }, n: '3' }), [
      '-r', 'region', 'eu-west-1', '-p', 'ratio', '0.2', '-p', 'epochs', '3', '-p', 'full', 'True', '-p', 'quick', 'False', '-p', 'seed', 'None',
      '-y', '{"cols":["a","b"]}', '-y', '{"opts":{"k":1}}', '-r', 'n', '3',
    ]);
    assert.deepEqual(papermillParameterArgs(undefined), []);
  });

  it('the request is the SDK\'s ScriptProcessor(command=["papermill"]).run(code=notebook, outputs=[notebook], arguments=[…])', () => {
    const d = loadDefinition(def({ notebook: 'analysis.ipynb', image: 'img:1', parameters: { ratio: 0.2, region: 'eu-west-1' }, outputs: [{ name: 'train', source: '/opt/ml/processing/train' }] }), { workspaceFolder: ws });
    const job = resolveJob(d, 'nb', { workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: NOW });
    const r = buildRequest(job, nodeFileSystem);
    const name = 'img-2026-12-08-04-00-00-007';
    assert.equal(r.ProcessingJobName, name);
    assert.deepEqual(r.AppSpecification, {
      ImageUri: 'img:1',
      ContainerEntrypoint: ['papermill', '/opt/ml/processing/input/code/analysis.ipynb'],
      ContainerArguments: ['/opt/ml/processing/notebook-output/analysis.ipynb', '--kernel', 'python3', '--log-output', '-p', 'ratio', '0.2', '-r', 'region', 'eu-west-1'],
    });
    assert.deepEqual(r.ProcessingInputs?.map((i) => [i.InputName, i.S3Input?.S3Uri, i.S3Input?.LocalPath]), [
      ['code', `s3://sagemaker-us-east-1-123456789012/${name}/input/code/analysis.ipynb`, '/opt/ml/processing/input/code'],
    ]);
    assert.deepEqual(r.ProcessingOutputConfig?.Outputs.map((o) => [o.OutputName, o.S3Output?.LocalPath, o.S3Output?.S3Uri]), [
      ['train', '/opt/ml/processing/train', `s3://sagemaker-us-east-1-123456789012/${name}/output/train`],
      ['notebook', '/opt/ml/processing/notebook-output', `s3://sagemaker-us-east-1-123456789012/${name}/output/notebook`],
    ]);
    // Locally the same container runs: papermill on the mounted notebook, the executed copy in the output folder.
    const spec = toContainerSpec(job);
    assert.deepEqual(spec.entrypoint, ['papermill', '/opt/ml/processing/input/code/analysis.ipynb']);
    assert.equal(spec.outputs.at(-1)?.source, '/opt/ml/processing/notebook-output');
    // The job's own command and arguments: the command replaces papermill, the arguments come after papermill's.
    const own = resolveJob(loadDefinition(def({ notebook: 'analysis.ipynb', image: 'img:1', command: ['python3', '-m', 'papermill'], arguments: ['--cwd', '/tmp'] }), { workspaceFolder: ws }), 'nb', { workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: NOW });
    assert.deepEqual(buildRequest(own, nodeFileSystem).AppSpecification.ContainerEntrypoint, ['python3', '-m', 'papermill', '/opt/ml/processing/input/code/analysis.ipynb']);
    assert.deepEqual(buildRequest(own, nodeFileSystem).AppSpecification.ContainerArguments, ['/opt/ml/processing/notebook-output/analysis.ipynb', '--kernel', 'python3', '--log-output', '--cwd', '/tmp']);
    // The job is found from its notebook (the editor's commands on a .ipynb).
    assert.deepEqual(jobsForScript(d, path.join(ws, 'analysis.ipynb'), ws), ['nb']);
  });

  it('a notebook job does not inherit a default script (nor a script job a default notebook)', () => {
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1' }, { script: 'process.py' }), []);
    const d = loadDefinition(def({ script: 'process.py', image: 'img:1' }, { notebook: 'analysis.ipynb', parameters: { a: 1 } }), { workspaceFolder: ws });
    const job = resolveJob(d, 'nb', { workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: NOW });
    assert.deepEqual(buildRequest(job, nodeFileSystem).AppSpecification.ContainerEntrypoint, ['python3', '/opt/ml/processing/input/code/process.py']);
  });

  it('validation: each mistake named at its field', () => {
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', script: 'process.py', image: 'img:1' }), ['jobs.nb.notebook: set either "script" or "notebook", not both']);
    assert.deepEqual(problems({ script: 'process.py', image: 'img:1', parameters: { a: 1 } }), ['jobs.nb.parameters: "parameters" go with "notebook" (the values papermill injects into a notebook)']);
    assert.deepEqual(problems({ notebook: 'process.py', image: 'img:1' }), ['jobs.nb.notebook: "process.py" is not a notebook (a .ipynb file)']);
    assert.deepEqual(problems({ notebook: 'missing.ipynb', image: 'img:1' }), [`jobs.nb.notebook: notebook not found: ${path.join(ws, 'missing.ipynb')}`]);
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', parameters: { '1bad': 1 } }), ['jobs.nb.parameters.1bad: "1bad" is not a notebook parameter name (a Python identifier: letters, digits and "_", not starting with a digit)']);
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', sourceDir: 'src' }), ['jobs.nb.sourceDir: a notebook job runs the notebook itself: "sourceDir" is for scripts (FrameworkProcessor)']);
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', framework: { name: 'spark', version: '3.3' } }), ['jobs.nb.notebook: a notebook job cannot run on Spark (PySparkProcessor runs a script)']);
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', outputs: [{ name: 'notebook', source: '/opt/ml/processing/x' }] }), ['jobs.nb.outputs[0].name: "notebook" is the output of the executed notebook']);
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', parameters: { long: 'x'.repeat(300) } }), ['jobs.nb.parameters.long: is 300 characters long as an argument; at most 256']);
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, i]));
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', parameters: many }), ['jobs.nb.parameters: papermill\'s arguments would be 124; at most 100']);
    const ten = Array.from({ length: 10 }, (_, i) => ({ name: `o${i}`, source: `/opt/ml/processing/o${i}` }));
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', outputs: ten }), ['jobs.nb.outputs: has 10 outputs; with the executed notebook\'s the job would have 11, at most 10']);
    assert.deepEqual(problems({ notebook: 'analysis.ipynb', image: 'img:1', parameters: { a: 'x', b: [1, 2], c: null } }), []);
  });
});
