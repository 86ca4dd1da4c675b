// Actions on one job of the explorer (its context menu, the status bar, notifications): copy its name or ARN, open it
// in the console, stop it, run it again, save it as a job definition, download its outputs, show the running one.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobStatus, JobSummary } from '../core/jobs';
import { consoleTarget, customEndpoint } from '../core/console';
import { relativeKeyPath, s3Outputs } from '../core/jobDetails';
import { addJobToDefinitionText } from '../core/jobToDefinition';
import { planSaveAsDefinition } from '../core/saveDefinition';
import { DEFINITION_FILE } from '../core/definition/types';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import { parseS3Uri } from '../core/s3uri';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import type { JobNode } from './jobsTree';
import { t } from './l10n';
import { reach } from './walkthrough';
import { rerun } from './runPipeline';

/** A command's job argument: a tree node, a summary, or a job name. */
export type JobArg = JobNode | JobSummary | string | undefined;

function jobOf(ctx: Ctx, arg: JobArg): { job: JobSummary; local: boolean } | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') {
    const shown = ctx.tree.shownJobs.find((j) => j.name === arg);
    return { job: shown ?? { name: arg, arn: '', status: 'InProgress', creationTime: new Date() }, local: false };
  }
  if ('kind' in arg) return arg.kind === 'job' ? { job: arg.job, local: !!arg.local } : undefined;
  return { job: arg, local: false };
}

/** `only`: the statuses the picker offers, and what to say when no job has one (Download Outputs: Completed jobs). */
export async function pickJob(ctx: Ctx, arg: JobArg, prompt: string, only?: { statuses: readonly string[]; none: string }): Promise<{ job: JobSummary; local: boolean } | undefined> {
  const j = jobOf(ctx, arg);
  if (j) return j;
  const jobs = ctx.tree.shownJobs.filter((job) => !only || only.statuses.includes(job.status));
  if (only && !jobs.length) {
    void vscode.window.showInformationMessage(only.none);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    jobs.map((job) => ({ label: job.name, description: job.status, job })),
    { placeHolder: prompt },
  );
  return pick ? { job: pick.job, local: false } : undefined;
}

/** Says a failed action: `say` makes the whole sentence from the cause. */
function fail(ctx: Ctx, err: unknown, say: (cause: string) => string): void {
  const text = say(explainAwsError(err));
  ctx.log.error(text);
  void vscode.window.showErrorMessage(text);
}

function isAbort(err: unknown): boolean {
  return classifyAwsError(err).kind === 'aborted';
}

/** How long "Copied …" stays in the status bar. */
const COPIED_MESSAGE_MS = 4000;

