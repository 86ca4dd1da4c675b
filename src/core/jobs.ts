import { t } from './l10n';

/** SDK-free shapes of processing jobs, as the explorer, status bar and CLI use them. */
export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export const JOB_STATUSES: readonly JobStatus[] = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];

export interface JobSummary {
  name: string;
  arn: string;
  status: JobStatus;
  creationTime: Date;
  /** ProcessingStartTime: known from a DescribeProcessingJob (ListProcessingJobs does not return it). */
  startTime?: Date;
  endTime?: Date;
  lastModifiedTime?: Date;
  failureReason?: string;
  exitMessage?: string;
}

export interface JobPage {
  jobs: JobSummary[];
  nextToken?: string;
}

export interface ListJobsFilter {
  status?: JobStatus;
  nameContains?: string;
  creationTimeAfter?: Date;
  creationTimeBefore?: Date;
}

/** A job status as the UI shows it: the API's value in English, the console's word in another language. */
export function statusText(status: string): string {
  switch (status) {
    case 'InProgress': return t('InProgress');
    case 'Completed': return t('Completed');
    case 'Failed': return t('Failed');
    case 'Stopping': return t('Stopping');
    case 'Stopped': return t('Stopped');
    default: return status;
  }
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Stopped';
}

/** Newest first, then by name so equal times have a stable order (moto ignores SortBy). */
export function sortNewestFirst<T extends { creationTime: Date; name: string }>(jobs: T[]): T[] {
  return [...jobs].sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime() || a.name.localeCompare(b.name));
}

/**
 * A duration as the tree, the status bar, notifications, logs, build steps and the CLI show it, in the user's
 * language: `850 ms`, `4.2 s`, `59 s`, `3 min 5 s`, `1 h 5 min`; '' for no duration (negative or not a number).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return t('{0} ms', Math.round(ms));
  if (ms < 10_000) return t('{0} s', Number((ms / 1000).toFixed(1)));
  const s = Math.round(ms / 1000);
  if (s < 60) return t('{0} s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return t('{0} min {1} s', m, s % 60);
  return t('{0} h {1} min', Math.floor(m / 60), m % 60);
}

/** The times of a job that say how long it ran (a JobSummary, or a described job's state). */
export interface JobTimes {
  status: JobStatus;
  creationTime?: Date;
  startTime?: Date;
  endTime?: Date;
  lastModifiedTime?: Date;
}

/** Whether a job still runs as far as the user is concerned (InProgress, or Stopping: it has not ended yet). */
export function isRunning(status: JobStatus): boolean {
  return !isTerminal(status);
}

/**
 * The one definition of a job's times, used by the tree, the log channel, job details, notifications, the status bar
 * and the CLI: `runMs` from ProcessingStartTime to ProcessingEndTime (an ended job without an end time: its last
 * modification; a running one: `now`), and `queuedMs` from CreationTime to ProcessingStartTime (shown apart). Both
 * undefined when a time is missing: a job listed by ListProcessingJobs has no start time, and a running job whose start
 * is not known may still be queued, so no number is shown rather than a different one.
 */
export function jobTiming(job: JobTimes, now?: Date): { runMs?: number; queuedMs?: number } {
  const start = job.startTime;
  const end = job.endTime ?? (isTerminal(job.status) ? job.lastModifiedTime : undefined) ?? (isTerminal(job.status) ? undefined : now);
  const runMs = start && end ? Math.max(0, end.getTime() - start.getTime()) : undefined;
  const queuedMs = start && job.creationTime ? Math.max(0, start.getTime() - job.creationTime.getTime()) : undefined;
  return { runMs, queuedMs };
}

/** How long a job ran, in ms (jobTiming's `runMs`). */
export function jobDurationMs(job: JobTimes, now?: Date): number | undefined {
  return jobTiming(job, now).runMs;
}

/** `formatDuration(jobDurationMs(job, now))`: '' when not known. */
export function formatJobDuration(job: JobTimes, now?: Date): string {
  const ms = jobDurationMs(job, now);
  return ms === undefined ? '' : formatDuration(ms);
}

/** The queued time before the job started (`formatDuration` of jobTiming's `queuedMs`): '' when not known. */
export function formatQueuedTime(job: JobTimes): string {
  const ms = jobTiming(job).queuedMs;
  return ms === undefined ? '' : formatDuration(ms);
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", in the user's language. */
export function formatRelative(then: Date, now: Date): string {
  const s = Math.round((now.getTime() - then.getTime()) / 1000);
  if (s < 45) return t('just now');
  const m = Math.round(s / 60);
  if (m < 60) return t('{0} min ago', m);
  const h = Math.round(m / 60);
  if (h < 24) return t('{0} h ago', h);
  const d = Math.round(h / 24);
  return t('{0} d ago', d);
}

/**
 * Milliseconds until `formatRelative(then, now)` reads differently ("just now" → "1 min ago" → …): the tree redraws
 * its labels then, and not before. At least 1 ms. (A binary search over the label: its roundings nest.)
 */
export function msUntilRelativeChange(then: Date, now: Date): number {
  const label = formatRelative(then, now);
  const at = (ms: number) => formatRelative(then, new Date(now.getTime() + ms));
  let hi = 45_000;
  while (at(hi) === label) hi *= 2;
  let lo = 0; // at(lo) === label, at(hi) !== label
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid) === label) lo = mid;
    else hi = mid;
  }
  return hi;
}
