import { formatDuration, formatJobDuration, formatQueuedTime, isTerminal, type JobStatus, type JobSummary } from './jobs';
import { t } from './l10n';

/** The parts of a DescribeProcessingJob response the extension reads (structurally; every field may be missing). */
export interface ProcessingJobDescriptionLike {
  ProcessingJobName?: string;
  ProcessingJobArn?: string;
  ProcessingJobStatus?: string;
  ExitMessage?: string;
  FailureReason?: string;
  CreationTime?: Date;
  ProcessingStartTime?: Date;
  ProcessingEndTime?: Date;
  LastModifiedTime?: Date;
  RoleArn?: string;
  AppSpecification?: { ImageUri?: string; ContainerEntrypoint?: string[]; ContainerArguments?: string[] };
  ProcessingResources?: { ClusterConfig?: { InstanceCount?: number; InstanceType?: string; VolumeSizeInGB?: number; VolumeKmsKeyId?: string } };
  ProcessingInputs?: {
    InputName?: string;
    AppManaged?: boolean;
    S3Input?: { S3Uri?: string; LocalPath?: string; S3DataType?: string; S3InputMode?: string; S3DataDistributionType?: string; S3CompressionType?: string };
    DatasetDefinition?: unknown;
  }[];
  ProcessingOutputConfig?: {
    Outputs?: { OutputName?: string; AppManaged?: boolean; S3Output?: { S3Uri?: string; LocalPath?: string; S3UploadMode?: string }; FeatureStoreOutput?: unknown }[];
    KmsKeyId?: string;
  };
  Environment?: Record<string, string>;
  StoppingCondition?: { MaxRuntimeInSeconds?: number };
  NetworkConfig?: { EnableInterContainerTrafficEncryption?: boolean; EnableNetworkIsolation?: boolean; VpcConfig?: { SecurityGroupIds?: string[]; Subnets?: string[] } };
}

/** One row under an expanded job. */
export interface DetailRow {
  label: string;
  value?: string;
  /** Codicon id. */
  icon?: string;
  children?: DetailRow[];
}

const time = (d: Date | undefined) => (d ? new Date(d).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined);

