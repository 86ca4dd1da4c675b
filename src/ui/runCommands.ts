import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyEdits, modify } from 'jsonc-parser';
import { awsSubmitPorts } from '../aws/submitPorts';
import { explainAwsError } from '../aws/errors';
import { toCliInputJson, toPythonSdk } from '../core/definition/export';
import { FRAMEWORKS } from '../core/definition/frameworks';
import { INSTANCE_TYPES } from '../core/definition/limits';
import { parseJsonc } from '../core/definition/parse';
import { jobsForScript } from '../core/definition/resolve';
import { mergeDefaults } from '../core/definition/validate';
import { DEFINITION_FILE, DefinitionError, type DefinitionFile, type JobDefinition } from '../core/definition/types';
import { Cancelled, prepareJob, submitPrepared, type PreparedJob, type PrepareOptions } from '../core/submit';
import type { CommandFactory, Services } from './commands';
import { toPipelinePython } from '../core/schedule/export';
import { pipelineNameFor, stepNameFor } from '../core/schedule/pipeline';
import { definitionUri, folderFor, readDefinitionText } from './definitionFiles';
import { problemRange } from './definitions';
import { setting } from './settings';
import { ensureImageBuilt } from './buildTask';
import { showReadOnlyJson } from './readonlyDocs';

interface Target {
  folder: vscode.WorkspaceFolder;
  /** The script the command was run on (absent when run on the definition file or from the palette). */
  scriptPath?: string;
  key?: string;
}

/** Explorer menus pass (uri, uris[]); editor menus (uri); code lenses (uri, key); the palette nothing. */
function target(uriArg?: unknown, keyArg?: unknown): Target | undefined {
  const uri = uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
  const folder = folderFor(uri);
  if (!folder) {
    void vscode.window.showErrorMessage('SageMaker Processing: open a folder first; job definitions live in its .vscode/sagemaker-processing.json.');
    return undefined;
  }
  const key = typeof keyArg === 'string' ? keyArg : undefined;
  const isScript = uri?.scheme === 'file' && /\.py$/i.test(uri.fsPath);
  return { folder, scriptPath: isScript ? uri.fsPath : undefined, key };
}

async function pickJob(keys: string[], def?: DefinitionFile): Promise<string | undefined> {
  const items = keys.map((k) => {
    const m = def ? mergeDefaults(def.defaults, def.jobs[k] ?? {}) : {};
    return { label: k, description: [m.script, m.instanceType && `${m.instanceType} ×${m.instanceCount ?? 1}`].filter(Boolean).join(' · ') };
  });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Several job definitions match: pick one', title: 'SageMaker Processing' });
  return picked?.label;
}

async function openDefinitionAt(folder: vscode.WorkspaceFolder, err?: DefinitionError, key?: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(definitionUri(folder));
  let range: vscode.Range | undefined;
  const first = err?.problems.find((p) => p.line !== undefined || p.offset !== undefined);
  if (first) range = problemRange(doc, first);
  else if (key) {
    const at = doc.getText().indexOf(JSON.stringify(key));
    if (at >= 0) range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + key.length + 2));
  }
  await vscode.window.showTextDocument(doc, { selection: range, preview: false });
}

async function offerCreate(t: Target): Promise<void> {
  const pick = await vscode.window.showInformationMessage(`No job definition (${DEFINITION_FILE}) in ${t.folder.name} yet.`, 'Create Job Definition…');
  if (pick) await vscode.commands.executeCommand('sagemakerProcessing.createDefinition', t.scriptPath ? vscode.Uri.file(t.scriptPath) : undefined);
}

/** Loads, validates (before any API call), picks and resolves the job; shows problems. undefined = nothing to do. */
async function prepare(s: Services, t: Target, forRun = false): Promise<PreparedJob | undefined> {
  const text = readDefinitionText(t.folder);
  if (text === undefined) {
    await offerCreate(t);
    return undefined;
  }
  const parsedDef = parseJsonc(text).value as DefinitionFile | undefined;
  const opts: PrepareOptions = {
    definitionText: text,
    definitionFile: DEFINITION_FILE,
    workspaceFolder: t.folder.uri.fsPath,
    jobKey: t.key,
    scriptPath: t.scriptPath,
    pick: (keys) => pickJob(keys, parsedDef),
    defaultRoleArn: setting<string>('defaultRoleArn', '').trim() || undefined,
    defaultBucket: setting<string>('defaultBucket', '').trim() || undefined,
    // Build then run: a job with `build` is built and pushed in its terminal task when the context changed since the
    // last push, and the pushed digest is submitted (sagemakerProcessing.buildBeforeRun, default on).
    // Only a run builds: Show Request and the exports show `<repo>:<tag>` without building.
    resolveBuildImage: forRun && setting<boolean>('buildBeforeRun', true)
      ? (build, c) => ensureImageBuilt(s.ctx, t.folder, c.key ?? t.key ?? 'job', build)
      : s.resolveBuildImage,
    // Only the user's own (global) value counts: a cloned repository's settings cannot open the workspace up.
    allowOutsideWorkspace: vscode.workspace.getConfiguration('sagemakerProcessing').inspect<boolean>('allowPathsOutsideWorkspace')?.globalValue === true,
  };
  try {
    return await prepareJob(awsSubmitPorts(s.ctx.aws), opts);
  } catch (err) {
    await reportError(s, t, err);
    return undefined;
  }
}

