/** Poll and retry timing of the log tailer. Pure: randomness and time are passed in. */

export interface PollPolicy {
  /** Delay between rounds while events flow. */
  activeMs: number;
  /** First idle delay; it grows by `idleFactor` per empty round up to `idleMaxMs`. */
  idleMinMs: number;
  idleFactor: number;
  idleMaxMs: number;
  /** Retry backoff for throttling, 5xx and dropped connections: full jitter over base·2^n, capped. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_POLL: PollPolicy = {
  activeMs: 100,
  idleMinMs: 250,
  idleFactor: 2,
  idleMaxMs: 1500,
  retryBaseMs: 200,
  retryMaxMs: 10_000,
};

/** Idle backoff: fast while events flow, slower with every empty round. */
export class IdleBackoff {
  private empty = 0;
  constructor(private readonly p: PollPolicy) {}

  /** The delay before the next round, given whether this one saw new events. */
  next(sawEvents: boolean): number {
    if (sawEvents) {
      this.empty = 0;
      return this.p.activeMs;
    }
    const d = Math.min(this.p.idleMaxMs, this.p.idleMinMs * Math.pow(this.p.idleFactor, this.empty));
    this.empty++;
    return d;
  }

  reset(): void {
    this.empty = 0;
  }
}

/** Exponential backoff with full jitter: a random delay in [base·2^(n-1)/2, base·2^(n-1)], capped at max. */
export function retryDelay(attempt: number, p: Pick<PollPolicy, 'retryBaseMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(p.retryMaxMs, p.retryBaseMs * Math.pow(2, Math.max(0, attempt - 1)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const RETRYABLE_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'LimitExceededException',
  'ServiceUnavailable', 'ServiceUnavailableException', 'InternalFailure', 'InternalServerError', 'InternalServerException',
  'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
]);

/** Throttling, 5xx, timeouts and dropped connections are worth retrying; access denied or a bad name are not. */
export function isRetryableError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'AbortError') return false;
  if (e.$retryable) return true;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && RETRYABLE_NAMES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|network|timed? ?out|Rate exceeded/i.test(`${e.code ?? ''} ${e.message ?? ''}`);
}
