import { classifyAwsError } from '../awsErrors';
import { isTerminal } from '../jobs';
import { t } from '../l10n';
import { DEFAULT_POLL, isRetryableError, retryDelay } from './backoff';
import { LogMerger } from './merge';
import { DRAIN_MAX_MS, DRAIN_QUIET_MS, LogTailer, type TailerOptions } from './tailer';
import {
  PROCESSING_LOG_GROUP, realClock,
  type Clock, type JobState, type JobStatusPort, type LiveTailMessage, type LiveTailPort, type LogRecord, type LogsApiPort, type StreamEvent,
} from './types';

/** How a followed job's lines are read: pushed by a Live Tail session, or polled with FilterLogEvents. */
export type LogMode = 'live' | 'polling';

export interface FollowOptions extends Omit<TailerOptions, 'onRecords'> {
  /** Try Live Tail first (default true; the setting `sagemakerProcessing.logs.liveTail`, the CLI's --no-live-tail). */
  liveTail?: boolean;
  /** Said once when following a running job starts: the mode and why (already localized). */
  onMode?: (mode: LogMode, line: string) => void;
  onRecords: (records: LogRecord[], info: { multiInstance: boolean }) => void;
  /** Job status cadence while a Live Tail session runs (ms, default 60 s: the session itself needs no polling). */
  liveStatusEveryMs?: number;
  /** Job status cadence of the polling mode (ms, default 60 s). */
  pollStatusEveryMs?: number;
  /**
   * A job that stops printing may have ended: once no line has come for this long (ms, default 5 s) after lines came
   * since the last status, the status is asked for sooner than the cadence above; such early asks back off (5, 10, 20,
   * 40 s, … up to the cadence) as long as they find the job still running.
   */
  statusQuietMs?: number;
  /** Polling mode: one FilterLogEvents round every this many ms while lines come (default 2000), idle up to 4 s. */
  pollActiveMs?: number;
  pollIdleMaxMs?: number;
  /**
   * How far back (ms of event timestamps) each polling round and each gap backfill reads again, so a line that
   * reached CloudWatch later than its timestamp is still found (default 30 s); duplicates are dropped.
   */
  lookbackMs?: number;
}

export interface FollowStats {
  events: number;
  describeJobCalls: number;
  liveTailCalls: number;
  filterCalls: number;
  sessions: number;
  backfills: number;
  sampledUpdates: number;
  duplicatesDropped: number;
  retries: number;
}

/** Why Live Tail cannot be used here (the endpoint lacks it, no permission), or undefined when worth retrying. */
export function liveTailRefusal(err: unknown): string | undefined {
  const c = classifyAwsError(err);
  if (c.kind === 'accessDenied') return t('no permission for logs:StartLiveTail');
  if (isRetryableError(err)) return undefined;
  const text = `${c.name} ${c.message}`;
  if (c.status === 404 || c.status === 400 || c.status === 501 || /UnknownOperation|UnsupportedOperation|NotImplemented|not (yet )?implemented|not supported|unknown operation|InvalidAction/i.test(text)
    || c.kind === 'validation' || c.kind === 'notFound' || c.kind === 'other') {
    return t('this endpoint does not offer StartLiveTail');
  }
  return undefined;
}

/** The log group's ARN from the job's ARN (same partition, region and account), or the bare name. */
export function logGroupArn(jobArn: string | undefined, group: string): string {
  const m = jobArn ? /^arn:([^:]+):sagemaker:([^:]+):(\d+):/.exec(jobArn) : null;
  return m ? `arn:${m[1]}:logs:${m[2]}:${m[3]}:log-group:${group}` : group;
}

/**
 * Exactly-once delivery over overlapping reads: an event is known by (stream, timestamp, message) with a count, so
 * two identical lines of one stream in the same millisecond are both kept. Each read (a Live Tail session, one
 * FilterLogEvents window read to its end) counts its own occurrences; an occurrence is new when that count passes
 * the count already shown.
 */