async function reportError(s: Services, t: Target, err: unknown): Promise<void> {
  if (err instanceof Cancelled) return;
  if (err instanceof DefinitionError) {
    s.ctx.log.error(`Job definition problems:\n${err.message}`);
    const noJob = err.problems.length === 1 && /^no job runs /.test(err.problems[0].message);
    if (noJob) {
      const pick = await vscode.window.showWarningMessage(`No job definition runs ${path.basename(t.scriptPath ?? '')}.`, 'Create Job Definition…', 'Edit Definition');
      if (pick === 'Create Job Definition…') await vscode.commands.executeCommand('sagemakerProcessing.createDefinition', t.scriptPath ? vscode.Uri.file(t.scriptPath) : undefined);
      else if (pick) await openDefinitionAt(t.folder);
      return;
    }
    const lines = err.message.split('\n');
    const more = lines.length > 3 ? ` (+${lines.length - 3} more)` : '';
    const pick = await vscode.window.showErrorMessage(`The job definition has problems: ${lines.slice(0, 3).join('; ')}${more}`, 'Open Definition');
    if (pick) await openDefinitionAt(t.folder, err);
    return;
  }
  const msg = explainAwsError(err);
  s.ctx.log.error(msg);
  void vscode.window.showErrorMessage(`SageMaker Processing: ${msg}`);
}

