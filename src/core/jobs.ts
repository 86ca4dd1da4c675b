/** SDK-free shapes of processing jobs, as the explorer, status bar and CLI use them. */
export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export const JOB_STATUSES: readonly JobStatus[] = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];

export interface JobSummary {
  name: string;
  arn: string;
  status: JobStatus;
  creationTime: Date;
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

export function isTerminal(status: JobStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Stopped';
}

/** Newest first, then by name so equal times have a stable order (moto ignores SortBy). */
export function sortNewestFirst<T extends { creationTime: Date; name: string }>(jobs: T[]): T[] {
  return [...jobs].sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime() || a.name.localeCompare(b.name));
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatRelative(then: Date, now: Date): string {
  const s = Math.round((now.getTime() - then.getTime()) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return `${d} d ago`;
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
