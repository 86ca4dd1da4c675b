import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JOB_STATUSES, type JobStatus, type JobSummary } from '../core/jobs';
import { consoleTarget, customEndpoint } from '../core/console';
import { relativeKeyPath, s3Outputs } from '../core/jobDetails';
import { addJobToDefinitionText, rerunRequest } from '../core/jobToDefinition';
import { planSaveAsDefinition } from '../core/saveDefinition';
import { KNOWN_REGIONS, parseProfiles, profileFiles } from '../core/profiles';
import { DEFINITION_FILE } from '../core/definition/types';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import { parseS3Uri } from '../core/s3uri';
import type { CreateProcessingJobRequest } from '../aws/sagemaker';
import type { CommandFactory, Services } from './commands';
import type { JobNode } from './jobsTree';
import { JobStatusBar } from './statusBar';
import { SECTION } from './settings';
import { reach } from './walkthrough';

export const JOB_SCHEME = 'sagemaker-job';

/** A command's job argument: a tree node, a summary, or a job name. */
export type JobArg = JobNode | JobSummary | string | undefined;

function jobOf(s: Services, arg: JobArg): { job: JobSummary; local: boolean } | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') {
    const shown = s.tree.shownJobs.find((j) => j.name === arg);
    return { job: shown ?? { name: arg, arn: '', status: 'InProgress', creationTime: new Date() }, local: false };
  }
  if ('kind' in arg) return arg.kind === 'job' ? { job: arg.job, local: !!arg.local } : undefined;
  return { job: arg, local: false };
}

async function pickJob(s: Services, arg: JobArg, prompt: string): Promise<{ job: JobSummary; local: boolean } | undefined> {
  const j = jobOf(s, arg);
  if (j) return j;
  const pick = await vscode.window.showQuickPick(
    s.tree.shownJobs.map((job) => ({ label: job.name, description: job.status, job })),
    { placeHolder: prompt },
  );
  return pick ? { job: pick.job, local: false } : undefined;
}

function fail(s: Services, what: string, err: unknown): void {
  const msg = explainAwsError(err);
  s.ctx.log.error(`${what}: ${msg}`);
  void vscode.window.showErrorMessage(`${what}: ${msg}`);
}

function isAbort(err: unknown): boolean {
  return classifyAwsError(err).kind === 'aborted';
}

/** The read-only `sagemaker-job:/<name>.json` documents: DescribeProcessingJob as JSON. */
export class JobJsonProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly s: Services) {}
  static uri(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: JOB_SCHEME, path: `/${name}.json` });
  }
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const local = this.s.localJobs?.list().find((j) => j.name === name);
    try {
      const desc = local ? local : await this.s.tree.describe(name);
      return JSON.stringify(desc, null, 2) + '\n';
    } catch (err) {
      return `// ${explainAwsError(err)}\n`;
    }
  }
}

/** Registers the `sagemaker-job` virtual documents (call once at activation). */
export function registerJobDocuments(s: Services): void {
  s.ctx.push(vscode.workspace.registerTextDocumentContentProvider(JOB_SCHEME, new JobJsonProvider(s)));
}

/** How long "Copied …" stays in the status bar. */
const COPIED_MESSAGE_MS = 4000;

const TIME_WINDOWS = [
  { label: 'Last hour', hours: 1 },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 24 * 7 },
  { label: 'Last 30 days', hours: 24 * 30 },
];

async function writeSetting(key: string, value: string | undefined): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const info = cfg.inspect(key);
  const target = info?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : info?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update(key, value ?? '', target);
}

