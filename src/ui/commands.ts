import * as vscode from 'vscode';
import type { Ctx } from './context';
import type { JobsTreeProvider } from './jobsTree';
import type { ResolvedJob } from '../core/definition/types';
import type { LocalJobStore } from './types';

/** Everything a command factory may need. Feature modules add their own fields as they grow. */
export interface Services {
  ctx: Ctx;
  tree: JobsTreeProvider;
  /** The job monitor (src/ui/jobMonitor.ts); `watch(jobName)` tracks a job, shown in the status bar and notified when it ends. */
  statusBar?: JobWatcher;
  /** Jobs of local runs (local-run feature); shown under "Local runs" in the explorer when present. */
  localJobs?: LocalJobStore;
  /** Job log channels `SageMaker: <job>` (logs feature; set when the showLogs command is registered). */
  logs?: JobLogSink;
  /** Image of a job's `build` block for "Run as Processing Job" (build feature); default: the ECR URI of repository:tag. */
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

export type { LocalJobStore } from './types';

export type CommandFactory = (s: Services) => (...args: never[]) => unknown;

/** Registers every command of the table (see commandTable.ts) under its full id. */
export function registerCommands(s: Services, table: Record<string, CommandFactory>): void {
  for (const [id, factory] of Object.entries(table)) {
    const handler = factory(s) as (...args: unknown[]) => unknown;
    s.ctx.push(vscode.commands.registerCommand(id, (...args: unknown[]) => {
      s.ctx.markUsed(`ran ${id}`);
      return handler(...args);
    }));
  }
}
