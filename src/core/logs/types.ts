// SDK-free shapes and ports of the log tailer. src/aws/logs.ts implements LogsApiPort over CloudWatch Logs; the
// job status comes from SageMaker's DescribeProcessingJob (see statusPortFrom in ./run).
import type { JobStatus } from '../jobs';

/** The CloudWatch log group SageMaker Processing writes to: one stream per instance, `<job>/algo-<n>-<epoch>`. */
export const PROCESSING_LOG_GROUP = '/aws/sagemaker/ProcessingJobs';

/** The most events GetLogEvents returns in one page (the limit src/aws/logs.ts asks for). */
export const GET_EVENTS_LIMIT = 10_000;
/** GetLogEvents answers at most 1 MB of events (message bytes + 26 each); one event is at most 256 KB. */
export const GET_EVENTS_MAX_BYTES = 1_048_576;
export const MAX_EVENT_BYTES = 262_144;

export interface LogStreamInfo {
  name: string;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
}

export interface RawLogEvent {
  timestamp: number;
  message: string;
  /** When CloudWatch Logs received it (when the API says). */
  ingestionTime?: number;
}

/** An event with the stream it belongs to (FilterLogEvents, Live Tail). */
export interface StreamEvent extends RawLogEvent {
  stream: string;
  eventId?: string;
}

export interface FilteredEventsPage {
  events: StreamEvent[];
  nextToken?: string;
}

/** What a Live Tail session yields: its start, then an update about every second (`sampled`: events were left out). */
export type LiveTailMessage = { kind: 'start'; sessionId?: string } | { kind: 'update'; events: StreamEvent[]; sampled: boolean };

/** Live Tail and FilterLogEvents (src/aws/logs.ts); optional beside LogsApiPort: without them the follower polls per stream. */
export interface LiveTailPort {
  /** Opens a session on one log group (ARN) for the streams with one of the prefixes; throws when refused. */
  startLiveTail(groupArn: string, prefixes: string[], signal?: AbortSignal): Promise<AsyncIterable<LiveTailMessage>>;
  /** One page of the group's events from streams starting with prefix, timestamp ≥ startTime. */
  filterEvents(group: string, prefix: string, startTime: number | undefined, token: string | undefined, signal?: AbortSignal): Promise<FilteredEventsPage>;
}

export interface LogEventsPage {
  events: RawLogEvent[];
  /** The token to pass next; the same token back as was passed means "no more for now". */
  nextForwardToken?: string;
}

/** The I/O the tailer needs from CloudWatch Logs. */
export interface LogsApiPort {
  /** Every stream of the group whose name starts with prefix (all pages). */
  listStreams(group: string, prefix: string, signal?: AbortSignal): Promise<LogStreamInfo[]>;
  /** One page of a stream, oldest first (startFromHead), from `token` (undefined: the head). */
  getEvents(group: string, stream: string, token: string | undefined, signal?: AbortSignal): Promise<LogEventsPage>;
}

export interface JobState {
  status: JobStatus;
  /** ProcessingJobArn (its partition, region and account name the log group's ARN for Live Tail). */
  arn?: string;
  creationTime?: Date;
  startTime?: Date;
  endTime?: Date;
  lastModifiedTime?: Date;
  failureReason?: string;
  exitMessage?: string;
  instanceCount?: number;
}

/** The job status the tailer polls (DescribeProcessingJob). */
export interface JobStatusPort {
  describe(jobName: string, signal?: AbortSignal): Promise<JobState>;
}

/** Time, injectable so backoff and windows are testable with a fake clock. */
export interface Clock {
  now(): number;
  /** Resolves after ms, or early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => {
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** One log event as shown: which stream/instance it came from, in merged order. */
export interface LogRecord {
  stream: string;
  /** `algo-<n>` taken from the stream name (the stream name itself if it has another shape). */
  instance: string;
  timestamp: number;
  message: string;
}
