// The run pipeline of the extension: every command that runs a definition's job (in the cloud, locally, under the
// debugger, or only to show its request) and Re-run go through here. One definition lookup (workspace folder +
// definition file), one job choice (core/jobChoice, the same as the CLI's), one prepare step (core/submit's
// prepareJob), and job creation only through core/submit (submitPrepared, rerunJob) — so package.json → command table
// → this module → core/submit is three hops.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { awsSubmitPorts } from '../aws/submitPorts';
import { explainAwsError } from '../aws/errors';
import { parseJsonc } from '../core/definition/parse';
import { mergeDefaults } from '../core/definition/validate';
import { DEFINITION_FILE, DefinitionError, type DefinitionFile } from '../core/definition/types';
import { chooseJobInText, NoJobError } from '../core/jobChoice';
import { confineLocalJob, resolveLocalJob, type LocalResolved } from '../core/local/definitionLite';
import { Cancelled, prepareJob, rerunJob, submitPrepared, type PreparedJob, type PrepareOptions, type SubmitProgress } from '../core/submit';
import type { Ctx } from './context';
import { definitionUri, folderFor, readDefinitionText } from './definitionFiles';
import { problemRange } from './definitions';
import { allowOutsideWorkspace, sdkSetting, setting } from './settings';
import { imageForRun } from './buildTask';
import { t } from './l10n';

/** What a run command was run on: a workspace folder, maybe a script, maybe a job the caller named. */
export interface RunTarget {
  folder: vscode.WorkspaceFolder;
  /** The script the command was run on (absent when run on the definition file or from the palette). */
  scriptPath?: string;
  key?: string;
}

/** Explorer menus pass (uri, uris[]); editor menus (uri); code lenses (uri, key); the palette nothing. */
export function runTarget(uriArg?: unknown, keyArg?: unknown): RunTarget | undefined {
  const uri = uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
  const folder = folderFor(uri);
  if (!folder) {
    void vscode.window.showErrorMessage(t('SageMaker Processing: open a folder first; job definitions live in its .vscode/sagemaker-processing.json.'));
    return undefined;
  }
  const key = typeof keyArg === 'string' ? keyArg : undefined;
  const isScript = uri?.scheme === 'file' && /\.(py|ipynb)$/i.test(uri.fsPath);
  return { folder, scriptPath: isScript ? uri.fsPath : undefined, key };
}

/** Opens the definition file at its first problem, or at a job's key. */
export async function openDefinitionAt(folder: vscode.WorkspaceFolder, err?: DefinitionError, key?: string): Promise<void> {
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

/** "No definition yet": offers the wizard for the script. */
export async function offerCreate(target: RunTarget): Promise<void> {
  const create = t('Create Job Definition…');
  const pick = await vscode.window.showInformationMessage(t('No job definition ({0}) in {1} yet.', DEFINITION_FILE, target.folder.name), create);
  if (pick) await vscode.commands.executeCommand('sagemakerProcessing.createDefinition', target.scriptPath ? vscode.Uri.file(target.scriptPath) : undefined);
}

/** The definition lookup of every run path: the folder's definition text, or the offer to create one (undefined). */
export async function definitionTextFor(target: RunTarget): Promise<string | undefined> {
  const text = readDefinitionText(target.folder);
  if (text === undefined) await offerCreate(target);
  return text;
}

/** The quick pick of several matching jobs (the `pick` of the job choice). */
export async function pickJobOf(keys: string[], def?: DefinitionFile, title = 'SageMaker Processing'): Promise<string | undefined> {
  const items = keys.map((k) => {
    const m = def ? mergeDefaults(def.defaults, def.jobs[k] ?? {}) : {};
    return { label: k, description: [m.script, m.instanceType && `${m.instanceType} ×${m.instanceCount ?? 1}`].filter(Boolean).join(' · ') };
  });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: t('Several job definitions match: pick one'), title });
  return picked?.label;
}

