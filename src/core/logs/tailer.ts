import { isTerminal } from '../jobs';
import { t } from '../l10n';
import { DEFAULT_POLL, IdleBackoff, isRetryableError, retryDelay, type PollPolicy } from './backoff';
import { LogMerger } from './merge';
import {
  GET_EVENTS_LIMIT, GET_EVENTS_MAX_BYTES, MAX_EVENT_BYTES, PROCESSING_LOG_GROUP, realClock,
  type Clock, type JobState, type JobStatusPort, type LogRecord, type LogsApiPort, type RawLogEvent,
} from './types';

/** UTF-8 length of a string without Buffer (core stays free of Node-only APIs where it costs nothing). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export interface TailerOptions {
  jobName: string;
  /** Log group (default /aws/sagemaker/ProcessingJobs). */
  group?: string;
  /** Keep tailing until the job ends (default true); false reads what is there once and stops. */
  follow?: boolean;
  /** How long events are held so streams read a little later can slot in (ms, default 300). */
  windowMs?: number;
  poll?: Partial<PollPolicy>;
  /** How often the job status is polled while it runs (ms, default 10000; at most once per round). */
  statusEveryMs?: number;
  /**
   * How often streams are looked for while the job runs and its instance count is unknown (ms, default 15000). With a
   * known count (DescribeProcessingJob's ProcessingResources, or `instanceCount`) discovery stops once every instance's
   * stream is found; until a first stream is found, and when the job status changes, it runs at once.
   */
  discoverEveryMs?: number;
  /** How often streams are looked for while some of a known instance count are missing (ms, default 4000). */
  discoverMissingEveryMs?: number;
  /** The job's instance count, when the caller knows it (default: from the job status, when it says). */
  instanceCount?: number;
  /** Events per GetLogEvents page (default 10,000, what src/aws/logs.ts asks for): a full page means read on now. */
  pageLimit?: number;
  /** Give up after this many consecutive retryable failures of one call (default 40). */
  maxRetries?: number;
  /** Drain rounds without new events after the job ended before stopping (default 2). */
  emptyRoundsToFinish?: number;
  /**
   * The final drain's quiet window (ms, default DRAIN_QUIET_MS = 20 s). CloudWatch Logs shows a line only once the
   * instance's log agent has shipped it, seconds after it was written, so lines keep arriving after the job is reported
   * ended. After the end the tailer keeps reading every stream (and looking for new streams) until nothing new has
   * come for this long, counted from the job's end and again from each late arrival.
   */
  drainQuietMs?: number;
  /** Upper bound of the final drain (ms from the round that saw the job ended; default DRAIN_MAX_MS = 2 min). */
  drainMaxMs?: number;
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

/** Default quiet window of the final drain: twice the 10 s the SageMaker Python SDK waits after the end. */
export const DRAIN_QUIET_MS = 20_000;
/** Default bound of the final drain, however long lines keep coming after the end. */
export const DRAIN_MAX_MS = 120_000;

interface StreamState {
  token?: string;
  /** Read to its end once (the backlog when tailing starts, or the stream's first events). */
  caughtUp?: boolean;
}

