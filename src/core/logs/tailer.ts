import { isTerminal } from '../jobs';
import { DEFAULT_POLL, IdleBackoff, isRetryableError, retryDelay, type PollPolicy } from './backoff';
import { LogMerger } from './merge';
import { PROCESSING_LOG_GROUP, realClock, type Clock, type JobState, type JobStatusPort, type LogRecord, type LogsApiPort } from './types';

export interface TailerOptions {
  jobName: string;
  /** Log group (default /aws/sagemaker/ProcessingJobs). */
  group?: string;
  /** Keep tailing until the job ends (default true); false reads what is there once and stops. */
  follow?: boolean;
  /** How long events are held so streams read a little later can slot in (ms, default 300). */
  windowMs?: number;
  poll?: Partial<PollPolicy>;
  /** How often the job status is polled while it runs (ms, default 5000). */
  statusEveryMs?: number;
  /** How often new streams are looked for while the job runs and streams exist (ms, default 3000). */
  discoverEveryMs?: number;
  /** Give up after this many consecutive retryable failures of one call (default 40). */
  maxRetries?: number;
  /** Drain rounds without new events after the job ended before stopping (default 2). */
  emptyRoundsToFinish?: number;
  clock?: Clock;
  random?: () => number;
  /** Merged events, in order, as they become ready. */
  onRecords: (records: LogRecord[], info: { multiInstance: boolean }) => void;
  /** A retryable failure; the tailer waits `delayMs` and resumes from the saved tokens. */
  onRetry?: (err: unknown, delayMs: number, attempt: number) => void;
}

export interface TailerStats {
  events: number;
  getEventsCalls: number;
  describeStreamsCalls: number;
  describeJobCalls: number;
  retries: number;
  rounds: number;
}

interface StreamState {
  token?: string;
}

/**
 * Tails the log streams of one processing job: discovers `<job>/…` streams while the job runs, reads each with
 * GetLogEvents from the head following nextForwardToken, merges them in timestamp order within a short window, and
 * once the job is terminal drains until two empty rounds. Failures that are worth retrying (after the SDK's own
 * retries) are retried here with jittered backoff from the saved tokens, so nothing is lost or repeated. `run` can be
 * called again after an abort and resumes where it stopped.
 */
export class LogTailer {
  readonly stats: TailerStats = { events: 0, getEventsCalls: 0, describeStreamsCalls: 0, describeJobCalls: 0, retries: 0, rounds: 0 };
  private readonly streams = new Map<string, StreamState>();
  private readonly merger: LogMerger;
  private readonly clock: Clock;
  private readonly policy: PollPolicy;
  private readonly group: string;
  private running = false;
  private multi = false;
  private job?: JobState;
  /** True once the job ended and every event was delivered. */
  finished = false;

  constructor(private readonly logs: LogsApiPort, private readonly status: JobStatusPort, private readonly opts: TailerOptions) {
    this.clock = opts.clock ?? realClock;
    this.policy = { ...DEFAULT_POLL, ...opts.poll };
    this.group = opts.group ?? PROCESSING_LOG_GROUP;
    this.merger = new LogMerger(opts.windowMs ?? 300);
  }

  /** The last job state seen. */
  get jobState(): JobState | undefined {
    return this.job;
  }

  get streamNames(): string[] {
    return [...this.streams.keys()];
  }

  /**
   * Tails until the job ended and everything was shown (resolves with its final state), or until the signal aborts
   * (resolves with undefined; state is kept for a later `run`). Rejects on a failure that is not worth retrying.
   */
  async run(signal?: AbortSignal): Promise<JobState | undefined> {
    if (this.finished) return this.job;
    if (this.running) throw new Error(`already tailing ${this.opts.jobName}`);
    this.running = true;
    try {
      return await this.loop(signal);
    } catch (err) {
      if (signal?.aborted) return undefined;
      throw err;
    } finally {
      this.running = false;
    }
  }

