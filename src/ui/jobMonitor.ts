import * as vscode from 'vscode';
import { isTerminal, type JobSummary } from '../core/jobs';
import { FIRST_LOOK_DELAY_MS, PollScheduler, type PollResult } from '../core/poller';
import { summaryFromDescription } from '../core/jobDetails';
import { RunningJobsTracker } from '../core/runningJobs';
import { WatchedLocalRuns } from '../core/watchedRuns';
import { classifyAwsError, explainAwsError, isCredentialsError } from '../aws/errors';
import type { Ctx } from './context';
import type { LocalJobStore, RunMonitor } from './types';
import { setting } from './settings';
import { t } from './l10n';

/** A job (cloud) or a local run that ended while watched. */
export interface EndedJob {
  job: JobSummary;
  local: boolean;
}

/** What changed: a poll's result (new summaries, or its error), or the local runs. */
export interface JobsChange {
  /**
   * 'poll': a cloud poll ended; 'load': the view loaded its jobs; 'local': the local runs changed; 'watch': a job is
   * now watched; 'target': the account or region changed.
   */
  reason: 'poll' | 'load' | 'local' | 'watch' | 'target';
  /** New summaries of cloud jobs the poll saw change. */
  updates: readonly JobSummary[];
  /** The poll's failure; undefined when it worked (or the change is no poll's). */
  error?: unknown;
}

/** What the monitor needs of the jobs view: its loads (to learn what runs) and the jobs it shows as not ended. */
export interface ShownJobs {
  readonly onDidLoad: vscode.Event<readonly JobSummary[]>;
  readonly onDidFail: vscode.Event<unknown>;
  nonTerminal(): JobSummary[];
  /** Whether the view shows an error (a poll that works then clears it and reloads the view). */
  readonly hasError: boolean;
  /**
   * For the live list: jobs created after this time are new to the view (its newest job's creation, with a margin);
   * undefined while the view has not loaded (its load will show them).
   */
  newSince(): Date | undefined;
}

/**
 * The one place that follows jobs: it owns all polling of cloud jobs (one ListProcessingJobs(InProgress) per poll,
 * only while something runs and someone looks — or, while the jobs view is visible, one ListProcessingJobs of the jobs
 * created since the view's newest, so jobs started elsewhere appear; a Describe only for a job that just left
 * InProgress), the watched
 * jobs and local runs, and their end. The status bar and the jobs tree subscribe to `onDidChangeJobs` and only
 * render; notifications subscribe to `onDidEndJob`. Local runs need no polling: the local job store's events say when
 * they change.
 *
 * Quiet by default: no AWS call until this workspace uses the extension (`Ctx.used`: the view was opened, something
 * ran, or a definition file exists). A poll that a profile or region switch overtook is dropped.
 */
export class JobMonitor implements vscode.Disposable, RunMonitor {
  readonly scheduler: PollScheduler;
  readonly tracker: RunningJobsTracker;
  private readonly local = new WatchedLocalRuns();
  private localStore?: LocalJobStore;
  private viewVisible = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changedEmitter = new vscode.EventEmitter<JobsChange>();
  /** Fires when the jobs followed changed: a poll's result or error, a local run's change, a new watch, a new target. */
  readonly onDidChangeJobs = this.changedEmitter.event;
  private readonly endedEmitter = new vscode.EventEmitter<EndedJob>();
  /** Fires when a watched job or local run ended. */
  readonly onDidEndJob = this.endedEmitter.event;

