import type { MetricSeries } from '../core/jobPage/model';
import type * as vscode from 'vscode';
import type { JobSummary } from '../core/jobs';
import type { PipelineExecution, ScheduleInfo } from '../core/schedule/service';
import type { JobFilterState } from '../core/jobItem';
import type { DetailRow } from '../core/jobDetails';
import type { PollScheduler } from '../core/poller';
import type { ProcessingJobDescription } from '../aws/sagemaker';
import type { LocalJobRecord } from '../core/local/record';
import type { ContainerSpec } from '../core/definition/containerSpec';
import type { InstanceLog } from '../core/failure/summary';

// Interfaces that several UI modules share, with no imports of the modules that implement or use them, so that a
// provider (the tree) and the command layer can both name them without importing each other.

/** The store of local runs (implemented by the class LocalJobStore of localJobs.ts), as the explorer and job actions use it. */
export interface LocalJobStore {
  list(): JobSummary[];
  onDidChange: vscode.Event<void>;
  /** The folder holding a run's outputs, when it has any. */
  outputsDir(name: string): string | undefined;
  /** Uploads a completed run's outputs to their S3 destinations ("Upload Outputs to S3"). */
  uploadOutputs(name: string): Promise<void>;
  /** Stops a run of this window (the explorer's Stop on a local run). */
  stop(name: string): Promise<void>;
  /** What a failure summary of a local run needs: its record, and its spec and container output when it ran in this window. */
  failureInput?(name: string): LocalFailureInput | undefined;
  /** A run's container samples (CPU, memory, disk per instance) while it runs and after, in this window. */
  metrics?(name: string): MetricSeries[] | undefined;
}

/** A local run as the failure summary reads it (src/ui/lazy/failure.ts). */
export interface LocalFailureInput {
  record: LocalJobRecord;
  spec?: ContainerSpec;
  logs?: InstanceLog[];
}

/** A node of the explorer's "Schedules" section (schedules feature). */
export type SchedNode =
  | { kind: 'schedulesRoot' }
  | { kind: 'schedule'; schedule: ScheduleInfo }
  | { kind: 'run'; run: PipelineExecution; schedule: string }
  | { kind: 'info'; text: string; icon?: string; command?: vscode.Command };


/** A child of a schedules node: one of ours, or a processing job (shown like any other job). */
export type SectionChild = { sched: SchedNode } | { job: JobSummary };

/** What the jobs tree needs of the "Schedules" section. */
export interface SchedulesTreeSection {
  readonly onDidChange: vscode.Event<void>;
  visible(): boolean;
  refresh(): void;
  treeItem(node: SchedNode): vscode.TreeItem;
  children(node: SchedNode): Promise<SectionChild[]>;
}

/** A node of the jobs explorer (src/ui/jobsTree.ts). */
export type JobNode =
  | { kind: 'job'; job: JobSummary; local?: boolean }
  | { kind: 'message'; text: string; command?: vscode.Command; icon?: string }
  | { kind: 'detail'; row: DetailRow; id: string; parent?: JobNode }
  | { kind: 'loadMore' }
  | { kind: 'localRoot' }
  | { kind: 'sched'; node: SchedNode };

/** The jobs explorer as commands use it (implemented by JobsTreeProvider of jobsTree.ts; `Ctx.tree`). */
export interface JobsView {
  readonly onDidLoad: vscode.Event<readonly JobSummary[]>;
  readonly filter: JobFilterState;
  setFilter(f: JobFilterState): void;
  readonly shownJobs: readonly JobSummary[];
  nonTerminal(): JobSummary[];
  refresh(): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  updateJobs(updates: JobSummary[]): void;
  describe(name: string): Promise<ProcessingJobDescription>;
  revealJob(name: string): Promise<JobNode | undefined>;
  /** The region the clients resolved (profile default), once known. */
  readonly resolvedRegion: string | undefined;
}

/** The job monitor as commands use it (implemented by JobMonitor of jobMonitor.ts; `Ctx.monitor`). */
export interface RunMonitor {
  /** Tracks a submitted job: shown in the status bar, notified when it ends. */
  watch(jobName: string): void;
  /** Tracks a local run of the local job store the same way. */
  watchLocal(jobName: string): void;
  readonly scheduler: PollScheduler;
  readonly watchedJobs: string[];
  readonly runningJobs: JobSummary[];
  readonly focusJob: JobSummary | undefined;
}

/** Where job output goes: local runs append their container stdout/stderr lines; `show` reveals the channel (`Ctx.logs`). */
export interface JobLogSink {
  appendLines(jobName: string, lines: readonly string[]): void;
  /** Lines for the end of a job's channel (the failure summary): now when its output is complete, else when its tailing ends. */
  appendAtEnd?(jobName: string, lines: readonly string[], local: boolean): void;
  show(jobName: string, preserveFocus?: boolean): void;
}

