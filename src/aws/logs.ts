import {
  CloudWatchLogsClient,
  paginateDescribeLogStreams,
  GetLogEventsCommand,
  FilterLogEventsCommand,
  StartLiveTailCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsTarget } from '../core/settings';
import {
  GET_EVENTS_LIMIT, type FilteredEventsPage, type LiveTailMessage, type LiveTailPort, type LogEventsPage, type LogsApiPort, type LogStreamInfo,
} from '../core/logs/types';
import { t } from '../core/l10n';
import { clientConfig } from './clientConfig';
import { isNotFound } from './errors';

/**
 * Thin typed wrapper over the CloudWatch Logs calls the log follower needs: StartLiveTail (push, one session per
 * followed job), FilterLogEvents (backfill and the cheaper polling path) and GetLogEvents/DescribeLogStreams (the
 * per-stream tailer). The SDK retries a few times itself; the tailer's own loop retries beyond that.
 */
export class LogsApi implements LogsApiPort, LiveTailPort {
  readonly client: CloudWatchLogsClient;
  constructor(target: AwsTarget) {
    // StartLiveTail's endpoint carries the host prefix `streaming-`; a custom endpoint (an emulator, a VPC endpoint
    // URL) is used as given.
    const custom = !!(target.endpointUrl || process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS);
    this.client = new CloudWatchLogsClient({ ...clientConfig(target, 'logs'), maxAttempts: 3, ...(custom ? { disableHostPrefix: true } : {}) });
  }

  /**
   * Opens a Live Tail session on one log group (its ARN) for the streams starting with one of `prefixes`. Resolves
   * once the response has started; the iterable yields the session start, then an update about every second. A
   * SessionTimeoutException / SessionStreamingException ends the iteration by throwing.
   */
  async startLiveTail(groupArn: string, prefixes: string[], signal?: AbortSignal): Promise<AsyncIterable<LiveTailMessage>> {
    const out = await this.client.send(new StartLiveTailCommand({ logGroupIdentifiers: [groupArn], logStreamNamePrefixes: prefixes }), { abortSignal: signal });
    const stream = out.responseStream;
    if (!stream) throw Object.assign(new Error(t('StartLiveTail answered without an event stream')), { name: 'UnsupportedOperation' });
    return (async function* () {
      for await (const m of stream) {
        if (m.sessionStart) yield { kind: 'start', sessionId: m.sessionStart.sessionId };
        else if (m.sessionUpdate) {
          yield {
            kind: 'update',
            sampled: !!m.sessionUpdate.sessionMetadata?.sampled,
            events: (m.sessionUpdate.sessionResults ?? []).map((e) => ({
              stream: e.logStreamName ?? '', timestamp: e.timestamp ?? 0, message: e.message ?? '', ingestionTime: e.ingestionTime,
            })),
          };
        } else if (m.SessionTimeoutException) throw Object.assign(new Error(m.SessionTimeoutException.message ?? t('The Live Tail session timed out')), { name: 'SessionTimeoutException' });
        else if (m.SessionStreamingException) throw Object.assign(new Error(m.SessionStreamingException.message ?? t('The Live Tail session failed')), { name: 'SessionStreamingException' });
      }
    })();
  }

  /**
   * One page of FilterLogEvents over the streams starting with `prefix`, events with a timestamp ≥ startTime. The
   * events are filtered by the prefix here too (some endpoints ignore logStreamNamePrefix).
   */
  async filterEvents(group: string, prefix: string, startTime: number | undefined, token: string | undefined, signal?: AbortSignal): Promise<FilteredEventsPage> {
    try {
      const out = await this.client.send(
        new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: prefix, startTime, nextToken: token, limit: GET_EVENTS_LIMIT }),
        { abortSignal: signal },
      );
      return {
        events: (out.events ?? []).filter((e) => (e.logStreamName ?? '').startsWith(prefix)).map((e) => ({
          stream: e.logStreamName ?? '', timestamp: e.timestamp ?? 0, message: e.message ?? '', ingestionTime: e.ingestionTime, eventId: e.eventId,
        })),
        nextToken: out.nextToken,
      };
    } catch (err) {
      if (isNotFound(err)) return { events: [] };
      throw err;
    }
  }

  /** Every stream whose name starts with prefix, all pages; none when the group does not exist yet. */
  async listStreams(group: string, prefix: string, signal?: AbortSignal): Promise<LogStreamInfo[]> {
    const all: LogStreamInfo[] = [];
    try {
      // stopOnSameToken: the service hands back the token it was given once there is nothing more.
      const pages = paginateDescribeLogStreams({ client: this.client, pageSize: 50, stopOnSameToken: true }, { logGroupName: group, logStreamNamePrefix: prefix }, { abortSignal: signal });
      for await (const out of pages) {
        for (const s of out.logStreams ?? []) {
          if (!s.logStreamName || !s.logStreamName.startsWith(prefix)) continue;
          all.push({ name: s.logStreamName, firstEventTimestamp: s.firstEventTimestamp, lastEventTimestamp: s.lastEventTimestamp });
        }
      }
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    return all;
  }

  /** One page of a stream from the head (or from `token`), up to 10,000 events. */
  async getEvents(group: string, stream: string, token: string | undefined, signal?: AbortSignal): Promise<LogEventsPage> {
    const out = await this.client.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token, limit: GET_EVENTS_LIMIT }),
      { abortSignal: signal },
    );
    return {
      events: (out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '', ingestionTime: e.ingestionTime })),
      nextForwardToken: out.nextForwardToken,
    };
  }

  destroy(): void {
    this.client.destroy();
  }
}
