import * as vscode from 'vscode';
import { formatJobDuration, statusText } from '../core/jobs';
import type { JobMonitor } from './jobMonitor';
import type { JobsTreeProvider } from './jobsTree';
import { t } from './l10n';

/**
 * The status bar: job progress `$(sync~spin) SageMaker: 2 running · <followed job>: InProgress 3 min 5 s` and the
 * account `$(cloud) <profile> · <region>`. It only renders what the job monitor follows (src/ui/jobMonitor.ts owns
 * the polling, the watched jobs and local runs); its durations tick every second while something runs.
 */
export class JobStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  readonly accountItem: vscode.StatusBarItem;
  private ticker?: ReturnType<typeof setInterval>;
  private disposables: vscode.Disposable[] = [];

  constructor(private readonly monitor: JobMonitor, private readonly tree: JobsTreeProvider) {
    this.item = vscode.window.createStatusBarItem('sagemakerProcessing.jobs', vscode.StatusBarAlignment.Left, 50);
    this.item.name = t('SageMaker Processing jobs');
    this.item.command = 'sagemakerProcessing.showRunning';
    this.accountItem = vscode.window.createStatusBarItem('sagemakerProcessing.account', vscode.StatusBarAlignment.Left, 49);
    this.accountItem.name = t('SageMaker Processing account');
    this.accountItem.command = 'sagemakerProcessing.switchProfile';
    this.disposables.push(
      this.item,
      this.accountItem,
      monitor.onDidChangeJobs(() => this.render()),
      tree.onDidChangeDescription((d) => this.renderAccount(d)),
    );
    this.renderAccount(tree.description);
    this.render();
  }

  private render(): void {
    const m = this.monitor;
    const running = m.runningJobs;
    const localRunning = m.runningLocalJobs;
    const n = running.length + localRunning.length;
    const cloudFocus = m.focusJob;
    const localFocus = m.localFocus ?? (!cloudFocus && !running.length && localRunning.length === 1 ? localRunning[0] : undefined);
    const focus = localFocus ?? cloudFocus;
    const pendingWatch = m.pendingWatches;
    const now = new Date();
    if (!n && !focus && !pendingWatch.length) {
      this.item.hide();
      this.stopTicker();
      return;
    }
    let text = `$(sync~spin) ${t('SageMaker: {0} running', n)}`;
    if (focus) text += ` · ${localFocus ? t('{0} (local)', focus.name) : focus.name}: ${statusText(focus.status)} ${formatJobDuration(focus, now)}`;
    else if (pendingWatch.length) text += ` · ${t('{0}: starting', pendingWatch[pendingWatch.length - 1])}`;
    this.item.text = text;
    // A local focus shows its own channel; otherwise the cloud behaviour (watched job's logs, or a pick).
    this.item.command = localFocus
      ? { command: 'sagemakerProcessing.showLogs', title: t('Show Logs'), arguments: [{ kind: 'job', job: localFocus, local: true }] }
      : 'sagemakerProcessing.showRunning';
    const md = new vscode.MarkdownString(`**SageMaker Processing** — ${t('{0} running', n)}\n\n`);
    for (const j of running) md.appendMarkdown(`- ${j.name} (${formatJobDuration(j, now)})\n`);
    for (const j of localRunning) md.appendMarkdown(`- ${t('{0} — local ({1})', j.name, formatJobDuration(j, now))}\n`);
    md.appendMarkdown(`\n${t('Click: show logs of the watched job, or pick a running job')}`);
    this.item.tooltip = md;
    this.item.show();
    this.startTicker();
  }

  private renderAccount(description: string): void {
    const { profile, region } = this.tree.target;
    // The profile's own name: `default` is what the AWS config files call it, in every language.
    this.accountItem.text = `$(cloud) ${profile ?? 'default'} · ${region ?? t('default region')}`;
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
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
