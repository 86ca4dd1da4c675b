// CreateProcessingJob validated the way SageMaker does before it accepts a job: the API's own constraints (name
// pattern, lengths, limits, enums, ARN shapes) answered as a ValidationException with SageMaker's wording.
import { INSTANCE_TYPES, LIMITS } from '../../../src/core/definition/limits';

export const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const IMAGE_URI = /^[\S]{1,255}$/;
const LOCAL_PATH = /^\/opt\/ml\/processing\/.+/;
const S3_URI = /^(https|s3):\/\/([^/]+)\/?(.*)$/;

export class ApiError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** The request fields the backend reads (the SDK's CreateProcessingJob input, as JSON). */
export interface CreateRequest {
  ProcessingJobName?: string;
  RoleArn?: string;
  AppSpecification?: { ImageUri?: string; ContainerEntrypoint?: string[]; ContainerArguments?: string[] };
  Environment?: Record<string, string>;
  ProcessingInputs?: {
    InputName?: string;
    AppManaged?: boolean;
    S3Input?: { S3Uri?: string; LocalPath?: string; S3DataType?: string; S3InputMode?: string; S3DataDistributionType?: string; S3CompressionType?: string };
    DatasetDefinition?: unknown;
  }[];
  ProcessingOutputConfig?: { Outputs?: { OutputName?: string; AppManaged?: boolean; S3Output?: { S3Uri?: string; LocalPath?: string; S3UploadMode?: string }; FeatureStoreOutput?: unknown }[]; KmsKeyId?: string };
  ProcessingResources?: { ClusterConfig?: { InstanceCount?: number; InstanceType?: string; VolumeSizeInGB?: number; VolumeKmsKeyId?: string } };
  StoppingCondition?: { MaxRuntimeInSeconds?: number };
  NetworkConfig?: { EnableNetworkIsolation?: boolean; EnableInterContainerTrafficEncryption?: boolean; VpcConfig?: unknown };
  Tags?: { Key?: string; Value?: string }[];
  ExperimentConfig?: unknown;
}

/** Collects violations as AWS words them: "1 validation error detected: Value '…' at '…' failed to satisfy constraint: …". */
class Problems {
  readonly list: string[] = [];
  add(value: unknown, at: string, constraint: string): void {
    const v = typeof value === 'string' ? value : JSON.stringify(value);
    this.list.push(`Value '${v}' at '${at}' failed to satisfy constraint: ${constraint}`);
  }
  throwIfAny(): void {
    if (!this.list.length) return;
    const n = this.list.length;
    throw new ApiError('ValidationException', `${n} validation error${n > 1 ? 's' : ''} detected: ${this.list.join('; ')}`);
  }
}

function str(p: Problems, v: unknown, at: string, opts: { min?: number; max: number; pattern?: RegExp; required?: boolean }): void {
  if (v === undefined || v === null) {
    if (opts.required) p.add(null, at, 'Member must not be null');
    return;
  }
  if (typeof v !== 'string') return p.add(v, at, 'Member must be a string');
  if (v.length < (opts.min ?? 0)) p.add(v, at, `Member must have length greater than or equal to ${opts.min}`);
  if (v.length > opts.max) p.add(v, at, `Member must have length less than or equal to ${opts.max}`);
  if (opts.pattern && !opts.pattern.test(v)) p.add(v, at, `Member must satisfy regular expression pattern: ${opts.pattern.source}`);
}

function num(p: Problems, v: unknown, at: string, min: number, max: number, required = false): void {
  if (v === undefined || v === null) {
    if (required) p.add(null, at, 'Member must not be null');
    return;
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) return p.add(v, at, 'Member must be an integer');
  if (v < min) p.add(v, at, `Member must have value greater than or equal to ${min}`);
  if (v > max) p.add(v, at, `Member must have value less than or equal to ${max}`);
}

function oneOf(p: Problems, v: unknown, at: string, values: readonly string[]): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || !values.includes(v)) p.add(v, at, `Member must satisfy enum value set: [${values.join(', ')}]`);
}