  constructor(private readonly ctx: Ctx, private readonly shown: ShownJobs) {
    this.tracker = new RunningJobsTracker(async () => {
      const sm = await this.ctx.aws.sagemaker();
      return {
        list: (f, token, max) => sm.listProcessingJobs(f, token, max),
        describe: async (name) => summaryFromDescription(await sm.describeProcessingJob(name)),
      };
    });
    this.scheduler = new PollScheduler({
      poll: () => this.poll(),
      intervalMs: () => Math.max(2, setting('pollIntervalSeconds', 10)) * 1000,
      // Throttling and missing credentials: back off instead of hammering.
      isThrottling: (err) => classifyAwsError(err).kind === 'throttled' || isCredentialsError(err),
      onError: (err) => this.ctx.log.warn(t('Polling running jobs failed: {0}', explainAwsError(err))),
    });
    this.disposables.push(
      this.changedEmitter,
      this.endedEmitter,
      shown.onDidLoad((jobs) => {
        this.tracker.seen(jobs);
        if (jobs.some((j) => !isTerminal(j.status))) this.scheduler.setActive(true);
        this.fire('load', []);
      }),
      shown.onDidFail(() => this.scheduler.setActive(true)),
      vscode.window.onDidChangeWindowState(() => this.updateNeeded()),
      ctx.onDidChangeTarget(() => {
        this.tracker.reset();
        this.fire('target', []);
        if (this.ctx.used) void this.scheduler.pollNow();
      }),
    );
    this.updateNeeded();
    // One look at what runs shortly after start-up, so the status bar shows it without opening the view; but only in
    // a workspace that uses the extension (quiet by default: no AWS call from a project that never did).
    const lookSoon = () => {
      const first = setTimeout(() => void this.scheduler.pollNow(), FIRST_LOOK_DELAY_MS);
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

  /**
   * The jobs view became visible or hidden. While visible (in a workspace that uses the extension: opening the view
   * counts), the list is live: one ListProcessingJobs per interval also brings jobs started elsewhere.
   */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.updateNeeded();
    if (visible && this.ctx.used) this.scheduler.setActive(true);
  }

  /** Tracks a cloud job (e.g. just submitted): followed in the status bar, `onDidEndJob` when it ends. */
  watch(jobName: string): void {
    this.tracker.watch(jobName);
    this.updateNeeded();
    this.scheduler.setActive(true);
    this.fire('watch', []);
    void this.scheduler.pollNow();
  }

  /** Follows the local runs of `store` (no polling: its events say when they change). */
  setLocalJobs(store: LocalJobStore): void {
    this.localStore = store;
    this.disposables.push(store.onDidChange(() => this.localChanged()));
    this.fire('local', []);
  }

  /** The local job store followed (set at activation). */
  get localJobs(): LocalJobStore | undefined {
    return this.localStore;
  }

  /** Tracks a local run (e.g. just started): followed in the status bar, `onDidEndJob` when it ends. */
  watchLocal(jobName: string): void {
    this.local.watch(jobName);
    this.localChanged();
  }

  get watchedLocalJobs(): string[] {
    return this.local.names;
  }

  /** Local runs that have not ended. */
  get runningLocalJobs(): JobSummary[] {
    return (this.localStore?.list() ?? []).filter((j) => !isTerminal(j.status));
  }

  get watchedJobs(): string[] {
    return this.tracker.watchedNames;
  }

  /** Cloud jobs in progress (as of the last poll or load). */
  get runningJobs(): JobSummary[] {
    return this.tracker.runningJobs;
  }

  /** Watched cloud jobs no poll has seen yet ("starting"). */
  get pendingWatches(): string[] {
    return this.watchedJobs.filter((k) => !this.tracker.watchedJob(k));
  }

  /** The cloud job to follow: the newest watched one, else the only running one. */
  get focusJob(): JobSummary | undefined {
    const running = this.runningJobs;
    for (const n of this.watchedJobs.reverse()) {
      const j = running.find((r) => r.name === n) ?? this.tracker.watchedJob(n);
      if (j) return j;
    }
    return running.length === 1 ? running[0] : undefined;
  }

  /** The local run to follow: the newest watched one still running. */
  get localFocus(): JobSummary | undefined {
    return this.local.focus(this.runningLocalJobs);
  }

  private localChanged(): void {
    const ended = this.local.ended(this.localStore?.list() ?? []);
    this.fire('local', []);
    for (const job of ended) this.endedEmitter.fire({ job, local: true });
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
      const since = this.viewVisible && this.ctx.used ? this.shown.newSince() : undefined;
      out = await this.tracker.poll(this.shown.nonTerminal().map((j) => j.name), { since });
    } catch (err) {
      if (target !== this.ctx.aws.generation) return { active: true };
      this.fire('poll', [], err);
      throw err;
    }
    if (target !== this.ctx.aws.generation) return { active: true };
    // The view showed an error (of a load or a poll) and reloads now that a poll worked: follow it once more.
    const recovered = this.shown.hasError;
    this.fire('poll', out.updates);
    for (const job of out.ended) this.endedEmitter.fire({ job, local: false });
    this.updateNeeded();
    return { active: out.active || recovered || (this.viewVisible && this.ctx.used) };
  }

  private fire(reason: JobsChange['reason'], updates: readonly JobSummary[], error?: unknown): void {
    this.changedEmitter.fire({ reason, updates, ...(error !== undefined ? { error } : {}) });
  }

  dispose(): void {
    this.scheduler.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
