import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobSummary } from '../core/jobs';
import { DEFINITION_FILE } from '../core/definition/types';
import { confineLocalJob, listJobs, localJobsForScript, resolveLocalJob } from '../core/local/definitionLite';
import { HISTORY_LIMIT, restoreRecords, toJobSummary, type LocalJobRecord } from '../core/local/record';
import type { ContainerSpec } from '../core/definition/containerSpec';
import type { ContainerCli } from '../local/containerCli';
import { containerCliFrom } from '../local/containerCliConfig';
import { cleanupRun, formatBytes, formatLocalLine, startLocalRun, uploadLocalOutputs, type LocalDebugOptions, type LocalRun } from '../local/localRunner';
import type { CommandFactory, Services } from './commands';
import type { Ctx } from './context';
import { folderFor, readDefinitionText } from './definitionFiles';
import { jobLogChannels } from './logChannels';
import { setting } from './settings';
import { awsSubmitPorts } from '../aws/submitPorts';
import { defaultBucketName } from '../core/definition/resolve';
import { withDefaultDestinations } from '../core/localDestinations';

const STATE_KEY = 'sagemakerProcessing.localJobs';

function containerCli(): ContainerCli {
  return containerCliFrom({ cli: setting<string>('containerCli', 'docker'), dockerConfig: setting<string>('dockerConfig', '') });
}

/**
 * Local runs of this workspace: their records (kept in workspaceState, so the history survives a reload), live
 * status, the container output in the job's channel `SageMaker: <job>`, and Stop. The explorer shows `list()` under
 * "Local runs" and calls `stop(name)` for a local job's Stop.
 */
export class LocalJobStore implements vscode.Disposable {
  private records: LocalJobRecord[];
  private readonly runs = new Map<string, LocalRun>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    const raw = ctx.extension.workspaceState.get<unknown>(STATE_KEY);
    this.records = restoreRecords(raw, new Date());
    const interrupted = Array.isArray(raw) ? (raw as LocalJobRecord[]).filter((r) => r && (r.status === 'InProgress' || r.status === 'Stopping')) : [];
    if (interrupted.length) {
      void this.persist();
      // Their window went away mid-run: remove what they left behind (containers, network), in the background.
      const cli = containerCli();
      for (const r of interrupted) if (r.runId) void cleanupRun(cli, r.runId).catch(() => undefined);
    }
  }

  list(): JobSummary[] {
    return this.records.map(toJobSummary);
  }

  get(name: string): LocalJobRecord | undefined {
    return this.records.find((r) => r.name === name);
  }

  isRunning(name: string): boolean {
    return this.runs.has(name);
  }

  /** The folder holding a run's outputs (`.sagemaker-local/<job>`), when it has any. */
  outputsDir(name: string): string | undefined {
    const dir = this.get(name)?.outputDir;
    return dir && fs.existsSync(dir) ? dir : undefined;
  }

  /** Stops a running local job (the explorer's Stop). */
  async stop(name: string): Promise<void> {
    const run = this.runs.get(name);
    if (!run) throw new Error(`The local run ${name} is not running in this window.`);
    await run.stop();
  }

  /** Starts a run; resolves with its final record. */
  start(o: { spec: ContainerSpec; jobKey: string; workspaceDir: string; allowNetwork: boolean; roleArn?: string; uploadOutputs?: boolean; localOnlyOutputs?: string[]; debug?: LocalDebugOptions }): { run: LocalRun; done: Promise<LocalJobRecord> } {
    const logs = jobLogChannels(this.ctx);
    const name = o.spec.jobName;
    const run = startLocalRun({
      ...o,
      cli: containerCli(),
      region: this.ctx.aws.current.region,
      storageDir: this.ctx.extension.globalStorageUri.fsPath,
      s3: () => this.ctx.aws.s3(),
      onLine: (line, source, host) => logs.appendLines(name, [formatLocalLine(line, source, host)]),
      onRecord: (r) => this.upsert(r),
    });
    this.runs.set(name, run);
    this.upsert(run.record);
    logs.show(name, true);
    const done = run.done.then((r) => {
      this.runs.delete(name);
      this.upsert(r);
      return r;
    });
    return { run, done };
  }

  /** "Upload Outputs to S3": uploads a completed run's outputs to the destinations SageMaker would use. */
  async uploadOutputs(name: string): Promise<void> {
    const r = this.get(name);
    const dir = this.outputsDir(name);
    if (!r || !dir || !r.outputs?.length) throw new Error(`The local run ${name} has no outputs to upload.`);
    const logs = jobLogChannels(this.ctx);
    const line = (l: string) => logs.appendLines(name, [formatLocalLine(l, 'system')]);
    const s3 = await this.ctx.aws.s3();
    const outputs = await this.withDefaultBucket(r);
    if (outputs !== r.outputs) this.upsert({ ...r, outputs });
    const res = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Uploading the outputs of ${name}`, cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return uploadLocalOutputs({ outputs, outputRoot: dir, s3, signal: ac.signal, onLine: (l) => (line(l), progress.report({ message: l })) });
    });
    const kept = outputs.filter((o) => !o.destination).map((o) => o.name);
    void vscode.window.showInformationMessage(`Uploaded ${res.files} file(s), ${formatBytes(res.bytes)} of ${name}'s outputs to S3.${kept.length ? ` Kept locally only (destination not known locally): ${kept.join(', ')}.` : ''}`);
  }

  /**
   * The run's outputs, those bound for the default location given it: the run made no AWS call, the upload may (the
   * user asked), so the account is looked up and the default bucket made sure of, as a cloud run would.
   */
  private async withDefaultBucket(r: LocalJobRecord): Promise<{ name: string; destination?: string }[]> {
    const outputs = r.outputs ?? [];
    if (outputs.every((o) => o.destination)) return outputs;
    const folder = folderFor(vscode.Uri.file(r.workspaceDir));
    const text = folder ? readDefinitionText(folder) : undefined;
    const ports = awsSubmitPorts(this.ctx.aws);
    const region = await ports.region();
    const bucket = setting<string>('defaultBucket', '').trim() || defaultBucketName(region, await ports.account());
    const filled = withDefaultDestinations(outputs, text, r.key, { bucket, jobName: r.name });
    if (filled.every((o, i) => o.destination === outputs[i].destination)) return outputs;
    await ports.ensureBucket(bucket, region);
    return filled;
  }

  private upsert(r: LocalJobRecord): void {
    const i = this.records.findIndex((x) => x.name === r.name);
    if (i >= 0) this.records[i] = r;
    else this.records.unshift(r);
    this.records = this.records.slice(0, HISTORY_LIMIT);
    void this.persist();
    this.emitter.fire();
  }

  private persist(): Thenable<void> {
    return this.ctx.extension.workspaceState.update(STATE_KEY, this.records);
  }

  dispose(): void {
    // The window is going away: kill the containers (the next window marks these runs Stopped and cleans up).
    for (const run of this.runs.values()) void run.stop();
    this.emitter.dispose();
  }
}