function list(p: Problems, v: unknown, at: string, max: number, item?: (x: unknown, i: number) => void): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) return p.add(v, at, 'Member must be a list');
  if (v.length > max) p.add(v, at, `Member must have length less than or equal to ${max}`);
  v.forEach((x, i) => item?.(x, i));
}

/** Validates a CreateProcessingJob request; throws ApiError('ValidationException', …) naming every problem. */
export function validateCreate(r: CreateRequest): void {
  const p = new Problems();
  str(p, r.ProcessingJobName, 'processingJobName', { min: 1, max: 63, pattern: JOB_NAME, required: true });
  str(p, r.RoleArn, 'roleArn', { min: 20, max: 2048, pattern: ROLE_ARN, required: true });
  const app = r.AppSpecification;
  if (!app) p.add(null, 'appSpecification', 'Member must not be null');
  else {
    str(p, app.ImageUri, 'appSpecification.imageUri', { max: 255, pattern: IMAGE_URI, required: true });
    list(p, app.ContainerEntrypoint, 'appSpecification.containerEntrypoint', LIMITS.entrypoint, (x, i) =>
      str(p, x, `appSpecification.containerEntrypoint.${i + 1}.member`, { min: 1, max: LIMITS.argumentLength, pattern: /.*/ }));
    list(p, app.ContainerArguments, 'appSpecification.containerArguments', LIMITS.arguments, (x, i) =>
      str(p, x, `appSpecification.containerArguments.${i + 1}.member`, { min: 1, max: LIMITS.argumentLength, pattern: /.*/ }));
  }
  if (r.Environment !== undefined) {
    const entries = Object.entries(r.Environment ?? {});
    if (entries.length > LIMITS.environment) p.add(r.Environment, 'environment', `Member must have length less than or equal to ${LIMITS.environment}`);
    for (const [k, v] of entries) {
      str(p, k, 'environment', { max: LIMITS.environmentKeyLength, pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/ });
      str(p, v, `environment.${k}`, { max: LIMITS.environmentValueLength, pattern: /^[\S\s]*$/ });
    }
  }
  const cluster = r.ProcessingResources?.ClusterConfig;
  if (!cluster) p.add(null, 'processingResources.clusterConfig', 'Member must not be null');
  else {
    num(p, cluster.InstanceCount, 'processingResources.clusterConfig.instanceCount', LIMITS.instanceCountMin, LIMITS.instanceCountMax, true);
    if (cluster.InstanceType === undefined) p.add(null, 'processingResources.clusterConfig.instanceType', 'Member must not be null');
    else oneOf(p, cluster.InstanceType, 'processingResources.clusterConfig.instanceType', INSTANCE_TYPES);
    num(p, cluster.VolumeSizeInGB, 'processingResources.clusterConfig.volumeSizeInGB', 1, LIMITS.volumeSizeGBMax, true);
  }
  if (r.StoppingCondition) num(p, r.StoppingCondition.MaxRuntimeInSeconds, 'stoppingCondition.maxRuntimeInSeconds', 1, LIMITS.maxRuntimeSeconds, true);
  const names = new Set<string>();
  list(p, r.ProcessingInputs, 'processingInputs', LIMITS.inputs, (x, i) => {
    const inp = x as NonNullable<CreateRequest['ProcessingInputs']>[number];
    const at = `processingInputs.${i + 1}.member`;
    str(p, inp.InputName, `${at}.inputName`, { min: 1, max: 256, required: true });
    if (inp.InputName) {
      if (names.has(inp.InputName)) p.add(inp.InputName, `${at}.inputName`, 'Input and output names must be unique');
      names.add(inp.InputName);
    }
    if (inp.S3Input) {
      str(p, inp.S3Input.S3Uri, `${at}.s3Input.s3Uri`, { max: 1024, pattern: S3_URI, required: true });
      str(p, inp.S3Input.LocalPath, `${at}.s3Input.localPath`, { max: 256, pattern: LOCAL_PATH, required: true });
      oneOf(p, inp.S3Input.S3DataType, `${at}.s3Input.s3DataType`, ['ManifestFile', 'S3Prefix']);
      oneOf(p, inp.S3Input.S3InputMode, `${at}.s3Input.s3InputMode`, ['Pipe', 'File']);
      oneOf(p, inp.S3Input.S3DataDistributionType, `${at}.s3Input.s3DataDistributionType`, ['FullyReplicated', 'ShardedByS3Key']);
      oneOf(p, inp.S3Input.S3CompressionType, `${at}.s3Input.s3CompressionType`, ['None', 'Gzip']);
      if (inp.S3Input.S3DataType === undefined) p.add(null, `${at}.s3Input.s3DataType`, 'Member must not be null');
    } else if (!inp.DatasetDefinition) {
      p.add(null, `${at}`, 'One of S3Input or DatasetDefinition must be provided');
    }
  });
  const outNames = new Set<string>();
  list(p, r.ProcessingOutputConfig?.Outputs, 'processingOutputConfig.outputs', LIMITS.outputs, (x, i) => {
    const out = x as NonNullable<NonNullable<CreateRequest['ProcessingOutputConfig']>['Outputs']>[number];
    const at = `processingOutputConfig.outputs.${i + 1}.member`;
    str(p, out.OutputName, `${at}.outputName`, { min: 1, max: 256, required: true });
    if (out.OutputName) {
      if (outNames.has(out.OutputName)) p.add(out.OutputName, `${at}.outputName`, 'Output names must be unique');
      outNames.add(out.OutputName);
    }
    if (out.S3Output) {
      str(p, out.S3Output.S3Uri, `${at}.s3Output.s3Uri`, { max: 1024, pattern: S3_URI, required: true });
      str(p, out.S3Output.LocalPath, `${at}.s3Output.localPath`, { max: 256, pattern: LOCAL_PATH, required: true });
      if (out.S3Output.S3UploadMode === undefined) p.add(null, `${at}.s3Output.s3UploadMode`, 'Member must not be null');
      oneOf(p, out.S3Output.S3UploadMode, `${at}.s3Output.s3UploadMode`, ['Continuous', 'EndOfJob']);
    } else if (!out.FeatureStoreOutput) {
      p.add(null, `${at}`, 'One of S3Output or FeatureStoreOutput must be provided');
    }
  });
  list(p, r.Tags, 'tags', LIMITS.tags);
  p.throwIfAny();
}

/** What this backend cannot play although SageMaker accepts it: the job then fails saying so (never silently ignored). */
export function unsupported(r: CreateRequest): string | undefined {
  for (const i of r.ProcessingInputs ?? []) {
    if (i.DatasetDefinition) return `input ${i.InputName}: DatasetDefinition (Athena/Redshift) inputs are not emulated by the local backend`;
    if (i.S3Input?.S3InputMode === 'Pipe') return `input ${i.InputName}: Pipe mode is not emulated by the local backend`;
    if (i.S3Input?.S3CompressionType === 'Gzip') return `input ${i.InputName}: Gzip compression is not emulated by the local backend`;
    if (i.S3Input?.S3DataType === 'ManifestFile') return `input ${i.InputName}: ManifestFile inputs are not emulated by the local backend`;
    if (i.S3Input && !i.S3Input.S3Uri?.startsWith('s3://')) return `input ${i.InputName}: only s3:// URIs are emulated by the local backend`;
  }
  for (const o of r.ProcessingOutputConfig?.Outputs ?? []) {
    if (o.FeatureStoreOutput) return `output ${o.OutputName}: FeatureStoreOutput is not emulated by the local backend`;
  }
  return undefined;
}
