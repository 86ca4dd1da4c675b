import * as vscode from 'vscode';
import { formatJobDuration, formatRelative, sortNewestFirst, statusText } from '../core/jobs';
import { formatRecords, formatSummary } from '../core/logs/format';
import { statusPortFrom } from '../core/logs/run';
import { JobLogFollower } from '../core/logs/follow';
import type { LiveTailPort, LogsApiPort } from '../core/logs/types';
import { explainAwsError } from '../aws/errors';
import type { CommandFactory } from './commands';
import type { JobLogSink } from './types';
import type { Ctx } from './context';
import { setting } from './settings';
import { t } from './l10n';

interface Entry {
  name: string;
  channel: vscode.OutputChannel;
  /** Lines written to the channel so far (tests and callers can check what is shown). */
  lines: number;
  buffer: string[];
  timer?: NodeJS.Timeout;
  /** Local runs write their own lines; they are never tailed from CloudWatch. */
  local: boolean;
  tailer?: JobLogFollower;
  abort?: AbortController;
  tailing?: Promise<void>;
  disposed: boolean;
}

/** `SageMaker: <job name>`: the title of a job's log channel. */
export function channelTitle(jobName: string): string {
  return `SageMaker: ${jobName}`;
}

/**
 * One output channel per job (`SageMaker: <job name>`), at most `sagemakerProcessing.logs.maxOpenChannels` of them
 * (the least recently used is closed first, which stops its tailing). Cloud jobs are tailed from CloudWatch Logs with
 * the core LogTailer; local runs write their container output with `appendLines`. Reopening a job's logs shows the
 * same channel and resumes from where the tailer stopped, so no line appears twice.
 */
export class JobLogChannels implements vscode.Disposable, JobLogSink {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ctx: Ctx) {}

  has(jobName: string): boolean {
    return this.entries.has(jobName);
  }

  /** How many lines the job's channel shows (0 when it has none). */
  lineCount(jobName: string): number {
    const e = this.entries.get(jobName);
    return e ? e.lines + e.buffer.length : 0;
  }

  /** Whether the job's logs are being tailed right now. */
  isTailing(jobName: string): boolean {
    return !!this.entries.get(jobName)?.tailing;
  }

  /** Appends lines to a job's channel (creating it); for local runs' container stdout/stderr. */
  appendLines(jobName: string, lines: readonly string[]): void {
    const e = this.entry(jobName, true);
    this.write(e, lines);
  }

  private readonly endBlocks = new Map<string, readonly string[]>();

  /** Lines for the end of a job's channel (the failure summary): now when its output is complete, else when its tailing ends. */
  appendAtEnd(jobName: string, lines: readonly string[], local: boolean): void {
    const e = this.entries.get(jobName);
    if (local || (e && !e.tailing && e.tailer?.finished)) this.appendLines(jobName, lines);
    else this.endBlocks.set(jobName, lines);
  }

  /** Shows the job's channel in the output panel (creating an empty one if needed). */
  show(jobName: string, preserveFocus = true): void {
    const e = this.entry(jobName, this.entries.get(jobName)?.local ?? false);
    this.flush(e);
    e.channel.show(preserveFocus);
  }

  /** Shows a cloud job's channel and tails its CloudWatch logs until the job ends (no-op when already tailing/done). */
  open(jobName: string, preserveFocus = true): Promise<void> {
    const e = this.entry(jobName, false);
    e.channel.show(preserveFocus);
    if (e.local) return Promise.resolve();
    return this.startTailing(e);
  }

  /** Stops tailing a job (its channel stays). */
  stop(jobName: string): void {
    this.entries.get(jobName)?.abort?.abort();
  }

  /** Closes a job's channel and stops its tailing. */
  close(jobName: string): void {
    const e = this.entries.get(jobName);
    if (!e) return;
    this.entries.delete(jobName);
    this.disposeEntry(e);
  }

  dispose(): void {
    for (const e of this.entries.values()) this.disposeEntry(e);
    this.entries.clear();
  }

  private entry(jobName: string, local: boolean): Entry {
    let e = this.entries.get(jobName);
    if (e) {
      // Most recently used last.
      this.entries.delete(jobName);
      this.entries.set(jobName, e);
      return e;
    }
    e = { name: jobName, channel: vscode.window.createOutputChannel(channelTitle(jobName), 'log'), lines: 0, buffer: [], local, disposed: false };
    this.entries.set(jobName, e);
    const max = Math.max(1, Math.floor(setting<number>('logs.maxOpenChannels', 5)));
    for (const [name, old] of this.entries) {
      if (this.entries.size <= max) break;
      if (old === e) continue;
      this.entries.delete(name);
      this.disposeEntry(old);
    }
    return e;
  }

  private startTailing(e: Entry): Promise<void> {
    if (e.tailing) return e.tailing;
    if (e.tailer?.finished) return Promise.resolve();
    const abort = new AbortController();
    e.abort = abort;
    const run = async () => {
      try {
        if (!e.tailer) {
          // The clients are looked up on every call, so a profile/region switch does not leave the tailer on stale ones.
          const aws = this.ctx.aws;
          const logs: LogsApiPort & LiveTailPort = {
            listStreams: async (group, prefix, signal) => (await aws.logs()).listStreams(group, prefix, signal),
            getEvents: async (group, stream, token, signal) => (await aws.logs()).getEvents(group, stream, token, signal),
            startLiveTail: async (group, prefixes, signal) => (await aws.logs()).startLiveTail(group, prefixes, signal),
            filterEvents: async (group, prefix, start, token, signal) => (await aws.logs()).filterEvents(group, prefix, start, token, signal),
          };
          const sm = { describeProcessingJob: async (name: string, signal?: AbortSignal) => (await aws.sagemaker()).describeProcessingJob(name, signal) };
          e.tailer = new JobLogFollower(logs, statusPortFrom(sm), {
            jobName: e.name,
            liveTail: setting('logs.liveTail', true),
            onMode: (_mode, line) => {
              this.write(e, [`--- ${line} ---`]);
              this.ctx.log.info(`${e.name}: ${line}`);
            },
            onRecords: (records, info) => this.write(e, formatRecords(records, { instancePrefix: info.multiInstance, timestamps: setting('logs.timestamps', false) })),
            onRetry: (err, delay) => this.ctx.log.warn(t('Logs of {0}: {1} (retrying in {2} ms)', e.name, explainAwsError(err), delay)),
          });
        }
        const state = await e.tailer.run(abort.signal);
        if (state && !e.disposed) this.write(e, [formatSummary(e.name, state), ...(e.tailer.finished ? this.endBlocks.get(e.name) ?? [] : [])]);
      } catch (err) {
        const msg = explainAwsError(err);
        this.ctx.log.error(t('Logs of {0}: {1}', e.name, msg));
        if (!e.disposed) this.write(e, [t('--- Stopped reading the logs: {0} (Show Logs again to resume) ---', msg)]);
      } finally {
        e.tailing = undefined;
        e.abort = undefined;
        if (!e.disposed) this.flush(e);
      }
    };
    e.tailing = run();
    return e.tailing;
  }

  private write(e: Entry, lines: readonly string[]): void {
    if (e.disposed || !lines.length) return;
    for (const l of lines) e.buffer.push(l);
    if (e.buffer.length >= 5000) this.flush(e);
    else e.timer ??= setTimeout(() => this.flush(e), 50);
  }

  private flush(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    if (e.disposed || !e.buffer.length) return;
    const text = e.buffer.join('\n') + '\n';
    e.lines += e.buffer.length;
    e.buffer = [];
    e.channel.append(text);
  }

  private disposeEntry(e: Entry): void {
    e.abort?.abort();
    e.disposed = true;
    if (e.timer) clearTimeout(e.timer);
    e.channel.dispose();
  }
}

