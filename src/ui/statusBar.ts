import * as vscode from 'vscode';
import { formatDuration, isTerminal, type JobSummary } from '../core/jobs';
import { PollScheduler, type PollResult } from '../core/poller';
import { jobDurationMs } from '../core/jobItem';
import { summaryFromDescription } from '../core/jobDetails';
import { RunningJobsTracker } from '../core/runningJobs';
import { classifyAwsError, explainAwsError, isCredentialsError } from '../aws/errors';
import type { Ctx } from './context';
import type { JobsTreeProvider } from './jobsTree';
import type { JobWatcher, LocalJobStore } from './commands';
import { setting } from './settings';
import { t } from './l10n';

/** A job status as the status bar shows it (the API's value in English). */
export function statusText(status: string): string {
  switch (status) {
    case 'InProgress': return t('InProgress');
    case 'Completed': return t('Completed');
    case 'Failed': return t('Failed');
    case 'Stopping': return t('Stopping');
    case 'Stopped': return t('Stopped');
    default: return status;
  }
}

/** The sentence saying that a job (or a local run) ended, with its duration when known. */
function endSentence(name: string, status: string, duration: string, local: boolean): string {
  if (local) {
    switch (status) {
      case 'Completed': return duration ? t('Local run {0} completed after {1}.', name, duration) : t('Local run {0} completed.', name);
      case 'Failed': return duration ? t('Local run {0} failed after {1}.', name, duration) : t('Local run {0} failed.', name);
      case 'Stopped': return duration ? t('Local run {0} stopped after {1}.', name, duration) : t('Local run {0} stopped.', name);
      default: return duration ? t('Local run {0} {1} after {2}.', name, status.toLowerCase(), duration) : t('Local run {0} {1}.', name, status.toLowerCase());
    }
  }
  switch (status) {
    case 'Completed': return duration ? t('Processing job {0} completed after {1}.', name, duration) : t('Processing job {0} completed.', name);
    case 'Failed': return duration ? t('Processing job {0} failed after {1}.', name, duration) : t('Processing job {0} failed.', name);
    case 'Stopped': return duration ? t('Processing job {0} stopped after {1}.', name, duration) : t('Processing job {0} stopped.', name);
    default: return duration ? t('Processing job {0} {1} after {2}.', name, status.toLowerCase(), duration) : t('Processing job {0} {1}.', name, status.toLowerCase());
  }
}

/** What a notification about an ended job (or local run) says. */
export function endMessage(job: JobSummary, local = false): string {
  const duration = formatDuration(jobDurationMs(job, new Date()));
  let msg = endSentence(job.name, job.status, duration, local);
  if (job.failureReason) msg += ` ${t('Failure reason: {0}', job.failureReason)}`;
  return msg;
}

/**
 * Status-bar job progress and the poller behind it (and behind the tree's live statuses):
 * `$(sync~spin) SageMaker: 2 running · <watched job>: InProgress 3m 05s`. One ListProcessingJobs(InProgress) per
 * poll, only while something runs and someone looks; a Describe only for a job that just left InProgress.
 * `watch(jobName)` tracks a submitted job and notifies when it ends. Local runs (`setLocalJobs`) count as running too;
 * they need no polling: the store's events say when they change, and `watchLocal(jobName)` notifies when one ends.
 */
