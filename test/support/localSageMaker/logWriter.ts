// Container output into CloudWatch Logs (moto) the way SageMaker ships it: group /aws/sagemaker/ProcessingJobs, one
// stream per instance `<job>/algo-<n>-<epoch>`, events stamped when the line was written, sent in batches and only
// once they are `ingestionDelayMs` old, so lines keep landing after the job has ended, as in real CloudWatch.
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';

export const LOG_GROUP = '/aws/sagemaker/ProcessingJobs';

export interface LogWriterOptions {
  client: CloudWatchLogsClient;
  /** How often buffered events are sent (ms). */
  batchIntervalMs: number;
  /** How old an event must be before it is sent (ms): CloudWatch's ingestion delay. */
  ingestionDelayMs: number;
  onError?: (err: unknown) => void;
}

interface Pending {
  timestamp: number;
  message: string;
}

export class CloudWatchWriter {
  private readonly buffers = new Map<string, Pending[]>();
  private readonly created = new Map<string, Promise<void>>();
  private group?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private flushing = Promise.resolve();
  private closed = false;

  constructor(private readonly o: LogWriterOptions) {
    this.timer = setInterval(() => void this.tick(), o.batchIntervalMs);
  }

  /** Creates the stream now (SageMaker creates an instance's stream when it starts, output or not). */
  openStream(stream: string): Promise<void> {
    let p = this.created.get(stream);
    if (!p) {
      p = this.ensureGroup().then(async () => {
        try {
          await this.o.client.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: stream }));
        } catch (err) {
          if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
        }
      });
      p.catch(() => this.created.delete(stream));
      this.created.set(stream, p);
    }
    return p;
  }

  private ensureGroup(): Promise<void> {
    return (this.group ??= (async () => {
      try {
        await this.o.client.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
      } catch (err) {
        if ((err as Error).name !== 'ResourceAlreadyExistsException') {
          this.group = undefined;
          throw err;
        }
      }
    })());
  }

  /** One line of a container's output, stamped now. */
  write(stream: string, message: string, timestamp = Date.now()): void {
    let b = this.buffers.get(stream);
    if (!b) this.buffers.set(stream, (b = []));
    b.push({ timestamp, message: message === '' ? ' ' : message });
  }

  /** Events still waiting to be sent. */
  pendingCount(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.length;
    return n;
  }

  private tick(): void {
    this.flushing = this.flushing.then(() => this.send(Date.now() - this.o.ingestionDelayMs)).catch((err) => this.o.onError?.(err));
  }

  /** Sends every buffered event stamped at or before `upTo`. */
  private async send(upTo: number): Promise<void> {
    for (const [stream, buf] of this.buffers) {
      let n = 0;
      while (n < buf.length && buf[n].timestamp <= upTo) n++;
      if (!n) continue;
      await this.openStream(stream);
      for (let i = 0; i < n; ) {
        let j = i;
        let bytes = 0;
        while (j < n && j - i < 10_000 && bytes + Buffer.byteLength(buf[j].message) + 26 < 1_000_000) bytes += Buffer.byteLength(buf[j++].message) + 26;
        await this.o.client.send(new PutLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: stream, logEvents: buf.slice(i, j) }));
        i = j;
      }
      buf.splice(0, n);
    }
  }

  /** Sends everything still buffered (ignoring the delay) and stops the timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flushing;
    await this.send(Number.MAX_SAFE_INTEGER).catch((err) => this.o.onError?.(err));
  }
}
