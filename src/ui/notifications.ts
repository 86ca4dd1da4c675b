import * as vscode from 'vscode';
import { formatJobDuration, type JobSummary } from '../core/jobs';
import type { Ctx } from './context';
import type { EndedJob, JobMonitor } from './jobMonitor';
import { failureFor, jobCompleted } from './failures';
import { t } from './l10n';

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
  let msg = endSentence(job.name, job.status, formatJobDuration(job, new Date()), local);
  // Whole sentences for the translator: Japanese puts no space after 。.
  if (job.failureReason) msg = t('{0} Failure reason: {1}', msg, job.failureReason);
  return msg;
}

/**
 * End-of-run notifications, for cloud jobs and local runs alike: one toast per watched job that ended (error for
 * Failed, warning for Stopped), with its next steps — Show Logs, Download Outputs and Re-run for a cloud job; Show
 * Logs, Reveal Outputs and Upload Outputs to S3 for a local run. Subscribed to the job monitor's `onDidEndJob`.
 */
export class EndNotifications implements vscode.Disposable {
  /** The last notification text (the in-host tests read it). */
  last?: string;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx, private readonly monitor: JobMonitor) {
    this.subscription = monitor.onDidEndJob((e) => this.notify(e));
  }

  private notify(e: EndedJob): void {
    if (e.job.status === 'Completed') jobCompleted(e.job.name);
    if (e.job.status !== 'Failed') return this.show(e);
    // A failed run: why (its summary, from the lazy failure bundle), then the toast with a way to the failing line.
    void failureFor(this.ctx, e.job, e.local).then((why) => this.show(e, why));
  }

  private show({ job, local }: EndedJob, why?: Awaited<ReturnType<typeof failureFor>>): void {
    const store = this.monitor.localJobs;
    let msg = endMessage(job, local);
    // The reason may end without a full stop (AWS's text): end the sentence before the next one.
    if (why) msg = t('{0} Why: {1}', /[.。!?！？]$/.test(msg) ? msg : `${msg}.`, why.headline);
    const outputs = local && job.status === 'Completed' ? store?.outputsDir?.(job.name) : undefined;
    if (outputs) msg = t('{0} Outputs: {1}', msg, vscode.workspace.asRelativePath(outputs));
    this.last = msg;
    this.ctx.log.info(msg);
    const SHOW_LOGS = t('Show Logs'), PAGE = t('Show Job Page'), REVEAL = t('Reveal Outputs'), UPLOAD = t('Upload Outputs to S3'), DOWNLOAD = t('Download Outputs'), RERUN = t('Re-run');
    const OPEN_LINE = t('Open Failing Line'), RUN_LOCAL = t('Re-run Locally'), DEBUG_LINE = t('Debug at Failing Line');
    const atLine = !!why?.summary.failing?.local;
    // Three buttons at most for a failure, so none is cut: the way to the line first; the rest is on the job's menu.
    const failure = job.status !== 'Failed' ? undefined
      : atLine ? [OPEN_LINE, SHOW_LOGS, local ? DEBUG_LINE : RUN_LOCAL]
        : [SHOW_LOGS, RUN_LOCAL, ...(local ? [] : [RERUN])];
    const actions = local
      ? failure ?? [SHOW_LOGS, ...(outputs ? [REVEAL] : []), ...(outputs && store?.uploadOutputs ? [UPLOAD] : [])]
      : failure ?? [PAGE, SHOW_LOGS, ...(job.status === 'Completed' ? [DOWNLOAD] : []), RERUN];
    const show = job.status === 'Failed' ? vscode.window.showErrorMessage : job.status === 'Stopped' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const node = { kind: 'job' as const, job, ...(local ? { local: true } : {}) };
    void show(msg, ...actions).then((choice) => {
      if (choice === REVEAL && outputs) {
        void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outputs));
        return;
      }
      if (choice === UPLOAD) {
        void store?.uploadOutputs?.(job.name).catch((err: unknown) => void vscode.window.showErrorMessage(t('Upload failed: {0}', err instanceof Error ? err.message : String(err))));
        return;
      }
      const cmd = choice === PAGE ? 'sagemakerProcessing.showJobPage' : choice === SHOW_LOGS ? 'sagemakerProcessing.showLogs' : choice === DOWNLOAD ? 'sagemakerProcessing.downloadOutputs' : choice === RERUN ? 'sagemakerProcessing.rerunJob'
        : choice === OPEN_LINE ? 'sagemakerProcessing.openFailingLine' : choice === RUN_LOCAL ? 'sagemakerProcessing.rerunLocallyFromFailure' : choice === DEBUG_LINE ? 'sagemakerProcessing.debugFailingLine' : undefined;
      if (cmd) void vscode.commands.executeCommand(cmd, node);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
