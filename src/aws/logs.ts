import {
  CloudWatchLogsClient,
  paginateDescribeLogStreams,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsTarget } from '../core/settings';
import { GET_EVENTS_LIMIT, type LogEventsPage, type LogsApiPort, type LogStreamInfo } from '../core/logs/types';
import { clientConfig } from './clientConfig';
import { isNotFound } from './errors';

/**
 * Thin typed wrapper over the CloudWatch Logs calls the log tailer needs. Polling only (GetLogEvents is complete on
 * its own; StartLiveTail is not used). The SDK retries a few times itself; the tailer's own loop retries beyond that.
 */
export class LogsApi implements LogsApiPort {
  readonly client: CloudWatchLogsClient;
  constructor(target: AwsTarget) {
    this.client = new CloudWatchLogsClient({ ...clientConfig(target, 'logs'), maxAttempts: 3 });
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
      events: (out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '' })),
      nextForwardToken: out.nextForwardToken,
    };
  }

  destroy(): void {
    this.client.destroy();
  }
}