  private async loop(signal?: AbortSignal): Promise<JobState | undefined> {
    const follow = this.opts.follow ?? true;
    const statusEvery = this.opts.statusEveryMs ?? 5000;
    const discoverEvery = this.opts.discoverEveryMs ?? 3000;
    const needEmpty = this.opts.emptyRoundsToFinish ?? 2;
    const idle = new IdleBackoff(this.policy);
    let lastStatus = Number.NEGATIVE_INFINITY;
    let lastDiscover = Number.NEGATIVE_INFINITY;
    let empty = 0;
    while (!signal?.aborted) {
      this.stats.rounds++;
      let terminal = this.job ? isTerminal(this.job.status) : false;
      let justEnded = false;
      if (!terminal && (this.clock.now() - lastStatus >= statusEvery || !follow)) {
        this.job = await this.retrying(() => {
          this.stats.describeJobCalls++;
          return this.status.describe(this.opts.jobName, signal);
        }, signal);
        lastStatus = this.clock.now();
        terminal = isTerminal(this.job.status);
        justEnded = terminal;
        if ((this.job.instanceCount ?? 0) > 1) this.multi = true;
      }
      let newStreams = 0;
      if (terminal || justEnded || !follow || this.streams.size === 0 || this.clock.now() - lastDiscover >= discoverEvery) {
        newStreams = await this.discover(signal);
        lastDiscover = this.clock.now();
      }
      const got = await this.readAll(signal);
      if (signal?.aborted) break;
      this.emit(this.merger.release(this.clock.now()));
      if (!follow) {
        this.emit(this.merger.flush());
        if (terminal) this.finished = true;
        return this.job;
      }
      if (terminal) {
        empty = got === 0 && newStreams === 0 ? empty + 1 : 0;
        if (empty >= needEmpty) {
          this.emit(this.merger.flush());
          this.finished = true;
          return this.job;
        }
      }
      let delay = terminal ? this.policy.activeMs : idle.next(got > 0 || newStreams > 0);
      const due = this.merger.dueIn(this.clock.now());
      if (due !== undefined) delay = Math.min(delay, Math.max(due, 10));
      await this.clock.sleep(delay, signal);
    }
    return undefined;
  }

  private emit(records: LogRecord[]): void {
    if (!records.length) return;
    this.stats.events += records.length;
    this.opts.onRecords(records, { multiInstance: this.multi });
  }

  private async discover(signal?: AbortSignal): Promise<number> {
    const found = await this.retrying(() => {
      this.stats.describeStreamsCalls++;
      return this.logs.listStreams(this.group, `${this.opts.jobName}/`, signal);
    }, signal);
    let added = 0;
    for (const s of found) {
      if (!this.streams.has(s.name)) {
        this.streams.set(s.name, {});
        added++;
      }
    }
    if (this.streams.size > 1) this.multi = true;
    return added;
  }

  /** Reads every stream to its current end (streams in parallel, pages in order); returns how many events came. */
  private async readAll(signal?: AbortSignal): Promise<number> {
    const counts = await Promise.all([...this.streams.entries()].map(([name, st]) => this.readStream(name, st, signal)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async readStream(name: string, st: StreamState, signal?: AbortSignal): Promise<number> {
    let n = 0;
    let emptyMoves = 0;
    while (!signal?.aborted) {
      const before = st.token;
      const page = await this.retrying(() => {
        this.stats.getEventsCalls++;
        return this.logs.getEvents(this.group, name, before, signal);
      }, signal);
      // Only after a successful call do the events count and the token move: a retry asks for the same page again.
      if (page.events.length) this.merger.add(name, page.events, this.clock.now());
      n += page.events.length;
      const next = page.nextForwardToken ?? before;
      st.token = next;
      if (next === before) break; // the same token back: nothing more for now
      if (!page.events.length && (before === undefined || ++emptyMoves >= 5)) break;
    }
    return n;
  }

  private async retrying<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const max = this.opts.maxRetries ?? 40;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (signal?.aborted || !isRetryableError(err) || attempt > max) throw err;
        const delay = retryDelay(attempt, this.policy, this.opts.random);
        this.stats.retries++;
        this.opts.onRetry?.(err, delay, attempt);
        await this.clock.sleep(delay, signal);
        if (signal?.aborted) throw err;
      }
    }
  }
}