/**
 * Tails the log streams of one processing job: discovers `<job>/…` streams while the job runs, reads each with
 * GetLogEvents from the head following nextForwardToken, merges them in timestamp order within a short window, and
 * once the job is terminal keeps draining until no line or stream has arrived for a quiet window (DRAIN_QUIET_MS from
 * the job's end and from each late arrival, two empty rounds at least, DRAIN_MAX_MS at most). Failures that are worth retrying (after the SDK's own
 * retries) are retried here with jittered backoff from the saved tokens, so nothing is lost or repeated. `run` can be
 * called again after an abort and resumes where it stopped.
 *
 * API budget while following a running job (see DEFAULT_POLL): one round per 2 s while lines flow (up to 4 s idle),
 * each reading every stream with one GetLogEvents call unless the page came back full (then the next page at once: a
 * backlog is read to its end in the same round, as is each stream the first time); the job status every 10 s; stream
 * discovery only until every instance's stream is known (count unknown: every 15 s, and once when the status changes).
 * Once the job ended, every round reads every stream to its end: 100 ms apart while they bring lines (a finished job's
 * backlog drains at full speed), 2 s apart while waiting out the quiet window (one GetLogEvents per stream per round,
 * and stream discovery every 4 s: about 10 rounds for a job that just ended, none for one that ended long ago).
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
    if ((opts.instanceCount ?? 0) > 1) this.multi = true;
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
    if (this.running) throw new Error(t('Already reading the logs of {0}.', this.opts.jobName));
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

  /** The instance count, when known: every stream is found once there are that many. */
  private expectedStreams(): number | undefined {
    const n = this.opts.instanceCount ?? this.job?.instanceCount;
    return n !== undefined && n > 0 ? n : undefined;
  }

  /** Whether to look for new streams in this round of a running job. */
  private shouldDiscover(sinceLast: number, statusChanged: boolean): boolean {
    if (this.streams.size === 0 || statusChanged) return true;
    const expected = this.expectedStreams();
    if (expected === undefined) return sinceLast >= (this.opts.discoverEveryMs ?? 15_000);
    if (this.streams.size >= expected) return false;
    return sinceLast >= (this.opts.discoverMissingEveryMs ?? 4000);
  }

  private async loop(signal?: AbortSignal): Promise<JobState | undefined> {
    const follow = this.opts.follow ?? true;
    const statusEvery = this.opts.statusEveryMs ?? 10_000;
    const needEmpty = this.opts.emptyRoundsToFinish ?? 2;
    const idle = new IdleBackoff(this.policy);
    let lastStatus = Number.NEGATIVE_INFINITY;
    let lastDiscover = Number.NEGATIVE_INFINITY;
    let empty = 0;
    const quietMs = this.opts.drainQuietMs ?? DRAIN_QUIET_MS;
    const maxDrainMs = this.opts.drainMaxMs ?? DRAIN_MAX_MS;
    let drainStart: number | undefined;
    let quietFrom = 0;
    let sawRunning = false;
    while (!signal?.aborted) {
      this.stats.rounds++;
      const roundStart = this.clock.now();
      let terminal = this.job ? isTerminal(this.job.status) : false;
      let justEnded = false;
      let statusChanged = false;
      if (!terminal && (roundStart - lastStatus >= statusEvery || !follow)) {
        const before = this.job?.status;
        this.job = await this.retrying(() => {
          this.stats.describeJobCalls++;
          return this.status.describe(this.opts.jobName, signal);
        }, signal);
        lastStatus = roundStart; // a steady cadence: every statusEvery from the rounds' starts
        terminal = isTerminal(this.job.status);
        justEnded = terminal;
        if (!terminal) sawRunning = true;
        statusChanged = before !== undefined && before !== this.job.status;
        if ((this.job.instanceCount ?? 0) > 1) this.multi = true;
      }
      let newStreams = 0;
      // After the end, streams may still appear (an instance whose agent ships late): looked for at the end, then
      // every discoverMissingEveryMs while the drain waits.
      const sinceDiscover = this.clock.now() - lastDiscover;
      const drainDiscover = terminal && (drainStart === undefined || sinceDiscover >= (this.opts.discoverMissingEveryMs ?? 4000));
      if (justEnded || drainDiscover || !follow || (!terminal && this.shouldDiscover(sinceDiscover, statusChanged))) {
        newStreams = await this.discover(signal);
        lastDiscover = this.clock.now();
      }
      // Live rounds read one page per stream unless it came back full; after the end (or once) to every stream's end.
      const got = await this.readAll(follow && !terminal, signal);
      if (signal?.aborted) break;
      this.emit(this.merger.release(this.clock.now()));
      if (!follow) {
        this.emit(this.merger.flush());
        if (terminal) this.finished = true;
        return this.job;
      }
      let interval: number;
      if (terminal) {
        const arrived = got > 0 || newStreams > 0;
        if (drainStart === undefined) {
          // The end: when this tail saw the job running, the round that first saw it ended (never earlier than the
          // real end, whatever the clocks say); for a job already ended at the first look, its ProcessingEndTime (a
          // job that ended long ago needs no wait for late lines), never later than now.
          drainStart = roundStart;
          const end = this.job?.endTime?.getTime();
          quietFrom = sawRunning || end === undefined || Number.isNaN(end) ? roundStart : Math.min(end, roundStart);
        } else if (arrived) {
          quietFrom = roundStart; // a late arrival: wait a whole window again after it
        }
        empty = arrived ? 0 : empty + 1;
        const quietUntil = quietFrom + quietMs;
        if ((empty >= needEmpty && roundStart >= quietUntil) || roundStart - drainStart >= maxDrainMs) {
          this.emit(this.merger.flush());
          this.finished = true;
          return this.job;
        }
        // Each round reads every stream to its end, so a round that brought lines needs no quick follow-up while the
        // window is still open; once it has passed, two quick empty rounds confirm the end.
        interval = roundStart >= quietUntil ? this.policy.drainMs
          : Math.min(this.policy.drainIdleMs, Math.max(this.policy.drainMs, quietUntil - roundStart));
      } else {
        interval = idle.next(got > 0 || newStreams > 0);
      }
      // The next round starts `interval` after this one started; meanwhile held events are released as their window
      // passes, without calling the API.
      const nextRound = roundStart + interval;
      for (let now = this.clock.now(); now < nextRound && !signal?.aborted; now = this.clock.now()) {
        const due = this.merger.dueIn(now);
        await this.clock.sleep(due === undefined ? nextRound - now : Math.min(nextRound - now, Math.max(due, 10)), signal);
        this.emit(this.merger.release(this.clock.now()));
      }
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

  /**
   * Reads every stream (in parallel, pages in order); returns how many events came. `live`: one page per stream, and
   * more only while pages come back full, so a short page waits for the next round (nothing is lost: the token stays);
   * otherwise, and for a stream not yet read to its end once, to its current end (the same token back).
   */
  private async readAll(live: boolean, signal?: AbortSignal): Promise<number> {
    const counts = await Promise.all([...this.streams.entries()].map(([name, st]) => this.readStream(name, st, live && !!st.caughtUp, signal)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async readStream(name: string, st: StreamState, live: boolean, signal?: AbortSignal): Promise<number> {
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
      if (!page.events.length) {
        if (before === undefined || ++emptyMoves >= 5) break;
      } else if (live && !this.mayHaveMore(page.events)) break;
    }
    // Read to its end once (or found empty): from now on live rounds read it a page at a time.
    if (!signal?.aborted) st.caughtUp = true;
    return n;
  }

  /** Whether a page came back full (by count, or by size: too close to 1 MB for another event to have fitted). */
  private mayHaveMore(events: readonly RawLogEvent[]): boolean {
    if (events.length >= (this.opts.pageLimit ?? GET_EVENTS_LIMIT)) return true;
    const room = GET_EVENTS_MAX_BYTES - MAX_EVENT_BYTES;
    let chars = 0;
    for (const e of events) chars += e.message.length + 26;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: count bytes exactly only when that bound could reach the room.
    if (chars * 3 < room) return false;
    let bytes = 0;
    for (const e of events) bytes += utf8Length(e.message) + 26;
    return bytes >= room;
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
