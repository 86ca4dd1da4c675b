import { formatJobDuration, statusText } from '../jobs';
import { t } from '../l10n';
import type { JobState, LogRecord } from './types';

/** `algo-3` from `<job>/algo-3-1700000000`; the part after the job prefix otherwise. */
export function instanceOf(stream: string): string {
  const tail = stream.slice(stream.lastIndexOf('/') + 1);
  const m = /^(algo-\d+)(?:-\d+)?$/.exec(tail);
  return m ? m[1] : tail;
}

/** Sort key of a stream for equal timestamps: instance number first (algo-2 before algo-10), then the name. */
export function compareStreams(a: string, b: string): number {
  const na = /algo-(\d+)/.exec(instanceOf(a));
  const nb = /algo-(\d+)/.exec(instanceOf(b));
  if (na && nb && na[1] !== nb[1]) return Number(na[1]) - Number(nb[1]);
  if (na && !nb) return -1;
  if (!na && nb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LineFormat {
  /** Prefix `[algo-n] ` (when the job has more than one instance). */
  instancePrefix: boolean;
  /** Prefix the ISO timestamp. */
  timestamps: boolean;
}

/** The text lines of one record (a multi-line message gives several lines, each prefixed). */
export function formatRecord(r: LogRecord, f: LineFormat): string[] {
  const prefix = (f.timestamps ? `${new Date(r.timestamp).toISOString()} ` : '') + (f.instancePrefix ? `[${r.instance}] ` : '');
  const msg = r.message.replace(/\r?\n$/, '');
  if (!msg.includes('\n')) return [prefix + msg.replace(/\r$/, '')];
  return msg.split('\n').map((l) => prefix + l.replace(/\r$/, ''));
}

export function formatRecords(records: readonly LogRecord[], f: LineFormat): string[] {
  const out: string[] = [];
  for (const r of records) {
    if (!f.timestamps && !f.instancePrefix && !r.message.includes('\n') && !r.message.includes('\r')) out.push(r.message);
    else for (const l of formatRecord(r, f)) out.push(l);
  }
  return out;
}

/** The last line of a job's log: `--- Job <name> Failed after 2 min 5 s: <reason> ---`. */
export function formatSummary(jobName: string, s: JobState): string {
  const duration = formatJobDuration(s);
  const status = statusText(s.status);
  const reason = s.failureReason ? s.failureReason.trim() : s.exitMessage && s.status !== 'Completed' ? s.exitMessage.trim() : '';
  if (duration && reason) return t('--- Job {0} {1} after {2}: {3} ---', jobName, status, duration, reason);
  if (duration) return t('--- Job {0} {1} after {2} ---', jobName, status, duration);
  if (reason) return t('--- Job {0} {1}: {2} ---', jobName, status, reason);
  return t('--- Job {0} {1} ---', jobName, status);
}
