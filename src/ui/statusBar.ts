import * as vscode from 'vscode';
import { formatJobDuration, statusText, type JobSummary } from '../core/jobs';
import { endedStatusText, runningStatusModel } from '../core/statusBarModel';
import { STATUS_ICON } from '../core/jobItem';
import type { EndedJob, JobMonitor } from './jobMonitor';
import type { JobsTreeProvider } from './jobsTree';
import { t } from './l10n';

/**
 * The status bar: job progress `$(sync~spin) census-preprocessing · 3m 5s` (src/core/statusBarModel.ts) and the
 * account `$(cloud) <profile> · <region>`. It only renders what the job monitor follows (src/ui/jobMonitor.ts owns
 * the polling, the watched jobs and local runs); its durations tick every second while something runs. When the last
 * followed run ends and nothing else runs, it says how it ended (`<job> · Completed · 2.2 s`) for
 * END_SHOWN_MS, then hides.
 */
/** How long the status bar shows how the last run ended (when nothing else runs). */
export const END_SHOWN_MS = 30_000;

export class JobStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  readonly accountItem: vscode.StatusBarItem;
  private ticker?: ReturnType<typeof setInterval>;
  private disposables: vscode.Disposable[] = [];
  /** The last followed run that ended, until END_SHOWN_MS after its end was noticed. */
  private lastEnd?: EndedJob & { until: number };
  private endTimer?: ReturnType<typeof setTimeout>;

  /** The cost line of the last ended cloud run, once known (its name, then the text). */
  private endCost?: { name: string; text: string };

  /** Start times learnt from DescribeProcessingJob, and when each was last asked. */
  private readonly started = new Map<string, Date>();
  private readonly startAsked = new Map<string, number>();

  /**
   * `costOf`: a finished cloud run's cost (src/ui/costs.ts), shown in the tooltip once known. `startOf`: a running
   * cloud job's ProcessingStartTime (DescribeProcessingJob), for its running time; until known, it counts from creation.
   */
  constructor(private readonly monitor: JobMonitor, private readonly tree: JobsTreeProvider, private readonly costOf?: (name: string) => Promise<string | undefined>, private readonly startOf?: (name: string) => Promise<Date | undefined>) {
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
      monitor.onDidEndJob((e) => this.ended(e)),
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
      this.stopTicker();
      if (this.lastEnd && Date.now() < this.lastEnd.until) return this.renderEnd(this.lastEnd);
      this.lastEnd = undefined;
      this.item.hide();
      return;
    }
    if (!localFocus && cloudFocus && !cloudFocus.startTime) this.learnStart(cloudFocus.name);
    const model = runningStatusModel({
      running: n, now,
      focus: focus ? { job: localFocus ? focus : this.withStart(focus), local: !!localFocus } : undefined,
      pending: !focus && pendingWatch.length ? pendingWatch[pendingWatch.length - 1] : undefined,
      others: [...running.map((job) => ({ job: this.withStart(job), local: false })), ...localRunning.map((job) => ({ job, local: true }))],
    });
    this.item.text = model.text;
    // A local focus shows its own channel; otherwise the cloud behaviour (watched job's logs, or a pick).
    this.item.command = localFocus
      ? { command: 'sagemakerProcessing.showLogs', title: t('Show Logs'), arguments: [{ kind: 'job', job: localFocus, local: true }] }
      : 'sagemakerProcessing.showRunning';
    const md = new vscode.MarkdownString(model.tooltip.join('\n') + '\n');
    md.appendMarkdown(`\n${t('Click: show logs of the watched job, or pick a running job')}`);
    this.item.tooltip = md;
    this.item.show();
    this.startTicker();
  }

  private ended(e: EndedJob): void {
    this.lastEnd = { ...e, until: Date.now() + END_SHOWN_MS };
    this.endCost = undefined;
    if (!e.local && this.costOf) {
      const name = e.job.name;
      this.costOf(name).then((text) => {
        if (!text || this.lastEnd?.job.name !== name || this.lastEnd.local) return;
        this.endCost = { name, text };
        if (Date.now() < this.lastEnd.until) this.renderEnd(this.lastEnd);
      }, () => undefined);
    }
    if (this.endTimer) clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => {
      this.endTimer = undefined;
      this.render();
    }, END_SHOWN_MS + 50);
    this.render();
  }

  /** `$(pass) <job> · Completed · 2.2 s`: how the last run ended; a click shows its logs. */
  private renderEnd(e: EndedJob): void {
    const j = e.job;
    const icon = STATUS_ICON[j.status as keyof typeof STATUS_ICON]?.icon ?? 'info';
    const duration = formatJobDuration(j);
    this.item.text = endedStatusText(j, icon, duration);
    this.item.command = { command: 'sagemakerProcessing.showLogs', title: t('Show Logs'), arguments: [{ kind: 'job', job: j, local: e.local }] };
    const md = new vscode.MarkdownString(`**SageMaker Processing** — ${t('{0} ended: {1}', e.local ? t('{0} (local)', j.name) : j.name, statusText(j.status))}\n\n`);
    if (duration) md.appendMarkdown(`${t('Duration: {0}', duration)}\n\n`);
    if (!e.local && this.endCost?.name === j.name) md.appendText(`${t('Cost')}: ${this.endCost.text}`).appendMarkdown('\n\n');
    md.appendMarkdown(t('Click: show its logs'));
    this.item.tooltip = md;
    this.item.show();
  }

  /** A cloud job's ProcessingStartTime (ListProcessingJobs does not return it): asked once, again after 15 s while queued. */
  private learnStart(name: string): void {
    const asked = this.startAsked.get(name);
    if (!this.startOf || this.started.has(name) || (asked !== undefined && Date.now() - asked < 15_000)) return;
    this.startAsked.set(name, Date.now());
    this.startOf(name).then((start) => {
      if (!start) return;
      this.started.set(name, start);
      for (const k of this.started.keys()) if (this.started.size > 20) this.started.delete(k);
      this.render();
    }, () => undefined);
  }

  private withStart(job: JobSummary): JobSummary {
    const start = job.startTime ? undefined : this.started.get(job.name);
    return start ? { ...job, startTime: start } : job;
  }

  private renderAccount(description: string): void {
    const { profile, region } = this.tree.target;
    // The same words as the jobs view's description (既定のプロファイル in Japanese, "default profile" in English).
    this.accountItem.text = `$(cloud) ${profile ?? t('default profile')} · ${region ?? t('default region')}`;
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
    if (this.endTimer) clearTimeout(this.endTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