/** The local job store of this extension instance (created on first use, disposed with the Ctx). */
export function localJobStore(ctx: Ctx): LocalJobStore {
  return ctx.single(LocalJobStore, () => new LocalJobStore(ctx));
}

export async function chooseJob(text: string, workspaceDir: string, script: string | undefined, key: string | undefined, title = 'Run Locally in Docker'): Promise<string | undefined> {
  if (key) return key;
  const jobs = listJobs(text, workspaceDir);
  const keys = script ? localJobsForScript(text, workspaceDir, script) : [];
  const matching = jobs.filter((j) => keys.includes(j.key));
  const candidates = matching.length ? matching : jobs;
  if (candidates.length === 0) {
    void vscode.window.showErrorMessage(`${DEFINITION_FILE} defines no jobs.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0].key;
  const pick = await vscode.window.showQuickPick(candidates.map((j) => ({ label: j.key, description: j.script ? path.relative(workspaceDir, j.script) : '' })), {
    title, placeHolder: 'Which job of the definition?',
  });
  return pick?.label;
}

/** "Run Locally in Docker": from the code lens `(uri, jobKey?)`, the editor or explorer context menu `(uri)`. */
export const localCommands: Record<string, CommandFactory> = {
  runLocally: (s: Services) => async (arg?: vscode.Uri, key?: string) => {
    if (!s.ctx.requireTrust('Running a job locally')) return;
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const folder = folderFor(uri);
    if (!folder) {
      void vscode.window.showErrorMessage('Open a folder with a job definition to run a job locally.');
      return;
    }
    const text = readDefinitionText(folder);
    if (text === undefined) {
      const create = 'Create Job Definition…';
      if ((await vscode.window.showWarningMessage(`No ${DEFINITION_FILE} in ${folder.name}: a local run uses the same job definition as a cloud run.`, create)) === create) {
        await vscode.commands.executeCommand('sagemakerProcessing.createDefinition', uri);
      }
      return;
    }
    const ws = folder.uri.fsPath;
    try {
      const jobKey = await chooseJob(text, ws, uri?.scheme === 'file' ? uri.fsPath : undefined, key);
      if (!jobKey) return;
      // The container reads the files on disk: save what is open.
      for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath.startsWith(ws + path.sep)) await d.save();
      const resolved = resolveLocalJob(text, jobKey, { workspaceDir: ws, env: process.env, region: s.ctx.aws.current.region, file: uri?.scheme === 'file' ? uri.fsPath : undefined, defaultBucket: setting<string>('defaultBucket', '').trim() || undefined });
      const allowOutside = vscode.workspace.getConfiguration('sagemakerProcessing').inspect<boolean>('allowPathsOutsideWorkspace')?.globalValue === true;
      await confineLocalJob(resolved, ws, allowOutside);
      const store = localJobStore(s.ctx);
      s.ctx.log.info(`Local run ${resolved.spec.jobName} of job ${jobKey}`);
      store.start({ spec: resolved.spec, jobKey, workspaceDir: ws, allowNetwork: resolved.allowNetwork, roleArn: resolved.roleArn, localOnlyOutputs: resolved.localOnlyOutputs });
      // The status bar counts it, follows it and notifies when it ends, like a cloud job.
      s.statusBar?.watchLocal?.(resolved.spec.jobName);
    } catch (err) {
      void vscode.window.showErrorMessage(`Cannot run locally: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
};
