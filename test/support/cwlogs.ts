// Writes CloudWatch log events into moto the way SageMaker would (moto's SageMaker writes none): group
// /aws/sagemaker/ProcessingJobs, one stream per instance `<job>/algo-<n>-<epoch>`. Uses the SDK client directly.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import { TEST_CREDENTIALS, TEST_REGION } from './moto';

export const LOG_GROUP = '/aws/sagemaker/ProcessingJobs';

export interface TestEvent {
  timestamp: number;
  message: string;
}

export class LogWriter {
  readonly client: CloudWatchLogsClient;
  private readonly streams = new Set<string>();
  private group = false;

  constructor(endpoint: string) {
    this.client = new CloudWatchLogsClient({
      endpoint, region: TEST_REGION, maxAttempts: 5,
      credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    });
  }

  static streamName(job: string, instance: number, epoch = 1764230400): string {
    return `${job}/algo-${instance}-${epoch}`;
  }

  async ensureStream(stream: string): Promise<void> {
    if (!this.group) {
      try {
        await this.client.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
      } catch (err) {
        if (!(err instanceof ResourceAlreadyExistsException)) throw err;
      }
      this.group = true;
    }
    if (this.streams.has(stream)) return;
    try {
      await this.client.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: stream }));
    } catch (err) {
      if (!(err instanceof ResourceAlreadyExistsException)) throw err;
    }
    this.streams.add(stream);
  }

  /** Writes events (in timestamp order) in batches within PutLogEvents' limits. */
  async put(stream: string, events: readonly TestEvent[]): Promise<void> {
    await this.ensureStream(stream);
    for (let i = 0; i < events.length; ) {
      let bytes = 0;
      let j = i;
      while (j < events.length && j - i < 10_000 && bytes + Buffer.byteLength(events[j].message) + 26 < 1_000_000) bytes += Buffer.byteLength(events[j++].message) + 26;
      const out = await this.client.send(new PutLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: stream, logEvents: events.slice(i, j) }));
      if (out.rejectedLogEventsInfo && Object.keys(out.rejectedLogEventsInfo).length) throw new Error(`events rejected: ${JSON.stringify(out.rejectedLogEventsInfo)}`);
      i = j;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
