import type { JobStatus } from '../jobs';
import { t } from '../l10n';
import { formatRecords, formatSummary } from './format';
import { JobLogFollower, type FollowOptions, type LogMode } from './follow';
import type { JobState, JobStatusPort, LiveTailPort, LogsApiPort } from './types';

/** The fields of a DescribeProcessingJob answer the tailer uses (structural: no SDK types in core). */
export interface DescribeLike {
  ProcessingJobArn?: string;
  ProcessingJobStatus?: string;
  CreationTime?: Date;
  ProcessingStartTime?: Date;
  ProcessingEndTime?: Date;
  LastModifiedTime?: Date;
  FailureReason?: string;
  ExitMessage?: string;
  ProcessingResources?: { ClusterConfig?: { InstanceCount?: number } };
}

export function jobStateFrom(d: DescribeLike): JobState {
  return {
    status: (d.ProcessingJobStatus ?? 'InProgress') as JobStatus,
    arn: d.ProcessingJobArn,
    creationTime: d.CreationTime,
    startTime: d.ProcessingStartTime,
    endTime: d.ProcessingEndTime,
    lastModifiedTime: d.LastModifiedTime,
    failureReason: d.FailureReason,
    exitMessage: d.ExitMessage,
    instanceCount: d.ProcessingResources?.ClusterConfig?.InstanceCount,
  };
}

/** A JobStatusPort over anything with SageMakerApi's describeProcessingJob. */
export function statusPortFrom(sm: { describeProcessingJob(name: string, signal?: AbortSignal): Promise<DescribeLike> }): JobStatusPort {
  return { describe: async (name, signal) => jobStateFrom(await sm.describeProcessingJob(name, signal)) };
}

/** What runLogsCommand needs: AwsClients satisfies it. */
export interface LogsCommandClients {
  logs(): Promise<LogsApiPort & Partial<LiveTailPort>>;
  sagemaker(): Promise<{ describeProcessingJob(name: string, signal?: AbortSignal): Promise<DescribeLike> }>;
}

export interface LogsCommandOptions {
  timestamps?: boolean;
  signal?: AbortSignal;
  /** Retry notices and the one line saying which live mode is used (default: none). */
  warn?: (line: string) => void;
  /** Try CloudWatch Logs Live Tail first when following (default true). */
  liveTail?: boolean;
  tailer?: Partial<Omit<FollowOptions, 'jobName' | 'onRecords' | 'follow'>>;
  /** Called with the follower once it is made (tests and the bench read its stats and mode). */
  onFollower?: (f: JobLogFollower) => void;
}

/**
 * The CLI's `logs <name> [--follow]`: prints the job's merged log lines with `write` (one call per line); with follow,
 * keeps tailing until the job ends and prints the summary line. Resolves with an exit code: 0, or 1 when a followed
 * job Failed.
 */
export async function runLogsCommand(aws: LogsCommandClients, name: string, follow: boolean, write: (line: string) => void, opts: LogsCommandOptions = {}): Promise<number> {
  const [logs, sm] = await Promise.all([aws.logs(), aws.sagemaker()]);
  const tailer = new JobLogFollower(logs, statusPortFrom(sm), {
    ...opts.tailer,
    jobName: name,
    follow,
    liveTail: opts.liveTail ?? opts.tailer?.liveTail,
    onMode: (_mode: LogMode, line: string) => opts.warn?.(line),
    onRecords: (records, info) => {
      for (const l of formatRecords(records, { instancePrefix: info.multiInstance, timestamps: !!opts.timestamps })) write(l);
    },
    onRetry: (err, delay) => opts.warn?.(t('(retrying in {0} ms: {1})', delay, String((err as Error)?.name ?? err))),
  });
  opts.onFollower?.(tailer);
  const state = await tailer.run(opts.signal);
  if (state && (follow || tailer.finished)) write(formatSummary(name, state));
  return follow && state?.status === 'Failed' ? 1 : 0;
}
