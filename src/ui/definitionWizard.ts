// "Create Job Definition…": a short quick-pick flow that adds a job for a script to .vscode/sagemaker-processing.json
// (image source, role, instance type, inputs, outputs) and opens it there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyEdits, modify } from 'jsonc-parser';
import { FRAMEWORKS } from '../core/definition/frameworks';
import { INSTANCE_TYPES } from '../core/definition/limits';
import { parseJsonc } from '../core/definition/parse';
import { DEFINITION_FILE, type DefinitionFile, type JobDefinition } from '../core/definition/types';
import { definitionUri, readDefinitionText } from './definitionFiles';
import { t } from './l10n';
import { openDefinitionAt, runTarget } from './runPipeline';
import { sdkSetting, setting } from './settings';
import { sdkForNewDefinition } from '../core/definition/sdkVersion';

async function inputBox(opts: vscode.InputBoxOptions): Promise<string | undefined> {
  return vscode.window.showInputBox({ ignoreFocusOut: true, ...opts });
}

const UNDER_PROCESSING = /^\/opt\/ml\/processing\/.+/;
/** Example values shown in empty input boxes (values, not text: the same in every language). */
const EXAMPLE = {
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-image:latest',
  role: 'arn:aws:iam::123456789012:role/SageMakerProcessingRole',
  output: '/opt/ml/processing/output',
};

/** Asks for the job of a script (the open one, or one picked) and writes it into the folder's definition file. */
export async function createDefinition(uriArg?: unknown): Promise<void> {
  const target = runTarget(uriArg);
  if (!target) return;
  const title = t('Create Job Definition');
  const ws = target.folder.uri.fsPath;
  let script = target.scriptPath;
  if (!script) {
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(target.folder, '**/*.py'), '**/{node_modules,.venv,venv,.git}/**', 200);
    const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: path.relative(ws, f.fsPath), uri: f })), { title, placeHolder: t('The Python script the job runs') });
    if (!pick) return;
    script = pick.uri.fsPath;
  }
  const rel = path.relative(ws, script).split(path.sep).join('/');
  const job: JobDefinition = { script: rel };

  const source = await vscode.window.showQuickPick([
    { label: t('Image URI'), description: t('an image in ECR'), id: 'image' },
    { label: t('Framework'), description: t('an AWS-owned image: sklearn, xgboost, pytorch, tensorflow, spark'), id: 'framework' },
    { label: t('Build from a Dockerfile'), description: t('build and push to ECR'), id: 'build' },
  ], { title, placeHolder: t('Where does the container image come from?') });
  if (!source) return;
  if (source.id === 'image') {
    const image = await inputBox({ title, prompt: t('Image URI'), placeHolder: EXAMPLE.image, validateInput: (v) => (/^\S+$/.test(v) ? undefined : t('An image URI, without spaces')) });
    if (!image) return;
    job.image = image;
  } else if (source.id === 'framework') {
    const name = await vscode.window.showQuickPick(Object.keys(FRAMEWORKS), { title, placeHolder: t('Framework') });
    if (!name) return;
    const version = await vscode.window.showQuickPick(Object.keys(FRAMEWORKS[name].versions).reverse(), { title, placeHolder: t('{0} version', name) });
    if (!version) return;
    job.framework = { name, version };
  } else {
    const dockerfile = fs.existsSync(path.join(path.dirname(script), 'Dockerfile')) ? path.relative(ws, path.join(path.dirname(script), 'Dockerfile')).split(path.sep).join('/') : 'Dockerfile';
    const repository = await inputBox({ title, prompt: t('ECR repository for the built image'), value: path.basename(ws).toLowerCase().replace(/[^a-z0-9._-]+/g, '-'), validateInput: (v) => (/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(v) ? undefined : t('Lowercase letters, digits, ".", "_", "-" and "/"')) });
    if (!repository) return;
    job.build = { dockerfile, context: path.posix.dirname(dockerfile) || '.', repository, tag: 'latest' };
  }

  const roleSetting = setting<string>('defaultRoleArn', '').trim();
  const role = await inputBox({
    title,
    prompt: roleSetting ? t('IAM role ARN (empty: the defaultRoleArn setting)') : t('IAM role ARN the job runs as'),
    placeHolder: EXAMPLE.role,
    validateInput: (v) => (!v && roleSetting) || /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(v) ? undefined : t('An IAM role ARN like arn:aws:iam::123456789012:role/MyRole'),
  });
  if (role === undefined) return;
  if (role) job.role = role;

  const instanceType = await vscode.window.showQuickPick(['ml.m5.xlarge', ...INSTANCE_TYPES.filter((x) => x !== 'ml.m5.xlarge')], { title, placeHolder: t('Instance type') });
  if (!instanceType) return;
  job.instanceType = instanceType;
  job.instanceCount = 1;

  job.inputs = [];
  for (let i = 1; i <= 9; i++) {
    const src = await inputBox({ title, prompt: t('Input {0}: an s3:// URI or a local file/folder (relative to the folder). Empty: no more inputs.', i), placeHolder: t('data/ or s3://bucket/prefix') });
    if (src === undefined) return;
    if (!src) break;
    const name = path.basename(src.replace(/\/+$/, '')).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || `input-${i}`;
    const dest = await inputBox({ title, prompt: t('Input {0}: folder in the container', i), value: `/opt/ml/processing/input/${name}`, validateInput: (v) => (UNDER_PROCESSING.test(v) ? undefined : t('A folder under /opt/ml/processing/')) });
    if (!dest) return;
    job.inputs.push({ name, source: src, destination: dest });
  }
  job.outputs = [];
  for (let i = 1; i <= 10; i++) {
    const src = await inputBox({ title, prompt: t('Output {0}: folder in the container to upload when the job ends. Empty: no more outputs.', i), placeHolder: EXAMPLE.output, validateInput: (v) => (!v || UNDER_PROCESSING.test(v) ? undefined : t('A folder under /opt/ml/processing/')) });
    if (src === undefined) return;
    if (!src) break;
    job.outputs.push({ name: path.posix.basename(src.replace(/\/+$/, '')).replace(/[^A-Za-z0-9_-]+/g, '-') || `output-${i}`, source: src });
  }
  if (!job.inputs.length) delete job.inputs;
  if (!job.outputs.length) delete job.outputs;

  const uri = definitionUri(target.folder);
  const existing = readDefinitionText(target.folder);
  const base = path.basename(script).replace(/\.py$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'job';
  const def = existing ? (parseJsonc(existing).value as DefinitionFile | undefined) : undefined;
  let key = base;
  for (let n = 2; def?.jobs?.[key]; n++) key = `${base}-${n}`;
  let text: string;
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  if (existing && def && typeof def === 'object') {
    text = applyEdits(existing, modify(existing, ['jobs', key], job, fmt));
  } else {
    // A new definition follows SDK v3, unless the user chose otherwise or the workspace pins sagemaker<3.
    const read = (rel: string) => {
      try {
        return fs.readFileSync(path.join(target.folder.uri.fsPath, rel), 'utf8');
      } catch {
        return undefined;
      }
    };
    text = JSON.stringify({ version: '1', defaults: { sdk: sdkSetting() ?? sdkForNewDefinition(read) }, jobs: { [key]: job } }, null, 2) + '\n';
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
    await open.save();
  } else {
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.writeFileSync(uri.fsPath, text);
  }
  await openDefinitionAt(target.folder, undefined, key);
  void vscode.window.showInformationMessage(t('Added job "{0}" to {1}. Run it with "Run as Processing Job" on {2}.', key, DEFINITION_FILE, path.basename(script)));
}
