// A local run's record (what the explorer shows and the workspace remembers) and its status transitions.
import { isTerminal, type JobStatus, type JobSummary } from '../jobs';
import { t } from '../l10n';

export interface LocalJobRecord {
  name: string;
  /** Key of the job in the definition file. */
  key: string;
  workspaceDir: string;
  runId: string;
  instanceCount: number;
  status: JobStatus;
  createdAt: string;
  endedAt?: string;
  exitCode?: number;
  failureReason?: string;
  exitMessage?: string;
  /** `.sagemaker-local/<job>` once outputs were copied. */
  outputDir?: string;
  /** The outputs and the S3 destination SageMaker would upload each to (absent: not known locally, kept locally only). */
  outputs?: { name: string; destination?: string }[];
}

export type LocalEvent =
  | { type: 'stopRequested' }
  | { type: 'exited'; code: number; stderrTail: string[]; host?: string }
  | { type: 'completed'; outputDir?: string }
  | { type: 'stopped' }
  | { type: 'error'; message: string }
  /** The window went away while the run was going (found on reload). */
  | { type: 'interrupted' };

export const EXIT_MESSAGE_MAX = 1024;

/** The exit message SageMaker shows: the last lines the script wrote to stderr, at most 1 KiB. */
export function exitMessageFrom(stderrTail: string[]): string | undefined {
  const lines = stderrTail.map((l) => l.replace(/\s+$/, '')).filter((l) => l !== '');
  if (!lines.length) return undefined;
  let text = lines.join('\n');
  if (text.length > EXIT_MESSAGE_MAX) text = '…' + text.slice(text.length - EXIT_MESSAGE_MAX + 1);
  return text;
}

export function failureReasonFor(code: number, host?: string): string {
  if (code === 125) return host ? t('The container could not be started on {0} (exit code 125)', host) : t('The container could not be started (exit code 125)');
  if (code === 126 || code === 127) return host ? t('The entrypoint could not be run on {0} (exit code {1})', host, code) : t('The entrypoint could not be run (exit code {0})', code);
  if (code === 137) return host ? t('Container was killed on {0} (exit code 137, SIGKILL)', host) : t('Container was killed (exit code 137, SIGKILL)');
  if (code === 143) return host ? t('Container was terminated on {0} (exit code 143, SIGTERM)', host) : t('Container was terminated (exit code 143, SIGTERM)');
  if (code > 128 && code < 160) return host ? t('Container ended by signal {0} on {1} (exit code {2})', code - 128, host, code) : t('Container ended by signal {0} (exit code {1})', code - 128, code);
  return host ? t('AlgorithmError: the script exited with code {0} on {1}', code, host) : t('AlgorithmError: the script exited with code {0}', code);
}

/** Applies one event; terminal records never change again. */
export function applyEvent(r: LocalJobRecord, e: LocalEvent, now: Date): LocalJobRecord {
  if (isTerminal(r.status)) return r;
  const end = { endedAt: now.toISOString() };
  switch (e.type) {
    case 'stopRequested':
      return { ...r, status: 'Stopping' };
    case 'stopped':
    case 'interrupted':
      return { ...r, ...end, status: 'Stopped', failureReason: e.type === 'interrupted' ? t('The window closed or reloaded while the local run was going') : t('Stopped by the user') };
    case 'exited':
      if (r.status === 'Stopping') return { ...r, ...end, status: 'Stopped', exitCode: e.code, failureReason: t('Stopped by the user') };
      if (e.code === 0) return r; // outputs are copied next; `completed` ends it
      return { ...r, ...end, status: 'Failed', exitCode: e.code, failureReason: failureReasonFor(e.code, r.instanceCount > 1 ? e.host : undefined), exitMessage: exitMessageFrom(e.stderrTail) };
    case 'completed':
      if (r.status === 'Stopping') return { ...r, ...end, status: 'Stopped', failureReason: t('Stopped by the user') };
      return { ...r, ...end, status: 'Completed', exitCode: 0, outputDir: e.outputDir };
    case 'error':
      return { ...r, ...end, status: 'Failed', failureReason: e.message };
  }
}

export function localArn(name: string): string {
  return `local:${name}`;
}

export function toJobSummary(r: LocalJobRecord): JobSummary {
  return {
    name: r.name,
    arn: localArn(r.name),
    status: r.status,
    creationTime: new Date(r.createdAt),
    // A local run starts when it is created (no queue): its duration counts from then.
    startTime: new Date(r.createdAt),
    ...(r.endedAt ? { endTime: new Date(r.endedAt) } : {}),
    ...(r.failureReason ? { failureReason: r.failureReason } : {}),
    ...(r.exitMessage ? { exitMessage: r.exitMessage } : {}),
  };
}

export const HISTORY_LIMIT = 50;

/** Records restored from storage: anything that was still running is over (its window is gone). */
export function restoreRecords(raw: unknown, now: Date): LocalJobRecord[] {
  if (!Array.isArray(raw)) return [];
  const ok = raw.filter((r): r is LocalJobRecord => !!r && typeof r === 'object' && typeof (r as LocalJobRecord).name === 'string' && typeof (r as LocalJobRecord).status === 'string' && typeof (r as LocalJobRecord).createdAt === 'string');
  return ok.slice(0, HISTORY_LIMIT).map((r) => (isTerminal(r.status) ? r : applyEvent(r, { type: 'interrupted' }, now)));
}

/** Keeps a bounded stream tail (for the exit message). */
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly max = 20) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  get(): string[] {
    return [...this.lines];
  }
}

/** Splits a byte stream into lines across chunk boundaries. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const parts = (this.rest + chunk).split(/\r?\n/);
    this.rest = parts.pop() ?? '';
    for (const p of parts) this.onLine(p);
  }
  end(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}
