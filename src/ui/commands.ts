import * as vscode from 'vscode';
import type { Ctx } from './context';
import type { JobsTreeProvider } from './jobsTree';
import type { JobSummary } from '../core/jobs';
import type { ResolvedJob } from '../core/definition/types';
import type { SchedulesSection } from './schedules';

/** Everything a command factory may need. Feature modules add their own fields as they grow. */
export interface Services {
  ctx: Ctx;
  tree: JobsTreeProvider;
  /** Status-bar job progress; `watch(jobName)` tracks a job and notifies when it ends (explorer feature). */
  statusBar?: JobWatcher;
  /** Jobs of local runs (local-run feature); shown under "Local runs" in the explorer when present. */
  localJobs?: LocalJobStore;
  /** Image of a job's `build` block for "Run as Processing Job" (build feature); default: the ECR URI of repository:tag. */
  /** Job log channels `SageMaker: <job>` (logs feature; set when the showLogs command is registered). */
  logs?: JobLogSink;
  /** The "Schedules" node and its data (schedules feature). */
  schedules?: SchedulesSection;
  resolveBuildImage?: (build: NonNullable<ResolvedJob['build']>, ctx: { account: string; region: string; workspaceFolder: string }) => string | Promise<string>;
}

/** Where job output goes: local runs append their container stdout/stderr lines; `show` reveals the channel. */
export interface JobLogSink {
  appendLines(jobName: string, lines: readonly string[]): void;
  show(jobName: string, preserveFocus?: boolean): void;
}

/** Something that tracks a submitted job until it ends. */
export interface JobWatcher {
  watch(jobName: string): void;
  /** Tracks a local run of `localJobs` the same way (status bar, notification when it ends). */
  watchLocal?(jobName: string): void;
}

/** The store of local runs, as the explorer reads it. */
export interface LocalJobStore {
  list(): JobSummary[];
  onDidChange: vscode.Event<void>;
  /** The folder holding a run's outputs, when it has any. */
  outputsDir?(name: string): string | undefined;
  /** Uploads a completed run's outputs to their S3 destinations ("Upload Outputs to S3"). */
  uploadOutputs?(name: string): Promise<void>;
}

export type CommandFactory = (s: Services) => (...args: never[]) => unknown;

const registered = new Set<string>();

/**
 * Registers command factories by short name (`sagemakerProcessing.<name>`), the rust-analyzer pattern: each feature
 * module exports a `Record<string, CommandFactory>` and extension.ts registers it here.
 */
export function registerCommands(s: Services, factories: Record<string, CommandFactory>): void {
  for (const [name, factory] of Object.entries(factories)) {
    const id = `sagemakerProcessing.${name}`;
    if (registered.has(id)) throw new Error(`command ${id} registered twice`);
    registered.add(id);
    s.ctx.push(vscode.commands.registerCommand(id, factory(s)), { dispose: () => registered.delete(id) });
  }
}

/** Call last: any contributed command no feature registered says so instead of failing with "command not found". */
export function registerUnavailable(s: Services, contributed: readonly string[]): void {
  for (const id of contributed) {
    if (registered.has(id)) continue;
    const name = id.replace(/^sagemakerProcessing\./, '');
    s.ctx.push(
      vscode.commands.registerCommand(id, () => {
        void vscode.window.showInformationMessage(`SageMaker Processing: "${name}" is not available in this version yet.`);
      }),
    );
  }
}
