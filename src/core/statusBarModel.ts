// What the jobs' status bar item says, independent of the editor: short enough for a normal window width (the base
// name of the followed job and how long it has run, `census-preprocessing · 1m 12s`), the full name, status and the
// time the running time counts from in the tooltip.
import { formatDuration, isTerminal, statusText, type JobSummary } from './jobs';
import { shortJobName } from './jobItem';
import { t } from './l10n';

/** A compact running time: `45s`, `1m 12s`, `1h 05m` (Japanese `45秒`, `1分12秒`, `1時間05分`); '' when negative. */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return t('{0}s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return t('{0}m {1}s', m, s % 60);
  return t('{0}h {1}m', Math.floor(m / 60), String(m % 60).padStart(2, '0'));
}

/** The best time a running job's running time is known from: its ProcessingStartTime, else its CreationTime. */
export function runningSince(job: Pick<JobSummary, 'creationTime' | 'startTime'>): { since: Date; from: 'start' | 'creation' } {
  return job.startTime ? { since: job.startTime, from: 'start' } : { since: job.creationTime, from: 'creation' };
}

export interface RunningStatusInput {
  /** How many jobs and local runs have not ended. */
  running: number;
  /** The job the item follows, if any. */
  focus?: { job: JobSummary; local: boolean };
  /** A watched job no poll has seen yet. */
  pending?: string;
  /** The other running jobs, for the tooltip. */
  others?: { job: JobSummary; local: boolean }[];
  now: Date;
}

export interface StatusModel {
  /** The item's text, with its codicon. */
  text: string;
  /** Markdown lines of the tooltip. */
  tooltip: string[];
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

/** How long a job has run, and from which time: `1m 12s` and a line saying "since it started at …" or "since it was created at …". */
export function runningFor(job: JobSummary, now: Date): { elapsed: string; line: string } {
  const { since, from } = runningSince(job);
  const elapsed = formatElapsed(now.getTime() - since.getTime());
  const line = from === 'start'
    ? t('Running for {0}, since it started at {1}', formatDuration(now.getTime() - since.getTime()), since.toISOString())
    : t('Running for {0}, counted from its creation at {1} (its start time is not known yet)', formatDuration(now.getTime() - since.getTime()), since.toISOString());
  return { elapsed, line };
}

/**
 * The item while something runs: `$(sync~spin) <base name> · 1m 12s` (`· Stopping` when it stops, `· +N` when N more
 * run), `$(sync~spin) SageMaker: N running` without a followed job, `$(sync~spin) <name>: starting` for a job no poll
 * has seen yet.
 */
export function runningStatusModel(o: RunningStatusInput): StatusModel {
  const tooltip = [`**SageMaker Processing** — ${t('{0} running', o.running)}`, ''];
  let text: string;
  if (o.focus) {
    const { job, local } = o.focus;
    const { elapsed, line } = runningFor(job, o.now);
    const parts = [shortJobName(job.name)];
    if (!isTerminal(job.status) && job.status !== 'InProgress') parts.push(statusText(job.status));
    if (elapsed) parts.push(elapsed);
    if (o.running > 1) parts.push(`+${o.running - 1}`);
    text = `$(sync~spin) ${parts.join(' · ')}`;
    tooltip.push(`**${escapeMd(job.name)}**${local ? ` ${t('(local run)')}` : ''}`, '', t('Status: **{0}**', statusText(job.status)), '', line, '');
  } else if (o.pending) {
    text = `$(sync~spin) ${t('{0}: starting', shortJobName(o.pending))}`;
    tooltip.push(`${escapeMd(t('{0}: starting', o.pending))}`, '');
  } else {
    text = `$(sync~spin) ${t('SageMaker: {0} running', o.running)}`;
  }
  for (const { job, local } of o.others ?? []) {
    if (job.name === o.focus?.job.name) continue;
    const { elapsed } = runningFor(job, o.now);
    tooltip.push(`- ${local ? t('{0} — local ({1})', escapeMd(job.name), elapsed) : `${escapeMd(job.name)}${elapsed ? ` · ${elapsed}` : ''}`}`);
  }
  return { text, tooltip };
}

/** The item once the last followed run ended: `$(pass) census-preprocessing · Completed · 4.9 s`. */
export function endedStatusText(job: JobSummary, icon: string, duration: string): string {
  return `$(${icon}) ${[shortJobName(job.name), statusText(job.status), duration].filter(Boolean).join(' · ')}`;
}