/** The job's commands: job context menu, status bar, notifications. */
export const jobActionCommands: Record<string, CommandFactory> = {
  copyName: (ctx) => async (arg?: JobArg) => {
    const j = jobOf(ctx, arg);
    if (!j) return;
    await vscode.env.clipboard.writeText(j.job.name);
    vscode.window.setStatusBarMessage(`$(check) ${t('Copied job name {0}', j.job.name)}`, COPIED_MESSAGE_MS);
  },
  copyArn: (ctx) => async (arg?: JobArg) => {
    const j = jobOf(ctx, arg);
    if (!j) return;
    const arn = j.job.arn || (await ctx.tree.describe(j.job.name).then((d) => d.ProcessingJobArn ?? '', () => ''));
    if (!arn) {
      void vscode.window.showWarningMessage(t('The ARN of {0} is not known.', j.job.name));
      return;
    }
    await vscode.env.clipboard.writeText(arn);
    vscode.window.setStatusBarMessage(`$(check) ${t('Copied job ARN {0}', arn)}`, COPIED_MESSAGE_MS);
  },

  openInConsole: (ctx) => async (arg?: JobArg) => {
    const j = await pickJob(ctx, arg, t('Job to open in the AWS console'));
    if (!j) return;
    const target = consoleTarget(j.job.name, ctx.tree.resolvedRegion ?? 'us-east-1', j.job.arn, customEndpoint(ctx.aws.current.endpointUrl, process.env));
    if ('reason' in target) {
      const details = t('Open Job Details as JSON');
      // Not awaited: the command ends here (the answer comes when the user picks).
      void vscode.window.showInformationMessage(target.reason, details).then((pick) => {
        if (pick) void vscode.commands.executeCommand('sagemakerProcessing.openJson', j.job.name);
      });
      return target;
    }
    await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
    return target;
  },

  stopJob: (ctx) => async (arg?: JobArg) => {
    if (!ctx.requireTrust(t('Stopping a job is disabled in an untrusted workspace.'))) return;
    const j = await pickJob(ctx, arg, t('Job to stop'));
    if (!j) return;
    const stop = t('Stop Job');
    const answer = await vscode.window.showWarningMessage(t('Stop processing job {0}?', j.job.name), { modal: true, detail: t('The job ends with status Stopped; outputs written so far may be incomplete.') }, stop);
    if (answer !== stop) return;
    try {
      if (j.local) {
        await ctx.localJobs.stop(j.job.name);
        return;
      }
      const sm = await ctx.aws.sagemaker();
      await sm.stopProcessingJob(j.job.name);
      ctx.tree.updateJobs([{ ...j.job, status: 'Stopping' }]);
      const d = await sm.describeProcessingJob(j.job.name);
      if (d.ProcessingJobStatus) {
        ctx.tree.updateJobs([{ ...j.job, status: d.ProcessingJobStatus as JobStatus, endTime: d.ProcessingEndTime, lastModifiedTime: d.LastModifiedTime }]);
      }
      ctx.monitor.watch(j.job.name);
      ctx.log.info(t('Stop requested for {0}', j.job.name));
    } catch (err) {
      fail(ctx, err, (cause) => t('Could not stop {0}: {1}', j.job.name, cause));
    }
  },

  rerunJob: (ctx) => async (arg?: JobArg) => {
    if (!ctx.requireTrust(t('Re-running a job is disabled in an untrusted workspace.'))) return;
    const j = await pickJob(ctx, arg, t('Job to run again'));
    if (!j || j.local) return;
    // Through the run pipeline to core/submit: the same request under a new name, checked, created once.
    return rerun(ctx, j.job.name);
  },

  // `mode` 'add' adds the job even when a job for its script exists (a second code lens); 'compare' opens the diff.
  saveAsDefinition: (ctx) => async (arg?: JobArg, mode?: unknown) => {
    const j = await pickJob(ctx, arg, t('Job to save as a job definition'));
    if (!j || j.local) return;
    const folder = vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: t('Workspace folder for the job definition') });
    if (!folder) {
      void vscode.window.showWarningMessage(t('Open a folder to save a job definition in.'));
      return;
    }
    try {
      const desc = await ctx.tree.describe(j.job.name);
      const uri = vscode.Uri.joinPath(folder.uri, DEFINITION_FILE);
      let text: string | undefined;
      try {
        text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      } catch {
        text = undefined;
      }
      const { key, job, notes, sameScript } = planSaveAsDefinition(desc, text, { workspaceFolder: folder.uri.fsPath, fileExists: (p) => fs.existsSync(p) });
      if (sameScript.length && mode !== 'add') {
        const existing = sameScript[0];
        const compare = t('Compare with Definition');
        const add = t('Add as New Job');
        const open = async (choice: string | undefined) => {
          if (choice === compare) await vscode.commands.executeCommand('sagemakerProcessing.compareWithDefinition', j.job.name, existing);
          else if (choice === add) await vscode.commands.executeCommand('sagemakerProcessing.saveAsDefinition', j.job.name, 'add');
        };
        if (mode === 'compare') return open(compare);
        // Not awaited: the command ends here; nothing is written unless the user asks.
        void vscode.window.showInformationMessage(t('Job "{0}" in {1} already runs {2}. Compare {3} with it, or add it as a second job for the same script?', existing, DEFINITION_FILE, String(job.script), j.job.name), compare, add).then(open);
        return;
      }
      const out = addJobToDefinitionText(text, key, job);
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(out.text, 'utf8'));
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const at = out.text.indexOf(`"${out.key}"`);
      if (at >= 0) editor.revealRange(new vscode.Range(doc.positionAt(at), doc.positionAt(at)), vscode.TextEditorRevealType.AtTop);
      for (const n of notes) ctx.log.info(t('Save as Job Definition ({0}): {1}', out.key, n));
      void vscode.window.showInformationMessage(notes.length
        ? t('Saved {0} as job "{1}" in {2}. {3}', j.job.name, out.key, DEFINITION_FILE, notes[0])
        : t('Saved {0} as job "{1}" in {2}.', j.job.name, out.key, DEFINITION_FILE));
    } catch (err) {
      fail(ctx, err, (cause) => t('Could not save {0} as a job definition: {1}', j.job.name, cause));
    }
  },

  // `target` (a folder URI; default: <workspace>/outputs/<job>) is for callers that know where (and for tests).
  downloadOutputs: (ctx) => async (arg?: JobArg, target?: vscode.Uri) => {
    if (!ctx.requireTrust(t('Downloading outputs is disabled in an untrusted workspace.'))) return;
    const j = await pickJob(ctx, arg, t('Job whose outputs to download'), { statuses: ['Completed'], none: t('No Completed job is listed yet: its outputs can be downloaded once a job completes.') });
    if (!j) return;
    if (j.local) {
      const dir = ctx.localJobs.outputsDir(j.job.name);
      if (dir) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
      else void vscode.window.showInformationMessage(t('The outputs of a local run are already on this machine.'));
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const base = target instanceof vscode.Uri ? target : folder ? vscode.Uri.joinPath(folder.uri, 'outputs', j.job.name)
      : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: t('Download here') }))?.[0];
    if (!base) return;
    try {
      const outputs = s3Outputs(await ctx.tree.describe(j.job.name));
      if (!outputs.length) {
        void vscode.window.showInformationMessage(t('{0} has no S3 outputs.', j.job.name));
        return { files: 0 };
      }
      const s3 = await ctx.aws.s3();
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: t('Downloading outputs of {0}', j.job.name), cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const files: { bucket: string; key: string; size: number; file: string }[] = [];
          for (const o of outputs) {
            const loc = parseS3Uri(o.uri);
            if (!loc) continue;
            const prefix = loc.key && !loc.key.endsWith('/') ? `${loc.key}/` : loc.key;
            for (const obj of await s3.listObjects(loc.bucket, prefix, abort.signal)) {
              const rel = relativeKeyPath(prefix, obj.key);
              if (rel) files.push({ bucket: loc.bucket, key: obj.key, size: obj.size, file: path.join(base.fsPath, o.name, ...rel.split('/')) });
            }
          }
          if (!files.length) return { files: 0, cancelled: false };
          const total = files.reduce((a, f) => a + f.size, 0) || 1;
          let done = 0;
          for (const f of files) {
            if (token.isCancellationRequested) return { files: 0, cancelled: true };
            progress.report({ message: path.basename(f.file), increment: 0 });
            let last = 0;
            await s3.downloadToFile(f.bucket, f.key, f.file, {
              signal: abort.signal,
              onProgress: (n) => {
                progress.report({ increment: ((n - last) / total) * 100 });
                last = n;
              },
            });
            done++;
          }
          return { files: done, cancelled: false };
        },
      );
      if (result.cancelled) {
        void vscode.window.showWarningMessage(t('Download of {0}\'s outputs cancelled.', j.job.name));
        return;
      }
      if (!result.files) {
        // Nothing was written, so there is nothing to reveal: say where we looked instead.
        const where = outputs.map((o) => o.uri).join(', ');
        void vscode.window.showInformationMessage(t('The outputs of {0} are empty: no files under {1}.', j.job.name, where));
        return { files: 0 };
      }
      reach('outputsDownloaded');
      const inWorkspace = !!vscode.workspace.getWorkspaceFolder(base);
      // Not awaited: the command ends when the files are there, not when the notification is dismissed.
      const reveal = t('Reveal');
      const where = vscode.workspace.asRelativePath(base);
      const done = result.files === 1 ? t('Downloaded 1 file of {0} to {1}.', j.job.name, where) : t('Downloaded {0} files of {1} to {2}.', result.files, j.job.name, where);
      void vscode.window.showInformationMessage(done, reveal).then((choice) => {
        // The explorer shows only workspace files; elsewhere the OS's file manager does.
        if (choice === reveal) void vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', base);
      });
      return { files: result.files, folder: base.fsPath };
    } catch (err) {
      if (isAbort(err)) void vscode.window.showWarningMessage(t('Download of {0}\'s outputs cancelled.', j.job.name));
      else fail(ctx, err, (cause) => t('Could not download the outputs of {0}: {1}', j.job.name, cause));
    }
  },

  showRunning: (ctx) => async () => {
    const bar = ctx.monitor;
    const running = bar.runningJobs;
    const focus = bar.focusJob;
    if (focus && bar.watchedJobs.includes(focus.name)) {
      await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: focus });
      return;
    }
    if (!running.length) {
      void vscode.window.showInformationMessage(t('No processing jobs are running.'));
      return;
    }
    const pick = running.length === 1 ? { job: running[0] }
      : await vscode.window.showQuickPick(running.map((job) => ({ label: job.name, description: job.status, job })), { placeHolder: t('Show the logs of') });
    if (pick) await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: pick.job });
  },
};
