import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { JobSummary } from '../core/jobs';
import { HISTORY_LIMIT, restoreRecords, toJobSummary, type LocalJobRecord } from '../core/local/record';
import { keepTails, storedLogs, tailOf } from '../core/local/failureTail';
import type { ContainerSpec } from '../core/definition/containerSpec';
import type { ContainerCli } from '../local/containerCli';
import { containerCliFrom } from '../local/containerCliConfig';
import { cleanupRun, formatBytes, formatLocalLine, startLocalRun, uploadLocalOutputs, type LocalDebugOptions, type LocalRun } from '../local/localRunner';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import type * as shared from './types';
import { folderFor, readDefinitionText } from './definitionFiles';
import { jobLogChannels } from './logChannels';
import { prepareLocalRun, runTarget, type PreparedLocalRun } from './runPipeline';
import { t } from './l10n';
import { setting } from './settings';
import { awsSubmitPorts } from '../aws/submitPorts';
import { defaultBucketName } from '../core/definition/resolve';
import { withDefaultDestinations } from '../core/localDestinations';
import { addSamples } from '../local/containerStats';
import type { MetricSeries } from '../core/jobPage/model';

const STATE_KEY = 'sagemakerProcessing.localJobs';
/** How often a local run's containers are sampled (CPU, memory, disk) for its page. */
const STATS_INTERVAL_MS = 2000;
/** The last lines of failed runs' output (bounded), for their failure summary after a reload. */
const TAIL_KEY = 'sagemakerProcessing.localFailureTails';

function containerCli(): ContainerCli {
  return containerCliFrom({ cli: setting<string>('containerCli', 'docker'), dockerConfig: setting<string>('dockerConfig', '') });
}

/**
 * The store of local runs (the interface LocalJobStore of types.ts is its face to the explorer and the job actions).
 * Local runs of this workspace: their records (kept in workspaceState, so the history survives a reload), live
 * status, the container output in the job's channel `SageMaker: <job>`, and Stop. The explorer shows `list()` under
 * "Local runs" and calls `stop(name)` for a local job's Stop.
 */