/** Says a failed run step: definition problems with a way to the file, "no job runs this script" with the wizard. */
export async function reportRunError(ctx: Ctx, target: RunTarget, err: unknown): Promise<void> {
  if (err instanceof Cancelled) return;
  if (err instanceof DefinitionError) {
    ctx.log.error(`${t('Job definition problems:')}\n${err.message}`);
    if (err instanceof NoJobError) {
      const create = t('Create Job Definition…');
      const edit = t('Edit Definition');
      const pick = await vscode.window.showWarningMessage(t('No job definition runs {0}.', path.basename(target.scriptPath ?? '')), create, edit);
      if (pick === create) await vscode.commands.executeCommand('sagemakerProcessing.createDefinition', target.scriptPath ? vscode.Uri.file(target.scriptPath) : undefined);
      else if (pick) await openDefinitionAt(target.folder);
      return;
    }
    const lines = err.message.split('\n');
    const open = t('Open Definition');
    const problems = lines.length > 3 ? t('{0} (+{1} more)', lines.slice(0, 3).join('; '), lines.length - 3) : lines.slice(0, 3).join('; ');
    const pick = await vscode.window.showErrorMessage(t('The job definition has problems: {0}', problems), open);
    if (pick) await openDefinitionAt(target.folder, err);
    return;
  }
  const msg = explainAwsError(err);
  ctx.log.error(msg);
  void vscode.window.showErrorMessage(t('Could not prepare or submit the job: {0}', msg));
}

/**
 * The job choice of a local run (Run/Debug Locally): the same decision as a cloud run's, on the definition's text.
 * undefined when the user cancelled or the problem was said.
 */
export async function chooseLocalJob(ctx: Ctx, target: RunTarget, text: string, title: string): Promise<string | undefined> {
  const def = parseJsonc(text).value as DefinitionFile | undefined;
  try {
    return await chooseJobInText(text, {
      workspaceFolder: target.folder.uri.fsPath, jobKey: target.key, scriptPath: target.scriptPath, definitionFile: DEFINITION_FILE,
      pick: (keys) => pickJobOf(keys, def, title),
    });
  } catch (err) {
    await reportRunError(ctx, target, err);
    return undefined;
  }
}

/** A local run's job, resolved and confined to the workspace folder (what Run and Debug Locally start). */
export interface PreparedLocalRun {
  jobKey: string;
  resolved: LocalResolved;
  workspaceDir: string;
}

/**
 * The prepare step of a local run (Run Locally, Debug Locally): the definition lookup and job choice above, the open
 * files saved (the container reads them from disk), the job resolved without AWS, and its paths confined to the
 * workspace folder like a cloud run's. undefined: nothing to do (said already); a problem of the job throws.
 */
export async function prepareLocalRun(ctx: Ctx, target: RunTarget, title: string): Promise<PreparedLocalRun | undefined> {
  const text = await definitionTextFor(target);
  if (text === undefined) return undefined;
  const jobKey = await chooseLocalJob(ctx, target, text, title);
  if (!jobKey) return undefined;
  const ws = target.folder.uri.fsPath;
  for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath.startsWith(ws + path.sep)) await d.save();
  const resolved = resolveLocalJob(text, jobKey, { workspaceDir: ws, env: process.env, region: ctx.aws.current.region, file: target.scriptPath, defaultBucket: setting<string>('defaultBucket', '').trim() || undefined });
  await confineLocalJob(resolved, ws, allowOutsideWorkspace());
  return { jobKey, resolved, workspaceDir: ws };
}

/** Loads, validates (before any API call), picks and resolves the job; shows problems. undefined = nothing to do. */
export async function prepareRun(ctx: Ctx, target: RunTarget, forRun = false): Promise<PreparedJob | undefined> {
  const text = await definitionTextFor(target);
  if (text === undefined) return undefined;
  const parsedDef = parseJsonc(text).value as DefinitionFile | undefined;
  const opts: PrepareOptions = {
    definitionText: text,
    definitionFile: DEFINITION_FILE,
    workspaceFolder: target.folder.uri.fsPath,
    jobKey: target.key,
    scriptPath: target.scriptPath,
    pick: (keys) => pickJobOf(keys, parsedDef),
    defaultRoleArn: setting<string>('defaultRoleArn', '').trim() || undefined,
    defaultBucket: setting<string>('defaultBucket', '').trim() || undefined,
    sdk: sdkSetting(),
    // Build then run: a job with `build` is built and pushed in its terminal task when the context changed since the
    // last push, and the pushed digest is submitted (sagemakerProcessing.buildBeforeRun, default on).
    // Only a run builds: Show Request and the exports show `<repo>:<tag>` without building.
    resolveBuildImage: forRun && setting<boolean>('buildBeforeRun', true)
      ? (build, c) => imageForRun(ctx, target.folder, c.key ?? target.key ?? 'job', build)
      : undefined, // `<repo>:<tag>` in ECR
    allowOutsideWorkspace: allowOutsideWorkspace(),
  };
  try {
    return await prepareJob(awsSubmitPorts(ctx.aws), opts);
  } catch (err) {
    await reportRunError(ctx, target, err);
    return undefined;
  }
}

