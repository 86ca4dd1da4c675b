import * as path from 'node:path';
import { CODE_DIR, CODE_INPUT, ENTRYPOINT_DIR, ENTRYPOINT_INPUT, INSTALL_REQUIREMENTS, INSTALL_REQUIREMENTS_PY, codeKey, containerEntrypoint, jobKeyPrefix, localInputPrefix, runprocScript, runprocScriptV3, sourceDirKeys } from './layout';
import { ALWAYS_EXCLUDED, excludeMatcher, listFilesAsync, sourceDirFiles, type FileSystemPort } from './files';
import type { ResolvedJob } from './types';

/** The CreateProcessingJob request, shaped like the API (and the SDK v3 input type), free of the SDK. */
export interface ProcessingJobRequest {
  ProcessingJobName: string;
  RoleArn: string;
  AppSpecification: { ImageUri: string; ContainerEntrypoint?: string[]; ContainerArguments?: string[] };
  ProcessingResources: { ClusterConfig: { InstanceCount: number; InstanceType: string; VolumeSizeInGB: number; VolumeKmsKeyId?: string } };
  ProcessingInputs?: {
    InputName: string;
    /** v2 sends false; v3 leaves it out (its shapes' Unassigned default is dropped when serialised). */
    AppManaged?: boolean;
    S3Input: {
      S3Uri: string;
      LocalPath: string;
      S3DataType: 'S3Prefix' | 'ManifestFile';
      S3InputMode: 'File' | 'Pipe';
      S3DataDistributionType: 'FullyReplicated' | 'ShardedByS3Key';
      S3CompressionType: 'None' | 'Gzip';
    };
  }[];
  ProcessingOutputConfig?: {
    Outputs: { OutputName: string; AppManaged?: boolean; S3Output: { S3Uri: string; LocalPath: string; S3UploadMode: 'EndOfJob' | 'Continuous' } }[];
    KmsKeyId?: string;
  };
  StoppingCondition?: { MaxRuntimeInSeconds: number };
  Environment?: Record<string, string>;
  NetworkConfig?: {
    EnableNetworkIsolation?: boolean;
    EnableInterContainerTrafficEncryption?: boolean;
    VpcConfig?: { Subnets: string[]; SecurityGroupIds: string[] };
  };
  Tags?: { Key: string; Value: string }[];
  ExperimentConfig?: { ExperimentName?: string; TrialName?: string; TrialComponentDisplayName?: string; RunName?: string };
}

/** One upload before the job is created. */
export interface PlannedUpload {
  bucket: string;
  key: string;
  body: { file: string } | { content: string | Buffer } | { sourceDir: string; files: string[] };
  /** Bytes to upload (for sourceDir: the packed files' sizes, before compression). */
  size?: number;
  /** What the user sees in progress messages. */
  label: string;
  /** Server-side encryption the SDK asks for on this object (PutObject ServerSideEncryption/SSEKMSKeyId). */
  sse?: { ServerSideEncryption: 'aws:kms'; SSEKMSKeyId?: string };
  /** ExpectedBucketOwner: the SDK sends the caller's account on every upload to its own generated default bucket. */
  expectedBucketOwner?: string;
}

/** Spark (PySparkProcessor) container paths and channel names. */
export const SPARK_EVENT_LOGS_DIR = '/opt/ml/processing/spark-events/';
const SPARK_CHANNELS = { pyFiles: 'py-files', jars: 'jars', files: 'files' } as const;
const SPARK_BASE = '/opt/ml/processing/input/';

/** Python's json.dumps(v) (", " and ": " separators, non-ASCII escaped): the bytes of the SDK's configuration.json. */
export function pythonJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(x)}`).join(', ')}}`;
}