export class EventDeduper {
  private shown = new Map<string, number>();
  private oldest = Number.POSITIVE_INFINITY;
  dropped = 0;

  static key(e: StreamEvent): string {
    return `${e.stream}\u0000${e.timestamp}\u0000${e.message}`;
  }

  /** The events of `batch` not shown yet; `source` holds the counts of the read they come from. */
  accept(batch: readonly StreamEvent[], source: Map<string, number>): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const e of batch) {
      const k = EventDeduper.key(e);
      const c = (source.get(k) ?? 0) + 1;
      source.set(k, c);
      if (c > (this.shown.get(k) ?? 0)) {
        this.shown.set(k, c);
        if (e.timestamp < this.oldest) this.oldest = e.timestamp;
        out.push(e);
      } else this.dropped++;
    }
    return out;
  }

  /** Forgets events older than `horizon` (reads never reach back that far again). */
  prune(horizon: number, ...sources: Map<string, number>[]): void {
    if (this.oldest >= horizon) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const m of [this.shown, ...sources]) {
      for (const k of m.keys()) {
        const ts = Number(k.split('\u0000', 2)[1]);
        if (ts < horizon) m.delete(k);
        else if (m === this.shown && ts < oldest) oldest = ts;
      }
    }
    this.oldest = oldest;
  }

  get size(): number {
    return this.shown.size;
  }
}

class RefusedError extends Error {}

/** How long before the job's creation its first read starts (see firstStart). */
export const FIRST_READ_BEFORE_CREATION_MS = 3_600_000;

/**
 * Follows one processing job's logs. A running job is followed with one CloudWatch Logs Live Tail session (log group
 * /aws/sagemaker/ProcessingJobs, prefix `<job>/`: every instance), lines written before it started are backfilled once
 * with FilterLogEvents (from the job's creation), and a dropped stream, the session's end (SessionTimeoutException,
 * 3 h) or a sampled update is followed by a reconnect and a FilterLogEvents backfill of the gap, deduplicated so each
 * line is written once. The job status is asked for every 60 s, sooner (backing off) once lines stop coming; after its end the session stays open for the late-line drain (quiet window as the
 * tailer's), then one last FilterLogEvents sweep. Without Live Tail (setting off, AccessDenied, an endpoint without
 * the API) it polls: one FilterLogEvents per round for all streams, every 2 s while lines come, up to 4 s idle. A job
 * already ended, and `follow: false`, are read with the per-stream LogTailer.
 */
export class JobLogFollower {
  readonly stats: FollowStats = { events: 0, describeJobCalls: 0, liveTailCalls: 0, filterCalls: 0, sessions: 0, backfills: 0, sampledUpdates: 0, duplicatesDropped: 0, retries: 0 };
  mode?: LogMode;
  finished = false;
  private job?: JobState;
  private tailer?: LogTailer;
  private readonly clock: Clock;
  private readonly group: string;
  private readonly prefix: string;
  private readonly dedupe = new EventDeduper();
  private readonly merger = new LogMerger(0);
  private readonly streams = new Set<string>();
  private running = false;
  private said = false;
  private lastStatus = Number.NEGATIVE_INFINITY;
  /** When the last new line was delivered (clock time). */
  private lastLineAt = Number.NEGATIVE_INFINITY;
  /** The least time between two early (quiet) status asks; doubles each time one finds the job running. */
  private quietGap = 0;
  /** Events older than this were forgotten by the deduper: no read reaches back before it. */
  private horizon = 0;
  /** The newest event timestamp seen. */
  private newest = 0;

  constructor(private readonly logs: LogsApiPort & Partial<LiveTailPort>, private readonly status: JobStatusPort, private readonly opts: FollowOptions) {
    this.clock = opts.clock ?? realClock;
    this.group = opts.group ?? PROCESSING_LOG_GROUP;
    this.prefix = `${opts.jobName}/`;
  }