export class JobStatusBar implements JobWatcher, vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  readonly accountItem: vscode.StatusBarItem;
  readonly scheduler: PollScheduler;
  readonly tracker: RunningJobsTracker;
  private ticker?: ReturnType<typeof setInterval>;
  private viewVisible = false;
  private disposables: vscode.Disposable[] = [];
  private localStore?: LocalJobStore;
  /** Watched local runs, oldest first. */
  private readonly localWatched = new Set<string>();
  private readonly endedEmitter = new vscode.EventEmitter<JobSummary>();
  /** Fires when a watched job ends (after the notification is shown). */
  readonly onDidEndJob = this.endedEmitter.event;
  /** The last notification text (the in-host tests read it). */
  lastNotification?: string;

  constructor(private readonly ctx: Ctx, private readonly tree: JobsTreeProvider) {
    this.item = vscode.window.createStatusBarItem('sagemakerProcessing.jobs', vscode.StatusBarAlignment.Left, 50);
    this.item.name = t('SageMaker Processing jobs');
    this.item.command = 'sagemakerProcessing.showRunning';
    this.accountItem = vscode.window.createStatusBarItem('sagemakerProcessing.account', vscode.StatusBarAlignment.Left, 49);
    this.accountItem.name = t('SageMaker Processing account');
    this.accountItem.command = 'sagemakerProcessing.switchProfile';
    this.tracker = new RunningJobsTracker(async () => {
      const sm = await this.ctx.aws.sagemaker();
      return {
        list: (f, t, m) => sm.listProcessingJobs(f, t, m),
        describe: async (name) => summaryFromDescription(await sm.describeProcessingJob(name)),
      };
    });
    this.scheduler = new PollScheduler({
      poll: () => this.poll(),
      intervalMs: () => Math.max(2, setting('pollIntervalSeconds', 10)) * 1000,
      // Throttling and missing credentials: back off instead of hammering.
      isThrottling: (err) => classifyAwsError(err).kind === 'throttled' || isCredentialsError(err),
      onError: (err) => this.ctx.log.warn(`Polling running jobs failed: ${explainAwsError(err)}`),
    });
    this.disposables.push(
      this.item,
      this.accountItem,
      this.endedEmitter,
      tree.onDidLoad((jobs) => {
        this.tracker.seen(jobs);
        if (jobs.some((j) => !isTerminal(j.status))) this.scheduler.setActive(true);
        this.render();
      }),
      tree.onDidChangeDescription((d) => this.renderAccount(d)),
      tree.onDidFail(() => this.scheduler.setActive(true)),
      vscode.window.onDidChangeWindowState(() => this.updateNeeded()),
      ctx.onDidChangeTarget(() => {
        this.tracker.reset();
        this.render();
        void this.scheduler.pollNow();
      }),
    );
    this.renderAccount(tree.description);
    this.updateNeeded();
    // One look at what runs shortly after start-up, so the status bar shows it without opening the view; but only in
    // a workspace that uses the extension (quiet by default: no AWS call from a project that never did).
    const lookSoon = () => {
      const first = setTimeout(() => void this.scheduler.pollNow(), 2000);
      this.disposables.push({ dispose: () => clearTimeout(first) });
    };
    if (ctx.used) lookSoon();
    else {
      const once = ctx.onDidUse(() => {
        once.dispose();
        lookSoon();
      });
      this.disposables.push(once);
    }
  }

  /** The tree view became visible or hidden. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.updateNeeded();
  }

  /** Tracks a job (e.g. just submitted): shown in the status bar, notified when it ends. */
  watch(jobName: string): void {
    this.tracker.watch(jobName);
    this.updateNeeded();
    this.scheduler.setActive(true);
    this.render();
    void this.scheduler.pollNow();
  }

  /** Counts the running local runs of `store` and follows its changes (no polling). */
  setLocalJobs(store: LocalJobStore): void {
    this.localStore = store;
    this.disposables.push(store.onDidChange(() => this.localChanged()));
    this.render();
  }

  /** Tracks a local run (e.g. just started from "Run Locally in Docker"): shown in the status bar, notified when it ends. */
  watchLocal(jobName: string): void {
    this.localWatched.add(jobName);
    this.localChanged();
  }

  get watchedLocalJobs(): string[] {
    return [...this.localWatched];
  }

  /** Local runs that have not ended. */
  get runningLocalJobs(): JobSummary[] {
    return (this.localStore?.list() ?? []).filter((j) => !isTerminal(j.status));
  }

  private localChanged(): void {
    const jobs = this.localStore?.list() ?? [];
    for (const name of [...this.localWatched]) {
      const job = jobs.find((j) => j.name === name);
      if (job && !isTerminal(job.status)) continue;
      this.localWatched.delete(name);
      if (job) this.notifyEnded(job, true);
    }
    this.render();
  }

  get watchedJobs(): string[] {
    return this.tracker.watchedNames;
  }

  get runningJobs(): JobSummary[] {
    return this.tracker.runningJobs;
  }

  private updateNeeded(): void {
    this.scheduler.setNeeded(this.viewVisible || this.watchedJobs.length > 0 || vscode.window.state.focused || this.runningJobs.length > 0);
  }

  /** One poll: ListProcessingJobs(StatusEquals=InProgress), all pages; Describe only jobs that just left it. */
  async poll(): Promise<PollResult> {
    // A poll the user overtook by switching profile or region answers for the old account: drop it, error or not.
    const target = this.ctx.aws.generation;
    let out;
    try {
      out = await this.tracker.poll(this.tree.nonTerminal().map((j) => j.name));
    } catch (err) {
      if (target !== this.ctx.aws.generation) return { active: true };
      this.tree.setError(err);
      throw err;
    }
    if (target !== this.ctx.aws.generation) return { active: true };
    const hadError = this.tree.hasError;
    this.tree.setError(undefined);
    if (hadError) this.tree.refresh();
    this.tree.updateJobs(out.updates);
    for (const j of out.ended) this.notifyEnded(j);
    this.render();
    this.updateNeeded();
    return { active: out.active || hadError };
  }

  private notifyEnded(job: JobSummary, local = false): void {
    let msg = endMessage(job, local);
    const outputs = local && job.status === 'Completed' ? this.localStore?.outputsDir?.(job.name) : undefined;
    if (outputs) msg += ` ${t('Outputs: {0}', vscode.workspace.asRelativePath(outputs))}`;
    this.lastNotification = msg;
    this.ctx.log.info(msg);
    const SHOW_LOGS = t('Show Logs'), REVEAL = t('Reveal Outputs'), UPLOAD = t('Upload Outputs to S3'), DOWNLOAD = t('Download Outputs'), RERUN = t('Re-run');
    const actions = local
      ? [SHOW_LOGS, ...(outputs ? [REVEAL] : []), ...(outputs && this.localStore?.uploadOutputs ? [UPLOAD] : [])]
      : [SHOW_LOGS, ...(job.status === 'Completed' ? [DOWNLOAD] : []), RERUN];
    const show = job.status === 'Failed' ? vscode.window.showErrorMessage : job.status === 'Stopped' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const node = { kind: 'job' as const, job, ...(local ? { local: true } : {}) };
    void show(msg, ...actions).then((choice) => {
      if (choice === REVEAL && outputs) {
        void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outputs));
        return;
      }
      if (choice === UPLOAD) {
        void this.localStore?.uploadOutputs?.(job.name).catch((err: unknown) => void vscode.window.showErrorMessage(t('Upload failed: {0}', err instanceof Error ? err.message : String(err))));
        return;
      }
      const cmd = choice === SHOW_LOGS ? 'showLogs' : choice === DOWNLOAD ? 'downloadOutputs' : choice === RERUN ? 'rerunJob' : undefined;
      if (cmd) void vscode.commands.executeCommand(`sagemakerProcessing.${cmd}`, node);
    });
    this.endedEmitter.fire(job);
  }

  /** The local run the status bar follows: the newest watched one still running. */
  private get localFocus(): JobSummary | undefined {
    const running = this.runningLocalJobs;
    for (const n of [...this.localWatched].reverse()) {
      const j = running.find((r) => r.name === n);
      if (j) return j;
    }
    return undefined;
  }

  /** The job the status bar follows: the newest watched one, else the only running one. */
  get focusJob(): JobSummary | undefined {
    const running = this.runningJobs;
    for (const n of this.watchedJobs.reverse()) {
      const j = running.find((r) => r.name === n) ?? this.tracker.watchedJob(n);
      if (j) return j;
    }
    return running.length === 1 ? running[0] : undefined;
  }

  private render(): void {
    const running = this.runningJobs;
    const localRunning = this.runningLocalJobs;
    const n = running.length + localRunning.length;
    const cloudFocus = this.focusJob;
    const localFocus = this.localFocus ?? (!cloudFocus && !running.length && localRunning.length === 1 ? localRunning[0] : undefined);
    const focus = localFocus ?? cloudFocus;
    const pendingWatch = this.watchedJobs.filter((k) => !this.tracker.watchedJob(k));
    if (!n && !focus && !pendingWatch.length) {
      this.item.hide();
      this.stopTicker();
      return;
    }
    let text = `$(sync~spin) ${t('SageMaker: {0} running', n)}`;
    if (focus) text += ` · ${localFocus ? t('{0} (local)', focus.name) : focus.name}: ${statusText(focus.status)} ${formatDuration(jobDurationMs(focus, new Date()))}`;
    else if (pendingWatch.length) text += ` · ${t('{0}: starting', pendingWatch[pendingWatch.length - 1])}`;
    this.item.text = text;
    // A local focus shows its own channel; otherwise the cloud behaviour (watched job's logs, or a pick).
    this.item.command = localFocus
      ? { command: 'sagemakerProcessing.showLogs', title: t('Show Logs'), arguments: [{ kind: 'job', job: localFocus, local: true }] }
      : 'sagemakerProcessing.showRunning';
    const md = new vscode.MarkdownString(`**SageMaker Processing** — ${t('{0} running', n)}\n\n`);
    for (const j of running) md.appendMarkdown(`- ${j.name} (${formatDuration(jobDurationMs(j, new Date()))})\n`);
    for (const j of localRunning) md.appendMarkdown(`- ${t('{0} — local ({1})', j.name, formatDuration(jobDurationMs(j, new Date())))}\n`);
    md.appendMarkdown(`\n${t('Click: show logs of the watched job, or pick a running job')}`);
    this.item.tooltip = md;
    this.item.show();
    this.startTicker();
  }

  private renderAccount(description: string): void {
    const [profile, region] = description.split(' · ');
    this.accountItem.text = `$(cloud) ${profile.replace(/ profile$/, '')} · ${region ?? ''}`;
    this.accountItem.tooltip = `SageMaker Processing: ${description}\n${t('Click to switch the AWS profile')}`;
    this.accountItem.show();
  }

  private startTicker(): void {
    this.ticker ??= setInterval(() => this.render(), 1000);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  dispose(): void {
    this.stopTicker();
    this.scheduler.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
