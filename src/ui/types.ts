import type * as vscode from 'vscode';
import type { JobSummary } from '../core/jobs';
import type { PipelineExecution, ScheduleInfo } from '../core/schedule/service';

// Interfaces that several UI modules share, with no imports of the modules that implement or use them, so that a
// provider (the tree) and the command layer can both name them without importing each other.

/** The store of local runs (implemented by the class LocalJobStore of localJobs.ts), as the explorer and job actions use it. */
export interface LocalJobStore {
  list(): JobSummary[];
  onDidChange: vscode.Event<void>;
  /** The folder holding a run's outputs, when it has any. */
  outputsDir?(name: string): string | undefined;
  /** Uploads a completed run's outputs to their S3 destinations ("Upload Outputs to S3"). */
  uploadOutputs?(name: string): Promise<void>;
  /** Stops a run of this window (the explorer's Stop on a local run). */
  stop?(name: string): Promise<void>;
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