export class LocalJobStore implements shared.LocalJobStore, vscode.Disposable {
  private records: LocalJobRecord[];
  private readonly runs = new Map<string, LocalRun>();
  /** The spec and container output (per instance, bounded) of the runs of this window, for the failure summary. */
  private readonly outputs = new Map<string, { spec: ContainerSpec; hosts: Map<string, { timestamp: number; message: string }[]> }>();
  /** The container samples of the runs of this window (src/local/containerStats.ts), per run id. */
  private readonly samples = new Map<string, { run: string; series: MetricSeries[] }>();
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
    if (!run) throw new Error(t('The local run {0} is not running in this window.', name));
    await run.stop();
  }

  /** Starts a run; resolves with its final record. */
  start(o: { spec: ContainerSpec; jobKey: string; workspaceDir: string; allowNetwork: boolean; roleArn?: string; uploadOutputs?: boolean; localOnlyOutputs?: string[]; debug?: LocalDebugOptions }): { run: LocalRun; done: Promise<LocalJobRecord> } {
    const logs = jobLogChannels(this.ctx);
    const name = o.spec.jobName;
    const run = startLocalRun({
      ...o,
      cli: containerCli(),
      // stdout and stderr in the container's order (the engine API's attach), where its socket answers; else two pipes.
      resolveAttach: async (cli, signal) => (await import('./lazy/engineAttach')).resolveAttacher(cli, signal),
      region: this.ctx.aws.current.region,
      storageDir: this.ctx.extension.globalStorageUri.fsPath,
      s3: () => this.ctx.aws.s3(),
      onLine: (line, source, host) => {
        logs.appendLines(name, [formatLocalLine(line, source, host)]);
        if (source !== 'system') this.keepLine(name, o.spec, line, host);
      },
      onRecord: (r) => this.upsert(r),
      // The containers' CPU, memory and disk, for the run's page (the same series as CloudWatch's for cloud jobs).
      stats: { intervalMs: STATS_INTERVAL_MS, onSamples: (s) => addSamples(this.samplesOf(name, run), name, s) },
    });
    this.keepLine(name, o.spec); // a new run: its own output only
    this.runs.set(name, run);
    this.upsert(run.record);
    logs.show(name, true);
    const done = run.done.then((r) => {
      this.runs.delete(name);
      this.upsert(r);
      if (r.status === 'Failed') this.keepTail(name);
      return r;
    });
    return { run, done };
  }

  private keepLine(name: string, spec: ContainerSpec, line?: string, host = 'algo-1'): void {
    let out = this.outputs.get(name);
    if (!out || out.spec !== spec) {
      out = { spec, hosts: new Map() };
      this.outputs.delete(name);
      this.outputs.set(name, out);
      for (const old of this.outputs.keys()) if (this.outputs.size > 10) this.outputs.delete(old);
    }
    if (line === undefined) return;
    const lines = out.hosts.get(host) ?? [];
    lines.push({ timestamp: Date.now(), message: line });
    if (lines.length > 2000) lines.shift();
    out.hosts.set(host, lines);
  }

  /** The series of a run of this window (a new run starts empty; the last 10 runs are kept). */
  private samplesOf(name: string, run: LocalRun | undefined): MetricSeries[] {
    let e = this.samples.get(name);
    if (!e || (run && e.run !== run.runId)) {
      e = { run: run?.runId ?? '', series: [] };
      this.samples.delete(name);
      this.samples.set(name, e);
      for (const old of this.samples.keys()) if (this.samples.size > 10) this.samples.delete(old);
    }
    return e.series;
  }

  /** A run's container samples in this window (its page's charts), or undefined when it did not run here. */
  metrics(name: string): MetricSeries[] | undefined {
    const e = this.samples.get(name);
    return e ? e.series.map((s) => ({ ...s, timestamps: [...s.timestamps], values: [...s.values] })) : undefined;
  }

  private logsOf(name: string) {
    const out = this.outputs.get(name);
    return out ? [...out.hosts].map(([instance, events]) => ({ instance, events: [...events] })) : undefined;
  }

  /** A failed run's last lines, kept in workspaceState (bounded: core/local/failureTail.ts) for its summary after a reload. */
  private keepTail(name: string): void {
    const logs = this.logsOf(name);
    if (!logs) return;
    void this.ctx.extension.workspaceState.update(TAIL_KEY, keepTails(this.ctx.extension.workspaceState.get<unknown>(TAIL_KEY), tailOf(name, logs)));
  }

  /**
   * What the failure summary reads of a run: its record, and its spec and container output when it ran in this window
   * (else, after a reload, the last lines kept of a failed run's output).
   */
  failureInput(name: string): shared.LocalFailureInput | undefined {
    const record = this.get(name);
    if (!record) return undefined;
    const out = this.outputs.get(name);
    if (out) return { record, spec: out.spec, logs: this.logsOf(name) };
    const kept = record.status === 'Failed' ? storedLogs(this.ctx.extension.workspaceState.get<unknown>(TAIL_KEY), name) : undefined;
    return { record, ...(kept ? { logs: kept } : {}) };
  }

  /** "Upload Outputs to S3": uploads a completed run's outputs to the destinations SageMaker would use. */
  async uploadOutputs(name: string): Promise<void> {
    const r = this.get(name);
    const dir = this.outputsDir(name);
    if (!r || !dir || !r.outputs?.length) throw new Error(t('The local run {0} has no outputs to upload.', name));
    const logs = jobLogChannels(this.ctx);
    const line = (l: string) => logs.appendLines(name, [formatLocalLine(l, 'system')]);
    const s3 = await this.ctx.aws.s3();
    const outputs = await this.withDefaultBucket(r);
    if (outputs !== r.outputs) this.upsert({ ...r, outputs });
    const res = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Uploading the outputs of {0}', name), cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return uploadLocalOutputs({ outputs, outputRoot: dir, s3, signal: ac.signal, onLine: (l) => (line(l), progress.report({ message: l })) });
    });
    const kept = outputs.filter((o) => !o.destination).map((o) => o.name);
    const uploaded = res.files === 1
      ? t('Uploaded 1 file, {0} of {1}\'s outputs to S3.', formatBytes(res.bytes), name)
      : t('Uploaded {0} files, {1} of {2}\'s outputs to S3.', res.files, formatBytes(res.bytes), name);
    void vscode.window.showInformationMessage(kept.length ? `${uploaded} ${t('Kept locally only (destination not known locally): {0}.', kept.join(', '))}` : uploaded);
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

/** "Run Locally in Docker": from the code lens `(uri, jobKey?)`, the editor or explorer context menu `(uri)`. */
export const localCommands: Record<string, CommandFactory> = {
  runLocally: (ctx: Ctx) => async (arg?: vscode.Uri | { prepared: PreparedLocalRun }, key?: string) => {
    if (!ctx.requireTrust(t('Running a job locally is disabled in an untrusted workspace.'))) return;
    // The run pipeline's prepare step: definition lookup, job choice, resolution and confinement (runPipeline.ts);
    // or a run already prepared (Re-run Locally from a job's own request, src/ui/lazy/failure.ts).
    const given = arg && !(arg instanceof vscode.Uri) && 'prepared' in arg ? arg.prepared : undefined;
    const target = given ? undefined : runTarget(arg, key);
    if (!given && !target) return;
    try {
      const prepared = given ?? await prepareLocalRun(ctx, target!, t('Run Locally in Docker'));
      if (!prepared) return;
      const { jobKey, resolved, workspaceDir: ws } = prepared;
      const store = localJobStore(ctx);
      ctx.log.info(t('Local run {0} of job {1}', resolved.spec.jobName, jobKey));
      store.start({ spec: resolved.spec, jobKey, workspaceDir: ws, allowNetwork: resolved.allowNetwork, roleArn: resolved.roleArn, localOnlyOutputs: resolved.localOnlyOutputs });
      // The job monitor follows it (status bar) and notifies when it ends, like a cloud job.
      ctx.monitor.watchLocal(resolved.spec.jobName);
    } catch (err) {
      void vscode.window.showErrorMessage(t('Cannot run locally: {0}', err instanceof Error ? err.message : String(err)));
    }
  },
};