/** The explorer's commands: view title, job context menu, status bar. */
export const jobActionCommands: Record<string, CommandFactory> = {
  refresh: (s) => async () => {
    await s.tree.reload();
    if (s.statusBar instanceof JobStatusBar) void s.statusBar.scheduler.pollNow();
  },
  loadMore: (s) => () => s.tree.loadMore(),

  // A string argument (a status, '' for all) skips the quick pick: for keybindings, links and tests.
  filterStatus: (s) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      if (arg && !(JOB_STATUSES as readonly string[]).includes(arg)) {
        void vscode.window.showErrorMessage(`Unknown job status "${arg}"; one of ${JOB_STATUSES.join(', ')}.`);
        return;
      }
      s.tree.setFilter({ ...s.tree.filter, status: (arg || undefined) as JobStatus | undefined });
      return;
    }
    const current = s.tree.filter.status;
    const items: (vscode.QuickPickItem & { status?: JobStatus })[] = [
      { label: 'All statuses', picked: !current },
      ...JOB_STATUSES.map((st) => ({ label: st, status: st, description: st === current ? 'current' : undefined })),
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Show jobs with status' });
    if (pick) s.tree.setFilter({ ...s.tree.filter, status: pick.status });
  },
  // A string argument ('' for any name) skips the input box.
  filterName: (s) => async (arg?: unknown) => {
    const validate = (v: string) => (v.length > 63 ? 'At most 63 characters' : /^[a-zA-Z0-9-]*$/.test(v) ? undefined : 'Job names have only letters, digits and hyphens');
    if (typeof arg === 'string') {
      const problem = validate(arg.trim());
      if (problem) void vscode.window.showErrorMessage(`Name filter "${arg}": ${problem}`);
      else s.tree.setFilter({ ...s.tree.filter, nameContains: arg.trim() || undefined });
      return;
    }
    const value = await vscode.window.showInputBox({
      prompt: 'Show jobs whose name contains (empty: any name)',
      value: s.tree.filter.nameContains ?? '',
      validateInput: validate,
    });
    if (value !== undefined) s.tree.setFilter({ ...s.tree.filter, nameContains: value.trim() || undefined });
  },
  filterTime: (s) => async () => {
    const items = [{ label: 'Any time', hours: 0 }, ...TIME_WINDOWS];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Show jobs created in' });
    if (pick) s.tree.setFilter({ ...s.tree.filter, window: pick.hours ? { label: pick.label.toLowerCase(), hours: pick.hours } : undefined });
  },
  clearFilters: (s) => () => s.tree.setFilter({}),

  copyName: (s) => async (arg?: JobArg) => {
    const j = jobOf(s, arg);
    if (!j) return;
    await vscode.env.clipboard.writeText(j.job.name);
    vscode.window.setStatusBarMessage(`$(check) Copied job name ${j.job.name}`, COPIED_MESSAGE_MS);
  },
  copyArn: (s) => async (arg?: JobArg) => {
    const j = jobOf(s, arg);
    if (!j) return;
    const arn = j.job.arn || (await s.tree.describe(j.job.name).then((d) => d.ProcessingJobArn ?? '', () => ''));
    if (!arn) {
      void vscode.window.showWarningMessage(`The ARN of ${j.job.name} is not known.`);
      return;
    }
    await vscode.env.clipboard.writeText(arn);
    vscode.window.setStatusBarMessage(`$(check) Copied job ARN ${arn}`, COPIED_MESSAGE_MS);
  },

  openInConsole: (s) => async (arg?: JobArg) => {
    const j = await pickJob(s, arg, 'Job to open in the AWS console');
    if (!j) return;
    const target = consoleTarget(j.job.name, s.tree.resolvedRegion ?? 'us-east-1', j.job.arn, customEndpoint(s.ctx.aws.current.endpointUrl, process.env));
    if ('reason' in target) {
      const details = 'Open Job Details as JSON';
      // Not awaited: the command ends here (the answer comes when the user picks).
      void vscode.window.showInformationMessage(target.reason, details).then((pick) => {
        if (pick) void vscode.commands.executeCommand('sagemakerProcessing.openJson', j.job.name);
      });
      return target;
    }
    await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
    return target;
  },

  openJson: (s) => async (arg?: JobArg) => {
    const j = await pickJob(s, arg, 'Job to show as JSON');
    if (!j) return;
    const doc = await vscode.workspace.openTextDocument(JobJsonProvider.uri(j.job.name));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  },

  stopJob: (s) => async (arg?: JobArg) => {
    if (!s.ctx.requireTrust('Stopping a job')) return;
    const j = await pickJob(s, arg, 'Job to stop');
    if (!j) return;
    const answer = await vscode.window.showWarningMessage(`Stop processing job ${j.job.name}?`, { modal: true, detail: 'The job ends with status Stopped; outputs written so far may be incomplete.' }, 'Stop Job');
    if (answer !== 'Stop Job') return;
    try {
      if (j.local) {
        const store = s.localJobs as { stop?: (name: string) => Promise<void> } | undefined;
        if (!store?.stop) throw new Error('This local run cannot be stopped from here.');
        await store.stop(j.job.name);
        return;
      }
      const sm = await s.ctx.aws.sagemaker();
      await sm.stopProcessingJob(j.job.name);
      s.tree.updateJobs([{ ...j.job, status: 'Stopping' }]);
      const d = await sm.describeProcessingJob(j.job.name);
      if (d.ProcessingJobStatus) {
        s.tree.updateJobs([{ ...j.job, status: d.ProcessingJobStatus as JobStatus, endTime: d.ProcessingEndTime, lastModifiedTime: d.LastModifiedTime }]);
      }
      s.statusBar?.watch(j.job.name);
      s.ctx.log.info(`Stop requested for ${j.job.name}`);
    } catch (err) {
      fail(s, `Could not stop ${j.job.name}`, err);
    }
  },

  rerunJob: (s) => async (arg?: JobArg) => {
    if (!s.ctx.requireTrust('Re-running a job')) return;
    const j = await pickJob(s, arg, 'Job to run again');
    if (!j || j.local) return;
    try {
      const sm = await s.ctx.aws.sagemaker();
      const req = rerunRequest(await sm.describeProcessingJob(j.job.name), new Date()) as unknown as CreateProcessingJobRequest;
      await sm.createProcessingJob(req);
      s.ctx.log.info(`Re-ran ${j.job.name} as ${req.ProcessingJobName}`);
      s.statusBar?.watch(req.ProcessingJobName!);
      s.tree.refresh();
      void vscode.window.showInformationMessage(`Started ${req.ProcessingJobName} (a re-run of ${j.job.name}).`);
    } catch (err) {
      fail(s, `Could not re-run ${j.job.name}`, err);
    }
  },

  // `mode` 'add' adds the job even when a job for its script exists (a second code lens); 'compare' opens the diff.
  saveAsDefinition: (s) => async (arg?: JobArg, mode?: unknown) => {
    const j = await pickJob(s, arg, 'Job to save as a job definition');
    if (!j || j.local) return;
    const folder = vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for the job definition' });
    if (!folder) {
      void vscode.window.showWarningMessage('Open a folder to save a job definition in.');
      return;
    }
    try {
      const desc = await s.tree.describe(j.job.name);
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
        const compare = 'Compare with Definition';
        const add = 'Add as New Job';
        const open = async (choice: string | undefined) => {
          if (choice === compare) await vscode.commands.executeCommand('sagemakerProcessing.compareWithDefinition', j.job.name, existing);
          else if (choice === add) await vscode.commands.executeCommand('sagemakerProcessing.saveAsDefinition', j.job.name, 'add');
        };
        if (mode === 'compare') return open(compare);
        // Not awaited: the command ends here; nothing is written unless the user asks.
        void vscode.window.showInformationMessage(`Job "${existing}" in ${DEFINITION_FILE} already runs ${job.script}. Compare ${j.job.name} with it, or add it as a second job for the same script?`, compare, add).then(open);
        return;
      }
      const out = addJobToDefinitionText(text, key, job);
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(out.text, 'utf8'));
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const at = out.text.indexOf(`"${out.key}"`);
      if (at >= 0) editor.revealRange(new vscode.Range(doc.positionAt(at), doc.positionAt(at)), vscode.TextEditorRevealType.AtTop);
      for (const n of notes) s.ctx.log.info(`Save as job definition (${out.key}): ${n}`);
      void vscode.window.showInformationMessage(`Saved ${j.job.name} as job "${out.key}" in ${DEFINITION_FILE}.${notes.length ? ' ' + notes[0] : ''}`);
    } catch (err) {
      fail(s, `Could not save ${j.job.name} as a job definition`, err);
    }
  },

  // `target` (a folder URI; default: <workspace>/outputs/<job>) is for callers that know where (and for tests).
  downloadOutputs: (s) => async (arg?: JobArg, target?: vscode.Uri) => {
    if (!s.ctx.requireTrust('Downloading outputs')) return;
    const j = await pickJob(s, arg, 'Job whose outputs to download');
    if (!j) return;
    if (j.local) {
      const dir = (s.localJobs as { outputsDir?: (name: string) => string | undefined } | undefined)?.outputsDir?.(j.job.name);
      if (dir) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
      else void vscode.window.showInformationMessage('The outputs of a local run are already on this machine.');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const base = target instanceof vscode.Uri ? target : folder ? vscode.Uri.joinPath(folder.uri, 'outputs', j.job.name)
      : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Download here' }))?.[0];
    if (!base) return;
    try {
      const outputs = s3Outputs(await s.tree.describe(j.job.name));
      if (!outputs.length) {
        void vscode.window.showInformationMessage(`${j.job.name} has no S3 outputs.`);
        return { files: 0 };
      }
      const s3 = await s.ctx.aws.s3();
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Downloading outputs of ${j.job.name}`, cancellable: true },
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
        void vscode.window.showWarningMessage(`Download of ${j.job.name}'s outputs cancelled.`);
        return;
      }
      if (!result.files) {
        // Nothing was written, so there is nothing to reveal: say where we looked instead.
        const where = outputs.map((o) => o.uri).join(', ');
        void vscode.window.showInformationMessage(`The outputs of ${j.job.name} are empty: no files under ${where}.`);
        return { files: 0 };
      }
      reach('outputsDownloaded');
      const inWorkspace = !!vscode.workspace.getWorkspaceFolder(base);
      // Not awaited: the command ends when the files are there, not when the notification is dismissed.
      void vscode.window.showInformationMessage(`Downloaded ${result.files} file(s) of ${j.job.name} to ${vscode.workspace.asRelativePath(base)}.`, 'Reveal').then((choice) => {
        // The explorer shows only workspace files; elsewhere the OS's file manager does.
        if (choice === 'Reveal') void vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', base);
      });
      return { files: result.files, folder: base.fsPath };
    } catch (err) {
      if (isAbort(err)) void vscode.window.showWarningMessage(`Download of ${j.job.name}'s outputs cancelled.`);
      else fail(s, `Could not download the outputs of ${j.job.name}`, err);
    }
  },

  // A string argument (a profile name, '' for the SDK default chain) skips the quick pick.
  switchProfile: (s) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      await writeSetting('profile', arg.trim() || undefined);
      return;
    }
    const files = profileFiles(process.env, os.homedir());
    const read = (f: string) => {
      try {
        return fs.readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    };
    const profiles = parseProfiles(read(files.config), read(files.credentials));
    const current = s.ctx.aws.current.profile;
    const items: (vscode.QuickPickItem & { profile?: string })[] = [
      { label: '$(globe) SDK default chain', description: !current ? 'current' : undefined, detail: 'AWS_PROFILE, environment variables, SSO, instance roles…' },
      ...profiles.map((p) => ({
        label: p.name,
        profile: p.name,
        description: [p.name === current ? 'current' : '', p.region ?? '', p.kind !== 'unknown' ? p.kind : ''].filter(Boolean).join(' · '),
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      placeHolder: profiles.length ? 'AWS profile for SageMaker Processing' : `No profiles in ${files.config} or ${files.credentials}`,
    });
    if (!pick) return;
    await writeSetting('profile', pick.profile);
  },

  // A string argument (a region, '' for the default) skips the quick pick.
  switchRegion: (s) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      const r = arg.trim();
      if (r && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) {
        void vscode.window.showErrorMessage(`"${arg}" is not an AWS region (e.g. eu-west-1).`);
        return;
      }
      await writeSetting('region', r || undefined);
      return;
    }
    const current = s.tree.resolvedRegion;
    const items: vscode.QuickPickItem[] = [
      { label: 'Default', description: 'AWS_REGION or the profile\'s region' },
      ...KNOWN_REGIONS.map((r) => ({ label: r, description: r === current ? 'current' : undefined })),
      { label: 'Other…' },
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'AWS region for SageMaker Processing' });
    if (!pick) return;
    let region: string | undefined = pick.label;
    if (pick.label === 'Default') region = undefined;
    if (pick.label === 'Other…') {
      region = await vscode.window.showInputBox({ prompt: 'AWS region', validateInput: (v) => (/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v) ? undefined : 'e.g. eu-west-1') });
      if (!region) return;
    }
    await writeSetting('region', region);
  },

  showRunning: (s) => async () => {
    const bar = s.statusBar instanceof JobStatusBar ? s.statusBar : undefined;
    const running = bar?.runningJobs ?? s.tree.nonTerminal();
    const focus = bar?.focusJob;
    if (focus && bar?.watchedJobs.includes(focus.name)) {
      await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: focus });
      return;
    }
    if (!running.length) {
      void vscode.window.showInformationMessage('No processing jobs are running.');
      return;
    }
    const pick = running.length === 1 ? { job: running[0] }
      : await vscode.window.showQuickPick(running.map((job) => ({ label: job.name, description: job.status, job })), { placeHolder: 'Show the logs of' });
    if (pick) await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: pick.job });
  },
};