  get jobState(): JobState | undefined {
    return this.tailer?.jobState ?? this.job;
  }

  async run(signal?: AbortSignal): Promise<JobState | undefined> {
    if (this.finished) return this.jobState;
    if (this.running) throw new Error(t('Already reading the logs of {0}.', this.opts.jobName));
    this.running = true;
    try {
      if (this.tailer) return await this.runTailer(signal);
      if (this.opts.follow === false) return await this.runTailer(signal);
      if (!this.job) this.job = await this.describe(signal);
      if (isTerminal(this.job.status) && !this.mode) return await this.runTailer(signal);
      const api = this.logs;
      if (!api.filterEvents || !api.startLiveTail) return await this.runTailer(signal);
      if (this.mode !== 'polling' && this.opts.liveTail !== false) {
        try {
          return await this.runLive(signal);
        } catch (err) {
          if (!(err instanceof RefusedError)) throw err;
          this.say('polling', t('Live logs: polling CloudWatch Logs (Live Tail not used: {0}).', err.message));
        }
      } else {
        this.say('polling', t('Live logs: polling CloudWatch Logs (Live Tail is off: {0}).', 'sagemakerProcessing.logs.liveTail'));
      }
      return await this.runPolling(signal);
    } catch (err) {
      if (signal?.aborted) return undefined;
      throw err;
    } finally {
      this.running = false;
    }
  }

  private say(mode: LogMode, line: string): void {
    this.mode = mode;
    if (this.said) return;
    this.said = true;
    this.opts.onMode?.(mode, line);
  }

  private sayLive(): void {
    this.say('live', t('Live logs: CloudWatch Logs Live Tail (lines within about a second).'));
  }

  /** The per-stream tailer (a finished job, `follow: false`, or an endpoint without FilterLogEvents). */
  private async runTailer(signal?: AbortSignal): Promise<JobState | undefined> {
    this.tailer ??= new LogTailer(this.logs, this.status, { ...this.opts });
    const state = await this.tailer.run(signal);
    this.finished = this.tailer.finished;
    this.stats.events = this.tailer.stats.events;
    return state;
  }

  private async describe(signal?: AbortSignal): Promise<JobState> {
    const s = await this.retrying(() => {
      this.stats.describeJobCalls++;
      return this.status.describe(this.opts.jobName, signal);
    }, signal);
    this.lastStatus = this.clock.now();
    return s;
  }

  private get multi(): boolean {
    return (this.opts.instanceCount ?? this.job?.instanceCount ?? 0) > 1 || this.streams.size > 1;
  }

  /** Deduplicated events into the merged order, written at once (one read covers every stream). */
  private deliver(events: readonly StreamEvent[], source: Map<string, number>): number {
    for (const e of events) if (e.timestamp > this.newest) this.newest = e.timestamp;
    const fresh = this.dedupe.accept(events, source);
    this.stats.duplicatesDropped = this.dedupe.dropped;
    if (!fresh.length) return 0;
    const byStream = new Map<string, StreamEvent[]>();
    for (const e of fresh) {
      this.streams.add(e.stream);
      let b = byStream.get(e.stream);
      if (!b) byStream.set(e.stream, (b = []));
      b.push(e);
    }
    const now = this.clock.now();
    this.lastLineAt = now;
    for (const [s, evs] of byStream) this.merger.add(s, evs, now);
    const recs = this.merger.flush();
    this.stats.events += recs.length;
    this.opts.onRecords(recs, { multiInstance: this.multi });
    return fresh.length;
  }