/** The Spark dependency channels: S3 URIs pass through; local files/folders are uploaded to `<job>/input/<channel>`. */
function sparkChannels(job: ResolvedJob, fsp: Pick<FileSystemPort, 'isDirectory'>) {
  const out: { option: string; channel: string; opt: string; local: { path: string; isDir: boolean }[] }[] = [];
  if (!job.spark) return out;
  for (const k of ['pyFiles', 'jars', 'files'] as const) {
    const deps = job.spark[k];
    if (!deps.length) continue;
    const channel = SPARK_CHANNELS[k];
    const s3uris = deps.filter((d) => /^s3a?:\/\//.test(d));
    const local = deps.filter((d) => !/^s3a?:\/\//.test(d)).map((p) => ({ path: p, isDir: fsp.isDirectory(p) }));
    const opt = [...s3uris, ...(local.length ? [`${SPARK_BASE}${channel}`] : [])].join(',');
    out.push({ option: `--${channel}`, channel, opt, local });
  }
  return out;
}

function sparkConfKey(job: ResolvedJob): string {
  return `${jobKeyPrefix(job)}/input/conf/configuration.json`;
}

function s3(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Where a local input lands in S3: a file at `<job>/input/<name>/<basename>`, a folder at the prefix `<job>/input/<name>`. */
function localInputUri(job: ResolvedJob, name: string, p: string, isDir: boolean): string {
  const prefix = localInputPrefix(job, name);
  return isDir ? s3(job.bucket, prefix) : s3(job.bucket, `${prefix}/${path.basename(p)}`);
}

/** Builds exactly the request the SageMaker Python SDK's ScriptProcessor/FrameworkProcessor.run would send. */
export function buildRequest(job: ResolvedJob, fsp: Pick<FileSystemPort, 'isDirectory'>): ProcessingJobRequest {
  const inputs: NonNullable<ProcessingJobRequest['ProcessingInputs']> = job.inputs.map((i) => ({
    InputName: i.name,
    AppManaged: false,
    S3Input: {
      S3Uri: i.source.kind === 's3' ? i.source.uri : i.source.kind === 'local' ? localInputUri(job, i.name, i.source.path, fsp.isDirectory(i.source.path)) : s3(job.bucket, localInputPrefix(job, i.name)),
      LocalPath: i.destination,
      S3DataType: i.dataType,
      S3InputMode: i.inputMode,
      S3DataDistributionType: i.distribution,
      S3CompressionType: i.compression,
    },
  }));
  const codeInput = (name: string, uri: string, dest: string) => ({
    InputName: name,
    AppManaged: false,
    S3Input: { S3Uri: uri, LocalPath: dest, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' } as const,
  });
  let entrypoint = containerEntrypoint(job);
  const sparkOutputs: NonNullable<ProcessingJobRequest['ProcessingOutputConfig']>['Outputs'] = [];
  if (job.spark) {
    // PySparkProcessor.run: py-files, jars, files channels, the configuration, event logs, then the app as `code`.
    const command = ['smspark-submit'];
    for (const c of sparkChannels(job, fsp)) {
      if (c.local.length) inputs.push(codeInput(c.channel, s3(job.bucket, localInputPrefix(job, c.channel)), `${SPARK_BASE}${c.channel}`));
      command.push(c.option, c.opt);
    }
    if (job.spark.eventLogsS3Uri) {
      command.push('--local-spark-event-logs-dir', SPARK_EVENT_LOGS_DIR);
      // v2 names the event-logs output like an unnamed one (output-<n>); v3 names it spark-event-logs.
      sparkOutputs.push({ OutputName: job.sdk === 'v3' ? 'spark-event-logs' : `output-${job.outputs.length + 1}`, AppManaged: false, S3Output: { S3Uri: job.spark.eventLogsS3Uri, LocalPath: SPARK_EVENT_LOGS_DIR, S3UploadMode: 'Continuous' } });
    }
    if (job.spark.configuration) inputs.push(codeInput('conf', s3(job.bucket, sparkConfKey(job)), `${SPARK_BASE}conf`));
    entrypoint = [...command, `${CODE_DIR}/${job.scriptBasename}`];
  }
  if (job.sourceDir) {
    const keys = sourceDirKeys(job);
    // v2 mounts sourcedir.tar.gz alone; v3 the whole `<job>/source/` folder (with runproc.sh and install_requirements.py).
    inputs.push(codeInput(CODE_INPUT, s3(job.bucket, job.sdk === 'v3' ? keys.folder : keys.tar), `${CODE_DIR}/`));
    inputs.push(codeInput(ENTRYPOINT_INPUT, s3(job.bucket, keys.runproc), ENTRYPOINT_DIR));
  } else {
    inputs.push(codeInput(CODE_INPUT, s3(job.bucket, codeKey(job)), CODE_DIR));
  }
  const req: ProcessingJobRequest = {
    ProcessingJobName: job.jobName,
    ProcessingResources: {
      ClusterConfig: { InstanceCount: job.instanceCount, InstanceType: job.instanceType, VolumeSizeInGB: job.volumeSizeGB, ...(job.volumeKmsKeyId ? { VolumeKmsKeyId: job.volumeKmsKeyId } : {}) },
    },
    AppSpecification: { ImageUri: job.image, ContainerEntrypoint: entrypoint, ...(job.arguments.length ? { ContainerArguments: job.arguments } : {}) },
    RoleArn: job.role,
    ProcessingInputs: inputs,
  };
  if (job.outputs.length || sparkOutputs.length) {
    req.ProcessingOutputConfig = {
      Outputs: [...job.outputs.map((o) => ({ OutputName: o.name, AppManaged: false, S3Output: { S3Uri: o.destination, LocalPath: o.source, S3UploadMode: o.uploadMode } })), ...sparkOutputs],
      ...(job.outputKmsKeyId ? { KmsKeyId: job.outputKmsKeyId } : {}),
    };
  }
  if (job.maxRuntimeSeconds) req.StoppingCondition = { MaxRuntimeInSeconds: job.maxRuntimeSeconds };
  // The Spark processors pass env={} on, so the SDK sends an empty Environment for them.
  if (Object.keys(job.environment).length || job.spark) req.Environment = { ...job.environment };
  const n = job.network;
  if (n) {
    // NetworkConfig._to_request_dict: EnableNetworkIsolation is always sent (false when not given).
    req.NetworkConfig = {
      EnableNetworkIsolation: n.enableNetworkIsolation ?? false,
      ...(n.enableInterContainerTrafficEncryption !== undefined ? { EnableInterContainerTrafficEncryption: n.enableInterContainerTrafficEncryption } : {}),
      ...(n.subnets?.length || n.securityGroups?.length ? { VpcConfig: { SecurityGroupIds: n.securityGroups ?? [], Subnets: n.subnets ?? [] } } : {}),
    };
  }
  if (Object.keys(job.tags).length) req.Tags = Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value }));
  if (job.experimentConfig && Object.keys(job.experimentConfig).length) req.ExperimentConfig = { ...job.experimentConfig };
  if (job.sdk === 'v3') {
    // v3 sends no AppManaged on its inputs and outputs (the API's default, false, applies).
    for (const i of req.ProcessingInputs ?? []) delete i.AppManaged;
    for (const o of req.ProcessingOutputConfig?.Outputs ?? []) delete o.AppManaged;
  }
  return req;
}

/**
 * The uploads the SDK does before creating the job, with the same encryption and owner headers: code (or
 * sourcedir.tar.gz + runproc.sh), Spark dependencies and configuration, then local inputs. Folders are walked without
 * blocking; `.git` and the job's `exclude` globs are left out, and so are links and special files.
 */
export async function planUploads(job: ResolvedJob, fsp: Pick<FileSystemPort, 'isDirectory'>): Promise<PlannedUpload[]> {
  const ups: PlannedUpload[] = [];
  const owner = job.bucketGenerated ? { expectedBucketOwner: job.account } : {};
  const kms = (key: string | undefined): Pick<PlannedUpload, 'sse'> => (key ? { sse: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key } } : {});
  const up = (key: string, body: PlannedUpload['body'], label: string, extra: Pick<PlannedUpload, 'sse'> = {}) => ups.push({ bucket: job.bucket, key, body, label, ...extra, ...owner });
  const listFiles = (dir: string) => listFilesAsync(dir, excludeMatcher([...ALWAYS_EXCLUDED, ...job.exclude]));
  if (job.sourceDir) {
    const keys = sourceDirKeys(job);
    const files = await sourceDirFiles(job.sourceDir, job.exclude);
    const script = job.scriptInSourceDir ?? job.scriptBasename;
    if (job.sdk === 'v3') {
      // v3 _package_code: sourcedir.tar.gz with kms_key only; install_requirements.py and runproc.sh with kms_key or the output key.
      up(keys.tar, { sourceDir: job.sourceDir, files }, `${path.basename(job.sourceDir)}/ as sourcedir.tar.gz`, kms(job.kmsKey));
      up(keys.installRequirements, { content: INSTALL_REQUIREMENTS_PY }, INSTALL_REQUIREMENTS, kms(job.kmsKey ?? job.outputKmsKeyId));
      up(keys.runproc, { content: runprocScriptV3(job.command, script, job.requirements) }, 'runproc.sh', kms(job.kmsKey ?? job.outputKmsKeyId));
    } else {
      // tar_and_upload_dir: SSE-KMS always (with the output KMS key when set); runproc.sh with kms_key or the output key.
      up(keys.tar, { sourceDir: job.sourceDir, files }, `${path.basename(job.sourceDir)}/ as sourcedir.tar.gz`, { sse: { ServerSideEncryption: 'aws:kms', ...(job.outputKmsKeyId ? { SSEKMSKeyId: job.outputKmsKeyId } : {}) } });
      up(keys.runproc, { content: runprocScript(job.command, script, job.requirements) }, 'runproc.sh', kms(job.kmsKey ?? job.outputKmsKeyId));
    }
  } else {
    if (job.spark) {
      for (const c of sparkChannels(job, fsp)) {
        const prefix = localInputPrefix(job, c.channel);
        for (const l of c.local) {
          if (l.isDir) for (const rel of await listFiles(l.path)) up(`${prefix}/${path.basename(l.path)}/${rel}`, { file: path.join(l.path, rel) }, `${c.channel}: ${path.basename(l.path)}/${rel}`);
          else up(`${prefix}/${path.basename(l.path)}`, { file: l.path }, `${c.channel}: ${path.basename(l.path)}`);
        }
      }
      if (job.spark.configuration) up(sparkConfKey(job), { content: pythonJsonDumps(job.spark.configuration) }, 'configuration.json');
    }
    up(codeKey(job), { file: job.scriptPath }, job.scriptBasename, kms(job.kmsKey));
  }
  for (const i of job.inputs) {
    if (i.source.kind !== 'local') continue;
    const prefix = localInputPrefix(job, i.name);
    if (fsp.isDirectory(i.source.path)) {
      for (const rel of await listFiles(i.source.path)) up(`${prefix}/${rel}`, { file: path.join(i.source.path, rel) }, `${i.name}: ${rel}`, kms(job.kmsKey));
    } else {
      up(`${prefix}/${path.basename(i.source.path)}`, { file: i.source.path }, `${i.name}: ${path.basename(i.source.path)}`, kms(job.kmsKey));
    }
  }
  return ups;
}
