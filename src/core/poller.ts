/** Timers, injectable so the scheduler can be tested with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** The monitor's one look at what runs, this long after start-up in a workspace that uses the extension. */
export const FIRST_LOOK_DELAY_MS = 2000;

export interface PollResult {
  /** True while polling should go on (a job runs, a watched job has not ended, or the last load failed). */
  active: boolean;
}

export interface PollSchedulerOptions {
  /** One poll (e.g. one ListProcessingJobs(StatusEquals=InProgress), all pages). */
  poll: () => Promise<PollResult>;
  /** The configured interval, read at every scheduling. */
  intervalMs: () => number;
  /** Whether an error is throttling (backs off). */
  isThrottling: (err: unknown) => boolean;
  /** Any other error; polling goes on at the normal interval so it recovers by itself. */
  onError?: (err: unknown) => void;
  clock?: Clock;
  /** Upper bound for the throttling back-off (default 5 min). */
  maxBackoffMs?: number;
}

/**
 * Polls only while something runs (active) and someone looks (needed), at the configured interval; doubles the
 * interval on throttling up to maxBackoffMs; never has two polls in flight.
 */
export class PollScheduler {
  private timer: unknown;
  private dueAt?: number;
  private inFlight?: Promise<void>;
  private needed = false;
  private active = false;
  private backoff = 0;
  private disposed = false;
  private readonly clock: Clock;
  /** Number of polls started (for tests and the benchmark). */
  polls = 0;

  constructor(private readonly opts: PollSchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  get isScheduled(): boolean {
    return this.timer !== undefined;
  }

  get isPolling(): boolean {
    return this.inFlight !== undefined;
  }

  /** The delay currently in use (interval or back-off). */
  get currentDelayMs(): number {
    const base = Math.max(1, this.opts.intervalMs());
    return this.backoff ? Math.min(this.opts.maxBackoffMs ?? 300_000, base * 2 ** this.backoff) : base;
  }

  /** The view or the status bar needs fresh data (or no longer does). */
  setNeeded(needed: boolean): void {
    this.needed = needed;
    this.reschedule();
  }

  /** Something runs (or nothing does any more): known from a poll or from the tree. */
  setActive(active: boolean): void {
    this.active = active;
    this.reschedule();
  }

  /** Polls at once (or joins the poll in flight). */
  pollNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    this.cancelTimer();
    this.polls++;
    this.inFlight = (async () => {
      try {
        const r = await this.opts.poll();
        this.active = r.active;
        this.backoff = 0;
      } catch (err) {
        if (this.opts.isThrottling(err)) this.backoff = Math.min(this.backoff + 1, 10);
        else this.opts.onError?.(err);
        this.active = true; // retry: recovers by itself on the next poll
      } finally {
        this.inFlight = undefined;
        this.reschedule();
      }
    })();
    return this.inFlight;
  }

  private reschedule(): void {
    if (this.disposed || this.inFlight) return;
    if (!(this.needed && this.active)) {
      this.cancelTimer();
      return;
    }
    const delay = this.currentDelayMs;
    const due = this.clock.now() + delay;
    if (this.timer !== undefined && this.dueAt !== undefined && this.dueAt <= due) return;
    this.cancelTimer();
    this.dueAt = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.dueAt = undefined;
      void this.pollNow();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }
}