/** Runs core/submit's step under a cancellable notification, its progress messages shown as they come. */
async function withSubmitProgress<T>(title: string, step: (signal: AbortSignal, onProgress: (p: SubmitProgress) => void) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    let last = 0;
    try {
      return await step(ac.signal, (p) => {
        const pct = Math.round((p.fraction ?? last / 100) * 100);
        progress.report({ message: p.message, increment: Math.max(0, pct - last) });
        last = Math.max(last, pct);
      });
    } finally {
      sub.dispose();
    }
  });
}

/** After a job was created: the explorer shows it, the status bar follows it, its logs open. */
async function followNewJob(ctx: Ctx, name: string): Promise<void> {
  ctx.tree.refresh();
  ctx.monitor.watch(name);
  try {
    await ctx.tree.revealJob(name);
  } catch {
    /* the explorer may not show it yet */
  }
  try {
    await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: { name, status: 'InProgress', arn: '', creationTime: new Date() } });
  } catch {
    /* logs are optional */
  }
}

/** "Run as Processing Job": prepare, then submit through core/submit; resolves with the new job's name. */
export async function submitRun(ctx: Ctx, target: RunTarget): Promise<string | undefined> {
  const prepared = await prepareRun(ctx, target, true);
  if (!prepared) return undefined;
  const name = prepared.job.jobName;
  try {
    const result = await withSubmitProgress(t('Submitting {0}', prepared.job.key), (signal, onProgress) =>
      submitPrepared(awsSubmitPorts(ctx.aws), prepared, { signal, onProgress }));
    ctx.log.info(t('Created processing job {0} ({1})', name, result.arn));
    if (result.createdBucket) ctx.log.info(t('Created the bucket {0}', prepared.job.bucket));
    if (result.recovered) ctx.log.info(t('The answer to CreateProcessingJob for {0} was lost; DescribeProcessingJob showed this attempt\'s job.', name));
  } catch (err) {
    if (err instanceof Cancelled) {
      void vscode.window.showInformationMessage(t('Submission of {0} cancelled; no job was created.', prepared.job.key));
      return undefined;
    }
    await reportRunError(ctx, target, err);
    return undefined;
  }
  await followNewJob(ctx, name);
  const copy = t('Copy Name');
  void vscode.window.showInformationMessage(t('Started processing job {0}.', name), copy).then((pick) => {
    if (pick) void vscode.env.clipboard.writeText(name);
  });
  return name;
}

/**
 * "Re-run": the described job's request under a new name, checked and created through core/submit (the same
 * lost-answer recovery as a run). Resolves with the new job's name; problems are said, not thrown.
 */
export async function rerun(ctx: Ctx, jobName: string): Promise<string | undefined> {
  try {
    // The progress offers Cancel: honoured while the job is described and up to the Create (not after it was sent).
    const r = await withSubmitProgress(t('Re-running {0}', jobName), async (signal, onProgress) => {
      const described = await (await ctx.aws.sagemaker()).describeProcessingJob(jobName);
      return rerunJob(awsSubmitPorts(ctx.aws), described, { signal, onProgress });
    });
    const name = r.request.ProcessingJobName;
    ctx.log.info(t('Re-ran {0} as {1} ({2})', jobName, name, r.arn));
    if (r.recovered) ctx.log.info(t('The answer to CreateProcessingJob for {0} was lost; DescribeProcessingJob showed this attempt\'s job.', name));
    ctx.tree.refresh();
    ctx.monitor.watch(name);
    void vscode.window.showInformationMessage(t('Started {0} (a re-run of {1}).', name, jobName));
    return name;
  } catch (err) {
    if (err instanceof Cancelled) {
      void vscode.window.showInformationMessage(t('Re-run of {0} cancelled; no job was created.', jobName));
      return undefined;
    }
    const msg = err instanceof DefinitionError ? err.message.split('\n').join('; ') : explainAwsError(err);
    ctx.log.error(t('Could not re-run {0}: {1}', jobName, msg));
    void vscode.window.showErrorMessage(t('Could not re-run {0}: {1}', jobName, msg));
    return undefined;
  }
}
