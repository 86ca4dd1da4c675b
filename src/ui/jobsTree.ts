import * as vscode from 'vscode';
import { formatDuration, formatRelative, isTerminal, sortNewestFirst, type JobStatus, type JobSummary } from '../core/jobs';
import { describeTarget } from '../core/settings';
import { explainAwsError, isCredentialsError } from '../aws/errors';
import type { Ctx } from './context';

export const VIEW_ID = 'sagemakerProcessing.jobs';

export type JobNode = { kind: 'job'; job: JobSummary } | { kind: 'message'; text: string; command?: vscode.Command };

const STATUS_ICON: Record<JobStatus, [string, string | undefined]> = {
  InProgress: ['sync~spin', 'charts.blue'],
  Stopping: ['sync~spin', 'charts.orange'],
  Completed: ['pass', 'testing.iconPassed'],
  Failed: ['error', 'testing.iconFailed'],
  Stopped: ['circle-slash', 'disabledForeground'],
};

export function jobTreeItem(job: JobSummary, now: Date): vscode.TreeItem {
  const item = new vscode.TreeItem(job.name, vscode.TreeItemCollapsibleState.None);
  const [icon, color] = STATUS_ICON[job.status] ?? ['question', undefined];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  const end = job.endTime ?? (isTerminal(job.status) ? job.lastModifiedTime : undefined) ?? now;
  item.description = `${job.status} · ${formatRelative(job.creationTime, now)} · ${formatDuration(end.getTime() - job.creationTime.getTime())}`;
  const md = new vscode.MarkdownString(`**${job.name}**\n\n`);
  md.appendMarkdown(`Status: **${job.status}**\n\nCreated: ${job.creationTime.toISOString()}\n\n`);
  if (job.failureReason) md.appendMarkdown(`Failure: ${job.failureReason}\n\n`);
  item.tooltip = md;
  item.contextValue = `job status-${job.status} cloud`;
  item.id = `job:${job.arn || job.name}`;
  return item;
}

/** The processing jobs of the current account and region, newest first. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private jobs: JobSummary[] = [];
  private error?: string;
  private loaded = false;

  constructor(private readonly ctx: Ctx, private readonly view: { description?: string }) {}

  refresh(): void {
    this.loaded = false;
    this.changed.fire(undefined);
  }

  getTreeItem(node: JobNode): vscode.TreeItem {
    if (node.kind === 'job') return jobTreeItem(node.job, new Date());
    const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('warning');
    item.command = node.command;
    return item;
  }

  async getChildren(node?: JobNode): Promise<JobNode[]> {
    if (node) return [];
    if (!this.loaded) await this.load();
    this.view.description = describeTarget(this.ctx.aws.current);
    if (this.error && this.jobs.length === 0) {
      return [{ kind: 'message', text: this.error, command: { command: 'sagemakerProcessing.refresh', title: 'Retry' } }];
    }
    return this.jobs.map((job) => ({ kind: 'job', job }));
  }

  private async load(): Promise<void> {
    await setState('loading');
    try {
      const sm = await this.ctx.aws.sagemaker();
      const page = await sm.listProcessingJobs({});
      this.jobs = sortNewestFirst(page.jobs);
      this.error = undefined;
      await setState(this.jobs.length ? 'ready' : 'noJobs');
    } catch (err) {
      this.error = explainAwsError(err);
      this.ctx.log.error(`ListProcessingJobs failed: ${this.error}`);
      await setState(isCredentialsError(err) ? 'noCredentials' : 'error');
      if (isCredentialsError(err)) this.jobs = [];
    }
    this.loaded = true;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function setState(state: 'loading' | 'ready' | 'noJobs' | 'noCredentials' | 'error'): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'sagemakerProcessing.state', state);
}
