import { formatJobDuration, formatQueuedTime, formatRelative, statusText, type JobStatus, type JobSummary } from './jobs';
import { t } from './l10n';

/** What a job row shows, independent of the editor: the UI turns it into a TreeItem. */
export interface JobItemModel {
  label: string;
  description: string;
  /** Codicon id, e.g. `sync~spin`. */
  icon: string;
  /** Theme colour id, if any. */
  color?: string;
  /** Markdown tooltip. */
  tooltip: string;
  /** What a screen reader says: the full name, status, age and duration. */
  ariaLabel: string;
  contextValue: string;
}

/** The SDK's job-name timestamp suffix, `-YYYY-MM-DD-HH-MM-SS-mmm` (naming.ts jobNameFrom). */
const NAME_TIMESTAMP = /-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{3})$/;

/**
 * What a row shows of a job name: the base without the SDK's timestamp suffix (`census-preprocessing` of
 * `census-preprocessing-2026-12-07-19-31-22-123`), which the row's description says as "5 min ago" and the tooltip
 * in full; a name without that suffix as it is. Keeps rows readable at the default side-bar width.
 */
export function shortJobName(name: string): string {
  const base = name.replace(NAME_TIMESTAMP, '');
  return base && base !== name ? base : name;
}

/**
 * A row's compact age: `now`, `5m ago`, `3h ago`, `2d ago` (Japanese `今`, `5 分前`, …). The same roundings as
 * formatRelative (core/jobs.ts), so it changes at the same instants the tree redraws its rows (msUntilRelativeChange).
 */
export function formatAge(then: Date, now: Date): string {
  const s = Math.round((now.getTime() - then.getTime()) / 1000);
  if (s < 45) return t('now');
  const m = Math.round(s / 60);
  if (m < 60) return t('{0}m ago', m);
  const h = Math.round(m / 60);
  if (h < 24) return t('{0}h ago', h);
  return t('{0}d ago', Math.round(h / 24));
}

export const STATUS_ICON: Record<JobStatus | 'Completing', { icon: string; color?: string }> = {
  InProgress: { icon: 'sync~spin', color: 'charts.blue' },
  Completing: { icon: 'sync~spin', color: 'charts.blue' },
  Stopping: { icon: 'sync~spin', color: 'charts.orange' },
  Completed: { icon: 'pass', color: 'testing.iconPassed' },
  Failed: { icon: 'error', color: 'testing.iconFailed' },
  Stopped: { icon: 'circle-slash', color: 'disabledForeground' },
};

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

export function jobItemModel(job: JobSummary, now: Date, origin: 'cloud' | 'local' = 'cloud'): JobItemModel {
  const st = STATUS_ICON[job.status as keyof typeof STATUS_ICON] ?? { icon: 'question' };
  const duration = formatJobDuration(job, now);
  const queued = formatQueuedTime(job);
  const status = statusText(job.status);
  const relative = formatRelative(job.creationTime, now);
  // Short enough for the default side-bar width: the status first, then a compact age; the duration and the full
  // age are in the tooltip, the aria label and the details.
  const description = [status, formatAge(job.creationTime, now)].filter(Boolean).join(' · ');
  const lines = [
    `**${escapeMd(job.name)}**`,
    '',
    origin === 'local' ? t('Status: **{0}** (local run)', status) : t('Status: **{0}**', status),
    '',
    `${t('Created: {0}', job.creationTime.toISOString())} (${relative})`,
  ];
  if (job.startTime && origin === 'cloud') lines.push('', t('Started: {0}', job.startTime.toISOString()));
  if (job.endTime) lines.push('', t('Ended: {0}', job.endTime.toISOString()));
  if (duration) lines.push('', queued && origin === 'cloud' ? t('Duration: {0} (queued {1} before it started)', duration, queued) : t('Duration: {0}', duration));
  if (job.failureReason) lines.push('', t('Failure: {0}', escapeMd(job.failureReason)));
  if (job.exitMessage) lines.push('', t('Exit message: {0}', escapeMd(job.exitMessage)));
  if (job.arn) lines.push('', `ARN: \`${job.arn}\``);
  return {
    label: shortJobName(job.name),
    description,
    icon: st.icon,
    color: st.color,
    tooltip: lines.join('\n'),
    ariaLabel: [job.name, status, relative, duration].filter(Boolean).join(', '),
    contextValue: `job status-${job.status} ${origin}`,
  };
}

/** Region and partition from a SageMaker ARN (`arn:aws-cn:sagemaker:cn-north-1:…`). */
export function parseArn(arn: string): { partition: string; region: string; account: string; resource: string } | undefined {
  const m = /^arn:([^:]+):[^:]*:([^:]*):([^:]*):(.*)$/.exec(arn);
  return m ? { partition: m[1], region: m[2], account: m[3], resource: m[4] } : undefined;
}

/** The AWS console page of a processing job, in the right partition (aws, aws-cn, aws-us-gov). */
export function consoleUrl(jobName: string, region: string, arn?: string): string {
  const r = (arn && parseArn(arn)?.region) || region || 'us-east-1';
  const partition = (arn && parseArn(arn)?.partition) || (r.startsWith('cn-') ? 'aws-cn' : r.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  const q = `sagemaker/home?region=${encodeURIComponent(r)}#/processing-jobs/${encodeURIComponent(jobName)}`;
  if (partition === 'aws-cn') return `https://${r}.console.amazonaws.cn/${q}`;
  if (partition === 'aws-us-gov') return `https://console.amazonaws-us-gov.com/${q}`;
  return `https://${r}.console.aws.amazon.com/${q}`;
}

/** "filter: Failed, name ~ "x", last 24 h" for the view description; '' when unfiltered. */
export interface JobFilterState {
  status?: JobStatus;
  nameContains?: string;
  /** Creation-time window: its label as picked (e.g. "last 24 hours") and its length in hours. */
  window?: { label: string; hours: number };
}

export function describeFilter(f: JobFilterState): string {
  const parts: string[] = [];
  if (f.status) parts.push(statusText(f.status));
  if (f.nameContains) parts.push(t('name ~ "{0}"', f.nameContains));
  if (f.window) parts.push(f.window.label);
  return parts.length ? t('filter: {0}', parts.join(', ')) : '';
}

export function isFiltered(f: JobFilterState): boolean {
  return !!(f.status || f.nameContains || f.window);
}

/** The list filter for a filter state at a given time. */
export function toListFilter(f: JobFilterState, now: Date): { status?: JobStatus; nameContains?: string; creationTimeAfter?: Date } {
  return {
    status: f.status,
    nameContains: f.nameContains || undefined,
    creationTimeAfter: f.window ? new Date(now.getTime() - f.window.hours * 3600_000) : undefined,
  };
}

/** Whether a job passes the filter (to filter on the client too, e.g. jobs the poll found). */
export function matchesFilter(job: JobSummary, f: JobFilterState, now: Date): boolean {
  if (f.status && job.status !== f.status) return false;
  if (f.nameContains && !job.name.includes(f.nameContains)) return false;
  if (f.window && job.creationTime.getTime() < now.getTime() - f.window.hours * 3600_000) return false;
  return true;
}