async function runJob(s: Services, t: Target): Promise<string | undefined> {
  const prepared = await prepare(s, t, true);
  if (!prepared) return undefined;
  const name = prepared.job.jobName;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Submitting ${prepared.job.key}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        let last = 0;
        try {
          return await submitPrepared(awsSubmitPorts(s.ctx.aws), prepared, {
            signal: ac.signal,
            onProgress: (p) => {
              const pct = Math.round((p.fraction ?? last / 100) * 100);
              progress.report({ message: p.message, increment: Math.max(0, pct - last) });
              last = Math.max(last, pct);
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
    s.ctx.log.info(`Created processing job ${name} (${result.arn})${result.createdBucket ? `; created bucket ${prepared.job.bucket}` : ''}`
      + `${result.recovered ? "; the answer to CreateProcessingJob was lost, DescribeProcessingJob showed this attempt's job" : ''}`);
  } catch (err) {
    if (err instanceof Cancelled) {
      void vscode.window.showInformationMessage(`Submission of ${prepared.job.key} cancelled; no job was created.`);
      return undefined;
    }
    await reportError(s, t, err);
    return undefined;
  }
  s.tree.refresh();
  s.statusBar?.watch(name);
  const reveal = (s.tree as unknown as { revealJob?: (n: string) => unknown }).revealJob;
  try {
    if (reveal) await reveal.call(s.tree, name);
  } catch {
    /* the explorer may not show it yet */
  }
  try {
    await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: { name, status: 'InProgress', arn: '', creationTime: new Date() } });
  } catch {
    /* logs are optional */
  }
  void vscode.window.showInformationMessage(`Started processing job ${name}.`, 'Copy Name').then((pick) => {
    if (pick) void vscode.env.clipboard.writeText(name);
  });
  return name;
}

// ---- Create job definition… ----

async function inputBox(opts: vscode.InputBoxOptions): Promise<string | undefined> {
  return vscode.window.showInputBox({ ignoreFocusOut: true, ...opts });
}

async function createDefinition(uriArg?: unknown): Promise<void> {
  const t = target(uriArg);
  if (!t) return;
  const title = 'Create Job Definition';
  const ws = t.folder.uri.fsPath;
  let script = t.scriptPath;
  if (!script) {
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(t.folder, '**/*.py'), '**/{node_modules,.venv,venv,.git}/**', 200);
    const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: path.relative(ws, f.fsPath), uri: f })), { title, placeHolder: 'The Python script the job runs' });
    if (!pick) return;
    script = pick.uri.fsPath;
  }
  const rel = path.relative(ws, script).split(path.sep).join('/');
  const job: JobDefinition = { script: rel };

  const source = await vscode.window.showQuickPick([
    { label: 'Image URI', description: 'an image in ECR', id: 'image' },
    { label: 'Framework', description: 'an AWS-owned image: sklearn, xgboost, pytorch, tensorflow, spark', id: 'framework' },
    { label: 'Build from a Dockerfile', description: 'build and push to ECR', id: 'build' },
  ], { title, placeHolder: 'Where does the container image come from?' });
  if (!source) return;
  if (source.id === 'image') {
    const image = await inputBox({ title, prompt: 'Image URI', placeHolder: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-image:latest', validateInput: (v) => (/^\S+$/.test(v) ? undefined : 'An image URI, without spaces') });
    if (!image) return;
    job.image = image;
  } else if (source.id === 'framework') {
    const name = await vscode.window.showQuickPick(Object.keys(FRAMEWORKS), { title, placeHolder: 'Framework' });
    if (!name) return;
    const version = await vscode.window.showQuickPick(Object.keys(FRAMEWORKS[name].versions).reverse(), { title, placeHolder: `${name} version` });
    if (!version) return;
    job.framework = { name, version };
  } else {
    const dockerfile = fs.existsSync(path.join(path.dirname(script), 'Dockerfile')) ? path.relative(ws, path.join(path.dirname(script), 'Dockerfile')).split(path.sep).join('/') : 'Dockerfile';
    const repository = await inputBox({ title, prompt: 'ECR repository for the built image', value: path.basename(ws).toLowerCase().replace(/[^a-z0-9._-]+/g, '-'), validateInput: (v) => (/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(v) ? undefined : 'Lowercase letters, digits, ".", "_", "-" and "/"') });
    if (!repository) return;
    job.build = { dockerfile, context: path.posix.dirname(dockerfile) || '.', repository, tag: 'latest' };
  }

  const roleSetting = setting<string>('defaultRoleArn', '').trim();
  const role = await inputBox({
    title,
    prompt: roleSetting ? 'IAM role ARN (empty: the defaultRoleArn setting)' : 'IAM role ARN the job runs as',
    placeHolder: 'arn:aws:iam::123456789012:role/SageMakerProcessingRole',
    validateInput: (v) => (!v && roleSetting) || /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(v) ? undefined : 'An IAM role ARN like arn:aws:iam::123456789012:role/MyRole',
  });
  if (role === undefined) return;
  if (role) job.role = role;

  const instanceType = await vscode.window.showQuickPick(['ml.m5.xlarge', ...INSTANCE_TYPES.filter((x) => x !== 'ml.m5.xlarge')], { title, placeHolder: 'Instance type' });
  if (!instanceType) return;
  job.instanceType = instanceType;
  job.instanceCount = 1;

  job.inputs = [];
  for (let i = 1; i <= 9; i++) {
    const src = await inputBox({ title, prompt: `Input ${i}: an s3:// URI or a local file/folder (relative to the folder). Empty: no more inputs.`, placeHolder: 'data/ or s3://bucket/prefix' });
    if (src === undefined) return;
    if (!src) break;
    const name = path.basename(src.replace(/\/+$/, '')).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || `input-${i}`;
    const dest = await inputBox({ title, prompt: `Input ${i}: folder in the container`, value: `/opt/ml/processing/input/${name}`, validateInput: (v) => (/^\/opt\/ml\/processing\/.+/.test(v) ? undefined : 'A folder under /opt/ml/processing/') });
    if (!dest) return;
    job.inputs.push({ name, source: src, destination: dest });
  }
  job.outputs = [];
  for (let i = 1; i <= 10; i++) {
    const src = await inputBox({ title, prompt: `Output ${i}: folder in the container to upload when the job ends. Empty: no more outputs.`, placeHolder: '/opt/ml/processing/output', validateInput: (v) => (!v || /^\/opt\/ml\/processing\/.+/.test(v) ? undefined : 'A folder under /opt/ml/processing/') });
    if (src === undefined) return;
    if (!src) break;
    job.outputs.push({ name: path.posix.basename(src.replace(/\/+$/, '')).replace(/[^A-Za-z0-9_-]+/g, '-') || `output-${i}`, source: src });
  }
  if (!job.inputs.length) delete job.inputs;
  if (!job.outputs.length) delete job.outputs;

  const uri = definitionUri(t.folder);
  const existing = readDefinitionText(t.folder);
  let base = path.basename(script).replace(/\.py$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'job';
  const def = existing ? (parseJsonc(existing).value as DefinitionFile | undefined) : undefined;
  let key = base;
  for (let n = 2; def?.jobs?.[key]; n++) key = `${base}-${n}`;
  base = key;
  let text: string;
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  if (existing && def && typeof def === 'object') {
    text = applyEdits(existing, modify(existing, ['jobs', key], job, fmt));
  } else {
    text = JSON.stringify({ version: '1', jobs: { [key]: job } }, null, 2) + '\n';
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
  await openDefinitionAt(t.folder, undefined, base);
  void vscode.window.showInformationMessage(`Added job "${base}" to ${DEFINITION_FILE}. Run it with "Run as Processing Job" on ${path.basename(script)}.`);
}

async function withPrepared(s: Services, uri: unknown, key: unknown, f: (p: PreparedJob) => Promise<void>): Promise<void> {
  const t = target(uri, key);
  if (!t) return;
  const p = await prepare(s, t);
  if (p) await f(p);
}

/** Run as Processing Job, Show request, Create/Edit definition, Copy as Python SDK code / AWS CLI input JSON. */
export const runCommands: Record<string, CommandFactory> = {
  runJob: (s) => async (uri?: unknown, key?: unknown) => {
    if (!s.ctx.requireTrust('Running a processing job')) return undefined;
    const t = target(uri, key);
    return t ? runJob(s, t) : undefined;
  },
  // Show Request and Copy as… resolve the workspace's definition (its variables, its build block, an STS call): the
  // same trust as running it. A read-only JSON document named after the job (not an untitled one asking to be saved).
  showRequest: (s) => async (uri?: unknown, key?: unknown) => {
    if (!s.ctx.requireTrust('Showing the request of a job definition')) return;
    await withPrepared(s, uri, key, async (p) => {
      await showReadOnlyJson((d) => s.ctx.push(d), 'CreateProcessingJob', `${p.job.key}.json`, toCliInputJson(p.request));
    });
  },
  createDefinition: (s) => async (uri?: unknown) => {
    if (!s.ctx.requireTrust('Creating a job definition')) return;
    await createDefinition(uri);
  },
  editDefinition: () => async (uri?: unknown, key?: unknown) => {
    const t = target(uri, key);
    if (!t) return;
    const text = readDefinitionText(t.folder);
    if (text === undefined) return offerCreate(t);
    let k = t.key;
    if (!k && t.scriptPath) {
      const def = parseJsonc(text).value as DefinitionFile | undefined;
      if (def?.jobs && typeof def.jobs === 'object') k = jobsForScript(def, t.scriptPath, t.folder.uri.fsPath)[0];
    }
    await openDefinitionAt(t.folder, undefined, k);
  },
  copyAsPython: (s) => async (uri?: unknown, key?: unknown) => {
    if (!s.ctx.requireTrust('Copying a job definition as code')) return;
    await withPrepared(s, uri, key, async (p) => {
      const raw = mergeDefaults(p.definition.defaults, p.definition.jobs[p.job.key]);
      // A scheduled job: the same processor as a pipeline step, with its schedule (what "Schedule Job…" creates).
      const sched = p.definition.jobs[p.job.key]?.schedule;
      const code = sched && !p.job.sourceDir ? toPipelinePython(p.job, { pipelineName: pipelineNameFor(p.job.key, sched), stepName: stepNameFor(p.job.key), schedule: sched }) : toPythonSdk(p.job, raw.baseJobName, { workspaceFolder: folderFor(vscode.Uri.file(p.job.scriptPath))?.uri.fsPath, jobName: raw.jobName });
      await vscode.env.clipboard.writeText(code);
      void vscode.window.showInformationMessage(`Copied "${p.job.key}" as SageMaker Python SDK code.`);
    });
  },
  copyAsCliJson: (s) => async (uri?: unknown, key?: unknown) => {
    if (!s.ctx.requireTrust('Copying a job definition as AWS CLI input')) return;
    await withPrepared(s, uri, key, async (p) => {
      await vscode.env.clipboard.writeText(toCliInputJson(p.request));
      void vscode.window.showInformationMessage(`Copied "${p.job.key}" as input for aws sagemaker create-processing-job --cli-input-json.`);
    });
  },
};