  /** Reads every page of FilterLogEvents from startTime and delivers what is new; returns how many were new. */
  private async sweep(startTime: number | undefined, signal?: AbortSignal): Promise<number> {
    const source = new Map<string, number>();
    let token: string | undefined;
    let n = 0;
    const all: StreamEvent[] = [];
    for (let pages = 0; !signal?.aborted; pages++) {
      const before = token;
      const page = await this.retrying(() => {
        this.stats.filterCalls++;
        return this.logs.filterEvents!(this.group, this.prefix, this.notBeforeHorizon(startTime), before, signal);
      }, signal);
      all.push(...page.events);
      token = page.nextToken;
      if (!token || token === before) break;
    }
    // Delivered once every page is in: pages need not be in time order across streams.
    n += this.deliver(all, source);
    return n;
  }

  /**
   * Where a first read starts: an hour before the job was created (its lines cannot be older; the hour covers an
   * instance's clock being off), or the beginning. With AWS the stream prefix already limits the read to the job's
   * lines; an endpoint that ignores the prefix (moto) would otherwise page through the whole log group's history.
   */
  private firstStart(): number | undefined {
    const c = this.job?.creationTime?.getTime();
    return c !== undefined && !Number.isNaN(c) ? Math.max(0, c - FIRST_READ_BEFORE_CREATION_MS) : undefined;
  }

  private lookback(): number {
    return this.opts.lookbackMs ?? 30_000;
  }

  /**
   * When the job status is due next (clock time): the cadence after the last ask, or sooner once lines stopped coming
   * (quiet for statusQuietMs after lines came since the last ask), no sooner than quietGap after the last ask.
   */
  private statusDue(statusEvery: number): number {
    const regular = this.lastStatus + statusEvery;
    const quietMs = this.opts.statusQuietMs ?? 5000;
    if (!this.quietGap) {
      if (this.lastLineAt <= this.lastStatus) return regular;
      this.quietGap = quietMs;
    }
    // Lines came since the last ask: once they stopped for quietMs. None since an early ask: the backed-off gap.
    const afterLines = this.lastLineAt > this.lastStatus ? this.lastLineAt + quietMs : this.lastStatus;
    return Math.min(regular, Math.max(afterLines, this.lastStatus + this.quietGap));
  }

  /** Asks for the job status; an early ask (before the cadence) that finds it running backs the next one off. */
  private async statusRound(statusEvery: number, signal?: AbortSignal): Promise<JobState> {
    const early = this.clock.now() < this.lastStatus + statusEvery;
    this.job = await this.describe(signal);
    if (early && !isTerminal(this.job.status)) this.quietGap = Math.min(statusEvery, Math.max(this.quietGap, 1) * 2);
    return this.job;
  }

  /** The drain after the end: true once the quiet window passed (from the end and each late arrival) or its bound. */
  private drainDone(now: number, drain: { start: number; quietFrom: number }): boolean {
    return now >= drain.quietFrom + (this.opts.drainQuietMs ?? DRAIN_QUIET_MS) || now - drain.start >= (this.opts.drainMaxMs ?? DRAIN_MAX_MS);
  }

  /** A read's start: never before what the deduper forgot (it would show those lines again). */
  private notBeforeHorizon(start: number | undefined): number | undefined {
    return this.horizon > 0 ? Math.max(start ?? 0, this.horizon) : start;
  }

  /** Forgets what is older than the retention (10 min before `newest`); reads never reach back before it again. */
  private prune(newest: number, source: Map<string, number>): void {
    const h = newest - 10 * 60_000;
    if (h <= this.horizon + 60_000) return;
    this.horizon = h;
    this.dedupe.prune(h, source);
  }

  private async finish(signal?: AbortSignal): Promise<JobState | undefined> {
    // One last sweep over the last 10 min of event time (what a gap or a late ingestion could have left out),
    // deduplicated.
    await this.sweep(this.newest ? this.newest - 10 * 60_000 : this.firstStart(), signal);
    if (signal?.aborted) return undefined;
    this.finished = true;
    return this.job;
  }