/** The job log channels of this extension instance (created on first use, disposed with the Ctx). */
export function jobLogChannels(ctx: Ctx): JobLogChannels {
  return ctx.single(JobLogChannels, () => new JobLogChannels(ctx));
}

type ShowLogsArg = string | { kind?: string; job?: { name: string }; local?: boolean } | undefined;

async function pickRecentJob(ctx: Ctx): Promise<string | undefined> {
  const items = (async () => {
    try {
      const page = await (await ctx.aws.sagemaker()).listProcessingJobs({}, undefined, 50);
      const now = new Date();
      return sortNewestFirst(page.jobs).map((j) => ({
        label: j.name,
        description: [statusText(j.status), formatRelative(j.creationTime, now), formatJobDuration(j)].filter(Boolean).join(' · '),
      }));
    } catch (err) {
      void vscode.window.showErrorMessage(t('Cannot list processing jobs: {0}', explainAwsError(err)));
      return [];
    }
  })();
  const pick = await vscode.window.showQuickPick(items, { title: t('Show Logs of a Processing Job'), placeHolder: t('Recent processing jobs, newest first'), matchOnDescription: true });
  return pick?.label;
}

/** The "Show Logs" command: a tree node `{kind:'job', job}`, a job name, or (none) a quick pick of recent jobs. */
export const logCommands: Record<string, CommandFactory> = {
  showLogs: (ctx) => {
    const logs = jobLogChannels(ctx);
    return async (arg?: ShowLogsArg) => {
      const name = typeof arg === 'string' ? arg : arg?.job?.name ?? (await pickRecentJob(ctx));
      if (!name) return;
      // A local run's channel holds its container output; only cloud jobs are tailed from CloudWatch.
      if (typeof arg === 'object' && arg.local) logs.show(name, true);
      else void logs.open(name);
    };
  },
};
