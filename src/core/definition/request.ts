import * as path from 'node:path';
import { CODE_DIR, CODE_INPUT, ENTRYPOINT_DIR, ENTRYPOINT_INPUT, codeKey, containerEntrypoint, localInputPrefix, runprocScript, sourceDirKeys } from './layout';
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
    AppManaged: boolean;
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
    Outputs: { OutputName: string; AppManaged: boolean; S3Output: { S3Uri: string; LocalPath: string; S3UploadMode: 'EndOfJob' | 'Continuous' } }[];
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
  if (job.sourceDir) {
    const keys = sourceDirKeys(job);
    inputs.push(codeInput(CODE_INPUT, s3(job.bucket, keys.tar), `${CODE_DIR}/`));
    inputs.push(codeInput(ENTRYPOINT_INPUT, s3(job.bucket, keys.runproc), ENTRYPOINT_DIR));
  } else {
    inputs.push(codeInput(CODE_INPUT, s3(job.bucket, codeKey(job)), CODE_DIR));
  }
  const req: ProcessingJobRequest = {
    ProcessingJobName: job.jobName,
    ProcessingResources: {
      ClusterConfig: { InstanceCount: job.instanceCount, InstanceType: job.instanceType, VolumeSizeInGB: job.volumeSizeGB, ...(job.volumeKmsKeyId ? { VolumeKmsKeyId: job.volumeKmsKeyId } : {}) },
    },
    AppSpecification: { ImageUri: job.image, ContainerEntrypoint: containerEntrypoint(job), ...(job.arguments.length ? { ContainerArguments: job.arguments } : {}) },
    RoleArn: job.role,
    ProcessingInputs: inputs,
  };
  if (job.outputs.length) {
    req.ProcessingOutputConfig = {
      Outputs: job.outputs.map((o) => ({ OutputName: o.name, AppManaged: false, S3Output: { S3Uri: o.destination, LocalPath: o.source, S3UploadMode: o.uploadMode } })),
      ...(job.outputKmsKeyId ? { KmsKeyId: job.outputKmsKeyId } : {}),
    };
  }
  if (job.maxRuntimeSeconds) req.StoppingCondition = { MaxRuntimeInSeconds: job.maxRuntimeSeconds };
  if (Object.keys(job.environment).length) req.Environment = { ...job.environment };
  const n = job.network;
  if (n && (n.enableNetworkIsolation !== undefined || n.enableInterContainerTrafficEncryption !== undefined || n.subnets?.length)) {
    req.NetworkConfig = {
      ...(n.enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: n.enableNetworkIsolation } : {}),
      ...(n.enableInterContainerTrafficEncryption !== undefined ? { EnableInterContainerTrafficEncryption: n.enableInterContainerTrafficEncryption } : {}),
      ...(n.subnets?.length ? { VpcConfig: { Subnets: n.subnets, SecurityGroupIds: n.securityGroups ?? [] } } : {}),
    };
  }
  if (Object.keys(job.tags).length) req.Tags = Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value }));
  return req;
}

/**
 * The uploads the SDK does before creating the job: code (or sourcedir.tar.gz + runproc.sh), then local inputs. Folders
 * are walked without blocking; `.git` and the job's `exclude` globs are left out, and so are links and special files.
 */
export async function planUploads(job: ResolvedJob, fsp: Pick<FileSystemPort, 'isDirectory'>): Promise<PlannedUpload[]> {
  const ups: PlannedUpload[] = [];
  if (job.sourceDir) {
    const keys = sourceDirKeys(job);
    const files = await sourceDirFiles(job.sourceDir, job.exclude);
    ups.push({ bucket: job.bucket, key: keys.tar, body: { sourceDir: job.sourceDir, files }, label: `${path.basename(job.sourceDir)}/ as sourcedir.tar.gz` });
    ups.push({ bucket: job.bucket, key: keys.runproc, body: { content: runprocScript(job.command, job.scriptInSourceDir ?? job.scriptBasename, job.requirements) }, label: 'runproc.sh' });
  } else {
    ups.push({ bucket: job.bucket, key: codeKey(job), body: { file: job.scriptPath }, label: job.scriptBasename });
  }
  for (const i of job.inputs) {
    if (i.source.kind !== 'local') continue;
    const prefix = localInputPrefix(job, i.name);
    if (fsp.isDirectory(i.source.path)) {
      for (const rel of await listFilesAsync(i.source.path, excludeMatcher([...ALWAYS_EXCLUDED, ...job.exclude]))) ups.push({ bucket: job.bucket, key: `${prefix}/${rel}`, body: { file: path.join(i.source.path, rel) }, label: `${i.name}: ${rel}` });
    } else {
      ups.push({ bucket: job.bucket, key: `${prefix}/${path.basename(i.source.path)}`, body: { file: i.source.path }, label: `${i.name}: ${path.basename(i.source.path)}` });
    }
  }
  return ups;
}