  private async runLive(signal?: AbortSignal): Promise<JobState | undefined> {
    const arn = logGroupArn(this.job?.arn, this.group);
    // The first backfill: everything the job has, in one FilterLogEvents read from its creation (an hour before).
    let backfillFrom: number | undefined = this.firstStart();
    let attempt = 0;
    let drain: { start: number; quietFrom: number } | undefined;
    const statusEvery = this.opts.liveStatusEveryMs ?? this.opts.statusEveryMs ?? 60_000;
    const policy = { ...DEFAULT_POLL, ...this.opts.poll };
    while (!signal?.aborted) {
      const session = new AbortController();
      const onAbort = () => session.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let iter: AsyncIterator<LiveTailMessage>;
      try {
        this.stats.liveTailCalls++;
        iter = (await this.logs.startLiveTail!(arn, [this.prefix], session.signal))[Symbol.asyncIterator]();
      } catch (err) {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return undefined;
        const refused = isRetryableError(err) ? undefined : liveTailRefusal(err);
        if (refused) throw new RefusedError(refused);
        if (!isRetryableError(err) || ++attempt > (this.opts.maxRetries ?? 40)) throw err;
        const delay = retryDelay(attempt, policy, this.opts.random);
        this.stats.retries++;
        this.opts.onRetry?.(err, delay, attempt);
        await this.clock.sleep(delay, signal);
        continue;
      }
      this.stats.sessions++;
      const source = new Map<string, number>();
      let pending = iter.next();
      pending.catch(() => undefined);
      let lostAt: number | undefined;
      let started = false;
      let updates = 0;
      const openedAt = this.clock.now();
      try {
        for (;;) {
          const now = this.clock.now();
          if (drain && this.drainDone(now, drain)) {
            session.abort();
            return await this.finish(signal);
          }
          const wait = drain ? Math.min(this.opts.poll?.drainIdleMs ?? 1000, drain.quietFrom + (this.opts.drainQuietMs ?? DRAIN_QUIET_MS) - now)
            : this.statusDue(statusEvery) - now;
          const timer = new AbortController();
          const tick = this.clock.sleep(Math.max(10, wait), timer.signal).then(() => 'tick' as const);
          const r = await Promise.race([pending, tick]);
          timer.abort();
          if (signal?.aborted) return undefined;
          if (r === 'tick') {
            if (started && this.clock.now() - openedAt >= 2500) this.sayLive();
            if (!drain && this.clock.now() >= this.statusDue(statusEvery)) {
              this.job = await this.statusRound(statusEvery, signal);
              if (isTerminal(this.job.status)) drain = { start: this.clock.now(), quietFrom: this.clock.now() };
            }
            continue;
          }
          if (r.done) {
            lostAt = this.clock.now();
            // AWS ends a session only with an exception (SessionTimeoutException after 3 h) or a dropped connection;
            // an endpoint whose stream simply ends at once (moto answers one update and closes) has no Live Tail.
            if (updates < 2) throw new RefusedError(t('this endpoint ends Live Tail sessions at once'));
            break;
          }
          pending = iter.next();
          pending.catch(() => undefined);
          const m = r.value;
          if (m.kind === 'start') {
            started = true;
            attempt = 0;
            // What was written before this session (the job so far, or the gap since the last one).
            this.stats.backfills++;
            const got = await this.sweep(backfillFrom, signal);
            if (got && drain) drain.quietFrom = this.clock.now();
            continue;
          }
          // Said once the session proves to stay open (a second update): an endpoint that answers one update and
          // closes is not Live Tail.
          if (++updates >= 2) this.sayLive();
          const got = this.deliver(m.events, source);
          if (got && drain) drain.quietFrom = this.clock.now();
          if (m.sampled) {
            // Live Tail left events out of this second: read the window they belong to again.
            this.stats.sampledUpdates++;
            this.stats.backfills++;
            let from = Number.POSITIVE_INFINITY;
            for (const e of m.events) from = Math.min(from, e.timestamp);
            const from2 = Number.isFinite(from) ? from - this.lookback() : this.clock.now() - this.lookback();
            await this.sweep(from2, signal);
          }
          this.prune(this.newest, source);
        }
      } catch (err) {
        if (signal?.aborted) return undefined;
        if (err instanceof RefusedError) throw err;
        const c = classifyAwsError(err);
        if (c.kind === 'accessDenied') throw new RefusedError(liveTailRefusal(err)!);
        // SessionTimeoutException (the 3-hour end), SessionStreamingException, a dropped connection: reconnect.
        lostAt = this.clock.now();
        this.opts.onRetry?.(err, 0, 1);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        session.abort();
      }
      if (drain && this.drainDone(this.clock.now(), drain)) return await this.finish(signal);
      backfillFrom = Math.max(this.firstStart() ?? 0, this.horizon, (lostAt ?? this.clock.now()) - Math.max(this.lookback(), 5000));
      if (!started && ++attempt > 1) {
        // Sessions that end before bringing anything: back off rather than reconnect in a tight loop.
        if (attempt > (this.opts.maxRetries ?? 40)) throw new Error(t('Live Tail sessions keep ending at once.'));
        await this.clock.sleep(retryDelay(attempt, policy, this.opts.random), signal);
      }
    }
    return undefined;
  }