/** Detail rows of a job: what ran, where, on what, in and out, and how it ended. Missing fields are simply absent. */
export function jobDetailRows(d: ProcessingJobDescriptionLike): DetailRow[] {
  const rows: DetailRow[] = [];
  const add = (label: string, value: string | undefined, icon?: string) => {
    if (value !== undefined && value !== '') rows.push({ label, value, icon });
  };
  if (d.FailureReason) add(t('Failure reason'), d.FailureReason, 'error');
  if (d.ExitMessage) add(t('Exit message'), d.ExitMessage, 'info');
  const app = d.AppSpecification;
  add(t('Image'), app?.ImageUri, 'package');
  if (app?.ContainerEntrypoint?.length) add(t('Entrypoint'), app.ContainerEntrypoint.join(' '), 'terminal');
  if (app?.ContainerArguments?.length) add(t('Arguments'), app.ContainerArguments.join(' '), 'symbol-parameter');
  const cluster = d.ProcessingResources?.ClusterConfig;
  if (cluster && (cluster.InstanceType || cluster.InstanceCount)) {
    const type = cluster.InstanceType ?? '?';
    const count = cluster.InstanceCount ?? 1;
    add(t('Instances'), cluster.VolumeSizeInGB ? t('{0} × {1}, {2} GB volume', type, count, cluster.VolumeSizeInGB) : `${type} × ${count}`, 'server');
  }
  const inputs = (d.ProcessingInputs ?? []).map((i): DetailRow => {
    const s3 = i.S3Input;
    const value = s3 ? `${s3.S3Uri ?? '?'} → ${s3.LocalPath ?? '?'}${s3.S3InputMode ? ` (${s3.S3InputMode})` : ''}` : i.DatasetDefinition ? t('dataset definition') : '';
    return { label: i.InputName ?? t('input'), value, icon: 'arrow-down' };
  });
  if (inputs.length) rows.push({ label: t('Inputs'), value: String(inputs.length), icon: 'folder-library', children: inputs });
  const outputs = (d.ProcessingOutputConfig?.Outputs ?? []).map((o): DetailRow => {
    const s3 = o.S3Output;
    const value = s3 ? `${s3.LocalPath ?? '?'} → ${s3.S3Uri ?? '?'}${s3.S3UploadMode ? ` (${s3.S3UploadMode})` : ''}` : o.FeatureStoreOutput ? t('Feature Store output') : '';
    return { label: o.OutputName ?? t('output'), value, icon: 'arrow-up' };
  });
  if (outputs.length) rows.push({ label: t('Outputs'), value: String(outputs.length), icon: 'folder-active', children: outputs });
  const env = Object.entries(d.Environment ?? {});
  if (env.length) {
    rows.push({ label: t('Environment'), value: String(env.length), icon: 'symbol-variable', children: env.map(([k, v]) => ({ label: k, value: v })) });
  }
  add(t('Role'), d.RoleArn, 'shield');
  if (d.StoppingCondition?.MaxRuntimeInSeconds) add(t('Max runtime'), formatDuration(d.StoppingCondition.MaxRuntimeInSeconds * 1000), 'watch');
  const times: DetailRow[] = [];
  const at = (label: string, v: Date | undefined) => {
    const s = time(v);
    if (s) times.push({ label, value: s });
  };
  at(t('Created'), d.CreationTime);
  at(t('Started'), d.ProcessingStartTime);
  at(t('Ended'), d.ProcessingEndTime);
  at(t('Last modified'), d.LastModifiedTime);
  // The one duration (core/jobs.ts jobTiming): start → end; the time queued before the start apart.
  const job = summaryFromDescription(d);
  const duration = isTerminal(job.status) ? formatJobDuration(job) || undefined : undefined;
  if (duration) times.push({ label: t('Duration'), value: duration });
  const queued = formatQueuedTime(job);
  if (queued) times.push({ label: t('Queued before start'), value: queued });
  if (times.length) rows.push({ label: t('Times'), value: duration ?? times[0].value, icon: 'history', children: times });
  return rows;
}

/** The S3 outputs of a job, for "Download outputs". */
export function s3Outputs(d: ProcessingJobDescriptionLike): { name: string; uri: string }[] {
  return (d.ProcessingOutputConfig?.Outputs ?? [])
    .filter((o) => o.S3Output?.S3Uri)
    .map((o, i) => ({ name: o.OutputName || `output-${i + 1}`, uri: o.S3Output!.S3Uri! }));
}

/**
 * The local file for an S3 key under a downloaded prefix: never outside `dir` (keys with `..` or absolute parts are
 * refused → undefined). Uses '/' separators; the caller joins with the platform path.
 */
export function relativeKeyPath(prefix: string, key: string): string | undefined {
  let rel = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  rel = rel.replace(/^\/+/, '');
  if (!rel) rel = key.split('/').pop() ?? '';
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (!parts.length || parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/** A DescribeProcessingJob response as a job summary (the tree and the poller use summaries). */
export function summaryFromDescription(d: ProcessingJobDescriptionLike): JobSummary {
  return {
    name: d.ProcessingJobName ?? '',
    arn: d.ProcessingJobArn ?? '',
    status: (d.ProcessingJobStatus ?? 'InProgress') as JobStatus,
    creationTime: d.CreationTime ?? new Date(0),
    // Only when known (a description): a list's summary has none, and must not erase one already known.
    ...(d.ProcessingStartTime ? { startTime: d.ProcessingStartTime } : {}),
    endTime: d.ProcessingEndTime,
    lastModifiedTime: d.LastModifiedTime,
    failureReason: d.FailureReason,
    exitMessage: d.ExitMessage,
  };
}
