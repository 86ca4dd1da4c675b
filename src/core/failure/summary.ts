// "Why did it fail?": one summary of a failed (or stopped) run, cloud or local — the status reason in plain words,
// the exit code, the instance that failed first, the last traceback with its frames mapped to workspace files, and
// what is not known and why (no log stream yet, logs not readable, no traceback in the log).
import { classifyAwsError } from '../awsErrors';
import { t } from '../l10n';
import { PROCESSING_LOG_GROUP, type LogsApiPort, type RawLogEvent } from '../logs/types';
import { classifyFailure, type FailureClass } from './classify';
import { exceptionLine, lastTraceback, raisingFrame, type Frame, type Traceback } from './traceback';

/** One instance's log: `algo-<n>` and its events, oldest first. */
export interface InstanceLog {
  instance: string;
  stream?: string;
  events: RawLogEvent[];
}

/** Why the logs are not there. */
export type LogsProblem =
  | { kind: 'noStreams' }
  | { kind: 'accessDenied'; detail: string }
  | { kind: 'error'; detail: string };

export interface FailureInput {
  jobName: string;
  status: string;
  failureReason?: string;
  exitMessage?: string;
  exitCode?: number;
  instanceCount?: number;
  local?: boolean;
  /** Per-instance logs; undefined when they were not read (then `logsProblem` says why, if known). */
  logs?: InstanceLog[];
  logsProblem?: LogsProblem;
  /** Container path → workspace file (undefined: not in the workspace). */
  mapPath?: (file: string) => string | undefined;
}

export interface MappedFrame extends Frame {
  /** The workspace file this frame's file maps to. */
  local?: string;
}

export interface FailureSummary {
  jobName: string;
  status: string;
  local: boolean;
  reason?: string;
  exitMessage?: string;
  class: FailureClass;
  exitCode?: number;
  /** The instance that failed first (`algo-2`), when known. */
  instance?: string;
  instanceCount?: number;
  traceback?: Traceback;
  /** `ValueError: bad value`. */
  exception?: string;
  /** The frames of the last exception, innermost last (Python order); mapped where they are in the workspace. */
  frames: MappedFrame[];
  /** The raising line's frame: the innermost frame that is in the workspace, else the innermost one. */
  failing?: MappedFrame;
  /** What is not known, and why (whole sentences). */
  unknowns: string[];
}

const HOST_IN_REASON = /\bon (algo-\d+)\b/;

function instanceOf(stream: string): string {
  return /\/(algo-\d+)-\d+$/.exec(stream)?.[1] ?? stream;
}