  private async runPolling(signal?: AbortSignal): Promise<JobState | undefined> {
    const statusEvery = this.opts.pollStatusEveryMs ?? this.opts.statusEveryMs ?? 60_000;
    const active = this.opts.pollActiveMs ?? 2000;
    const idleMax = this.opts.pollIdleMaxMs ?? 4000;
    // The first round reads everything the job has (from its creation, an hour before); later ones from a look-back
    // before the newest line seen (event time, not the clock), or from the job's creation while none was seen.
    let from: number | undefined = this.firstStart();
    let interval = active;
    let drain: { start: number; quietFrom: number } | undefined;
    while (!signal?.aborted) {
      const roundStart = this.clock.now();
      if (!drain && roundStart >= this.statusDue(statusEvery)) {
        this.job = await this.statusRound(statusEvery, signal);
        if (isTerminal(this.job.status)) drain = { start: roundStart, quietFrom: roundStart };
      }
      const source = new Map<string, number>();
      const all: StreamEvent[] = [];
      let token: string | undefined;
      let got = 0;
      for (;;) {
        const before = token;
        const page = await this.retrying(() => {
          this.stats.filterCalls++;
          return this.logs.filterEvents!(this.group, this.prefix, this.notBeforeHorizon(from), before, signal);
        }, signal);
        all.push(...page.events);
        token = page.nextToken;
        if (!token || token === before || signal?.aborted) break;
      }
      got += this.deliver(all, source);
      if (signal?.aborted) break;
      // The next round reads again from a look-back before the newest line, for lines that reach CloudWatch late.
      from = this.newest ? Math.max(from ?? 0, this.newest - this.lookback()) : this.firstStart();
      this.prune(this.newest, source);
      if (drain) {
        if (got) drain.quietFrom = roundStart;
        if (this.drainDone(this.clock.now(), drain)) return await this.finish(signal);
        interval = DEFAULT_POLL.drainIdleMs;
      } else {
        interval = got ? active : Math.min(idleMax, Math.round(interval * 1.5));
      }
      await this.clock.sleep(roundStart + interval - this.clock.now(), signal);
    }
    return undefined;
  }

  private async retrying<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const max = this.opts.maxRetries ?? 40;
    const policy = { ...DEFAULT_POLL, ...this.opts.poll };
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (signal?.aborted || !isRetryableError(err) || attempt > max) throw err;
        const delay = retryDelay(attempt, policy, this.opts.random);
        this.stats.retries++;
        this.opts.onRetry?.(err, delay, attempt);
        await this.clock.sleep(delay, signal);
        if (signal?.aborted) throw err;
      }
    }
  }
}