/** Builds the summary. */
export function buildFailureSummary(i: FailureInput): FailureSummary {
  const cls = classifyFailure({ status: i.status, failureReason: i.failureReason, exitMessage: i.exitMessage, exitCode: i.exitCode });
  const unknowns: string[] = [];
  // The last traceback of each instance, and when it started.
  let first: { instance: string; at: number; tb: Traceback } | undefined;
  for (const log of i.logs ?? []) {
    const lines = log.events.map((e) => e.message);
    const tb = lastTraceback(lines);
    if (!tb) continue;
    const at = log.events[tb.startLine]?.timestamp ?? Number.MAX_SAFE_INTEGER;
    if (!first || at < first.at) first = { instance: log.instance, at, tb };
  }
  // No traceback in the logs: the exit message (the last stderr lines) may hold one.
  let tb = first?.tb;
  if (!tb && i.exitMessage) tb = lastTraceback(i.exitMessage.split('\n'));
  let instance = first?.instance ?? HOST_IN_REASON.exec(i.failureReason ?? '')?.[1];
  if (!instance && (i.instanceCount ?? 1) === 1 && i.status === 'Failed' && cls.category === 'AlgorithmError') instance = 'algo-1';
  const frames: MappedFrame[] = [];
  if (tb) {
    const raw = tb.kind === 'python' ? tb.frames : [...(tb.causes.length ? tb.causes[tb.causes.length - 1].frames : tb.frames)].reverse();
    for (const f of raw) {
      const local = i.mapPath?.(f.file);
      frames.push(local ? { ...f, local } : { ...f });
    }
  }
  const inWorkspace = frames.filter((f) => f.local);
  const failing = inWorkspace[inWorkspace.length - 1] ?? (tb ? (() => {
    const r = raisingFrame(tb);
    return r ? frames.find((f) => f.file === r.file && f.line === r.line) ?? r : undefined;
  })() : undefined);

  if (i.status === 'Failed') {
    if (i.logsProblem?.kind === 'noStreams') {
      unknowns.push(cls.category === 'AlgorithmError'
        ? t('The job has no log stream, so there is no traceback: its container wrote nothing before it ended.')
        : t('The job has no log stream: it failed before its container started (so there is no traceback), which fits the reason above.'));
    } else if (i.logsProblem?.kind === 'accessDenied') {
      unknowns.push(t('The logs could not be read (CloudWatch Logs refused access: {0}), so the traceback is not known. Your credentials need logs:DescribeLogStreams and logs:GetLogEvents.', i.logsProblem.detail));
    } else if (i.logsProblem?.kind === 'error') {
      unknowns.push(t('The logs could not be read ({0}), so the traceback is not known.', i.logsProblem.detail));
    } else if (!tb && cls.category === 'AlgorithmError' && i.logs) {
      unknowns.push(cls.kind === 'oom' || cls.kind === 'killed'
        ? t('The log has no traceback: the process was killed, so Python could not print one.')
        : t('The log has no traceback: the script exited without raising an exception (for example with sys.exit), so the failing line is not known.'));
    }
    if (cls.category === 'AlgorithmError' && cls.exitCode === undefined) unknowns.push(t('SageMaker did not say the exit code.'));
    if (!instance && (i.instanceCount ?? 1) > 1 && cls.category === 'AlgorithmError') unknowns.push(t('Which instance failed first is not known (no instance\'s log has a traceback).'));
    if (failing && !failing.local && tb?.kind === 'python' && i.mapPath) unknowns.push(t('No frame of the traceback is a file of this workspace.'));
  }
  return {
    jobName: i.jobName,
    status: i.status,
    local: !!i.local,
    ...(i.failureReason ? { reason: i.failureReason } : {}),
    ...(i.exitMessage ? { exitMessage: i.exitMessage } : {}),
    class: cls,
    ...(cls.exitCode !== undefined ? { exitCode: cls.exitCode } : {}),
    ...(instance ? { instance } : {}),
    ...(i.instanceCount ? { instanceCount: i.instanceCount } : {}),
    ...(tb ? { traceback: tb, exception: exceptionLine(tb) } : {}),
    frames,
    ...(failing ? { failing } : {}),
    unknowns,
  };
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** `preprocessing.py:42` (the workspace file's name when mapped). */
export function frameLabel(f: Frame & { local?: string }): string {
  return f.line !== undefined ? `${basename(f.local ?? f.file)}:${f.line}` : basename(f.local ?? f.file);
}

/** One line for a notification or a tree node: the exception and where, else the kind in plain words. */
export function summaryHeadline(s: FailureSummary): string {
  if (s.status === 'Stopped') return s.class.title;
  const where = s.failing ? frameLabel(s.failing) : undefined;
  const multi = (s.instanceCount ?? 1) > 1 && s.instance;
  if (s.exception) {
    if (where && multi) return t('{0} at {1} on {2}', s.exception, where, s.instance!);
    if (where) return t('{0} at {1}', s.exception, where);
    if (multi) return t('{0} on {1}', s.exception, s.instance!);
    return s.exception;
  }
  return multi ? t('{0} on {1}', s.class.title, s.instance!) : s.class.title;
}

/** The summary block (output channel, CLI): plain text lines. `rel` shows a workspace path (relative). */
export function summaryLines(s: FailureSummary, rel: (p: string) => string = (p) => p): string[] {
  const out: string[] = [t('── Why did {0} fail? ──', s.jobName)];
  if (s.status === 'Stopped') out[0] = t('── Why did {0} stop? ──', s.jobName);
  if (s.reason) out.push(t('Failure reason: {0}', s.reason));
  out.push(t('Kind: {0} ({1})', s.class.title, s.class.category));
  out.push(t('What it usually means: {0}', s.class.meaning));
  out.push(t('What to check: {0}', s.class.check));
  if (s.exitCode !== undefined) out.push(t('Exit code: {0}', s.exitCode));
  if (s.instance) out.push((s.instanceCount ?? 1) > 1 ? t('Failed first on: {0} (of {1} instances)', s.instance, s.instanceCount!) : t('Instance: {0}', s.instance));
  const tb = s.traceback;
  if (tb) {
    out.push(s.instance ? t('Last traceback ({0}):', s.instance) : t('Last traceback:'));
    if (tb.kind === 'python') {
      for (const c of tb.chain) out.push(`  ${c.type}${c.message ? `: ${c.message.split('\n')[0]}` : ''}  ${c.link === 'cause' ? t('(the direct cause of the next)') : t('(while handling it, another exception occurred)')}`);
    }
    for (const f of s.frames) {
      const at = `  File "${f.file}", line ${f.line ?? '?'}${f.name ? `, in ${f.name}` : ''}`;
      out.push(f.local ? `${at}  →  ${rel(f.local)}:${f.line ?? 1}` : at);
      if (f.code) out.push(`    ${f.code}`);
    }
    out.push(`  ${s.exception ?? ''}`);
    if (tb.kind === 'python' && tb.java) {
      const root = tb.java.causes.length ? tb.java.causes[tb.java.causes.length - 1] : tb.java;
      out.push(t('  Java side: {0}', `${root.type}${root.message ? `: ${root.message}` : ''}`));
    }
  }
  if (s.failing?.local) out.push(t('Failing line: {0}:{1}', rel(s.failing.local), s.failing.line ?? 1));
  for (const u of s.unknowns) out.push(t('Not known: {0}', u));
  return out;
}

/** The summary as a JSON field (CLI `--json`). */
export function summaryJson(s: FailureSummary): Record<string, unknown> {
  return {
    kind: s.class.kind,
    category: s.class.category,
    title: s.class.title,
    meaning: s.class.meaning,
    check: s.class.check,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
    ...(s.instance ? { instance: s.instance } : {}),
    ...(s.instanceCount ? { instanceCount: s.instanceCount } : {}),
    ...(s.exception ? { exception: s.exception } : {}),
    frames: s.frames.map((f) => ({ file: f.file, ...(f.line !== undefined ? { line: f.line } : {}), ...(f.name ? { name: f.name } : {}), ...(f.local ? { local: f.local } : {}) })),
    ...(s.failing ? { failing: { file: s.failing.file, ...(s.failing.line !== undefined ? { line: s.failing.line } : {}), ...(s.failing.local ? { local: s.failing.local } : {}) } } : {}),
    ...(s.traceback?.kind === 'python' && s.traceback.chain.length ? { chain: s.traceback.chain.map((c) => ({ exception: c.message ? `${c.type}: ${c.message.split('\n')[0]}` : c.type, link: c.link })) } : {}),
    unknowns: s.unknowns,
  };
}

/** The most events read from the end of each stream (a traceback is at the end). */
const TAIL_EVENTS = 2000;

/**
 * Reads each instance's log of a job for the summary (DescribeLogStreams + GetLogEvents from the head, through the
 * LogsApiPort): the last `TAIL_EVENTS` events of each stream. Says why when there are none or they cannot be read.
 */
export async function readFailureLogs(api: LogsApiPort, jobName: string, signal?: AbortSignal): Promise<{ logs?: InstanceLog[]; problem?: LogsProblem }> {
  try {
    const streams = (await api.listStreams(PROCESSING_LOG_GROUP, `${jobName}/`, signal)).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (!streams.length) return { problem: { kind: 'noStreams' } };
    const logs: InstanceLog[] = [];
    for (const s of streams) {
      let events: RawLogEvent[] = [];
      let token: string | undefined;
      for (let page = 0; page < 50; page++) {
        const out = await api.getEvents(PROCESSING_LOG_GROUP, s.name, token, signal);
        events = events.concat(out.events);
        if (events.length > TAIL_EVENTS) events = events.slice(events.length - TAIL_EVENTS);
        if (!out.nextForwardToken || out.nextForwardToken === token || !out.events.length) break;
        token = out.nextForwardToken;
      }
      logs.push({ instance: instanceOf(s.name), stream: s.name, events });
    }
    return { logs };
  } catch (err) {
    const info = classifyAwsError(err);
    if (info.kind === 'aborted') throw err;
    return { problem: info.kind === 'accessDenied' ? { kind: 'accessDenied', detail: info.name || info.message } : { kind: 'error', detail: info.name ? `${info.name}: ${info.message}` : info.message } };
  }
}

/** The DescribeProcessingJob fields a cloud summary reads. */
export interface DescribedFailure {
  ProcessingJobName?: string;
  ProcessingJobStatus?: string;
  FailureReason?: string;
  ExitMessage?: string;
  ProcessingEndTime?: Date;
  ProcessingResources?: { ClusterConfig?: { InstanceCount?: number } };
}

/**
 * The summary of a described cloud job (undefined unless Failed or Stopped). The last log lines can reach CloudWatch a
 * little after the status says Failed: for a job that ended less than `settleMs` ago the logs are read again every
 * `retryMs` until two reads agree and, when the script failed, a traceback shows.
 */
export async function cloudJobSummary(
  api: LogsApiPort, d: DescribedFailure, mapPath: ((file: string) => string | undefined) | undefined,
  o: { now?: () => number; sleep?: (ms: number) => Promise<void>; settleMs?: number; retryMs?: number; signal?: AbortSignal } = {},
): Promise<FailureSummary | undefined> {
  const status = d.ProcessingJobStatus ?? '';
  const name = d.ProcessingJobName ?? '';
  if (status !== 'Failed' && status !== 'Stopped') return undefined;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ended = d.ProcessingEndTime ? new Date(d.ProcessingEndTime).getTime() : now();
  const build = (read: Awaited<ReturnType<typeof readFailureLogs>>) => buildFailureSummary({
    jobName: name, status, failureReason: d.FailureReason, exitMessage: d.ExitMessage,
    instanceCount: d.ProcessingResources?.ClusterConfig?.InstanceCount, logs: read.logs, logsProblem: read.problem, mapPath,
  });
  const events = (r: Awaited<ReturnType<typeof readFailureLogs>>) => (r.logs ?? []).reduce((n, l) => n + l.events.length, 0);
  const wantsTraceback = (x: FailureSummary) => status === 'Failed' && x.class.category === 'AlgorithmError' && !x.traceback && x.unknowns.length > 0;
  let read = await readFailureLogs(api, name, o.signal);
  let s = build(read);
  // A job that ended just now may still be writing its last lines (a traceback can arrive in parts): read again until
  // two reads agree (and, for a failed script, until a traceback shows), for at most settleMs after the end.
  while (now() - ended < (o.settleMs ?? 4000)) {
    await sleep(o.retryMs ?? 500);
    if (o.signal?.aborted) break;
    const next = await readFailureLogs(api, name, o.signal);
    const settled = events(next) === events(read);
    read = next;
    s = build(read);
    if (settled && !wantsTraceback(s)) break;
  }
  return s;
}
