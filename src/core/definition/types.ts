/** The job definition file `.vscode/sagemaker-processing.json` (JSONC), as written by the user. */
export const DEFINITION_FILE = '.vscode/sagemaker-processing.json';
export const PROCESSING_ROOT = '/opt/ml/processing/';

export type S3InputMode = 'File' | 'Pipe';
export type S3DataType = 'S3Prefix' | 'ManifestFile';
export type S3DataDistribution = 'FullyReplicated' | 'ShardedByS3Key';
export type S3Compression = 'None' | 'Gzip';
export type S3UploadMode = 'EndOfJob' | 'Continuous';

export interface InputDef {
  name?: string;
  /** `s3://bucket/prefix` or a local file/folder (relative to the workspace folder) that is uploaded. */
  source: string;
  destination: string;
  inputMode?: S3InputMode;
  dataType?: S3DataType;
  distribution?: S3DataDistribution;
  compression?: S3Compression;
}

export interface OutputDef {
  name?: string;
  /** Folder inside the container, under /opt/ml/processing/. */
  source: string;
  /** `s3://…`; default `s3://<bucket>/<job>/output/<name>`. */
  destination?: string;
  uploadMode?: S3UploadMode;
}

export interface FrameworkDef {
  name: string;
  version: string;
  pythonVersion?: string;
}

export interface BuildDef {
  dockerfile?: string;
  context?: string;
  repository: string;
  tag?: string;
  buildArgs?: Record<string, string>;
  platform?: string;
}

/** PySparkProcessor.run options (framework "spark"): how the job's `script` is given to `smspark-submit`. */
export interface SparkDef {
  /** `--py-files`: S3 URIs, or local files/folders (uploaded as input `py-files`). */
  submitPyFiles?: string[];
  /** `--jars`: S3 URIs, or local files/folders (uploaded as input `jars`). */
  submitJars?: string[];
  /** `--files`: S3 URIs, or local files/folders (uploaded as input `files`). */
  submitFiles?: string[];
  /** EMR-style classifications, uploaded as `conf/configuration.json`. */
  configuration?: SparkConfiguration | SparkConfiguration[];
  /** Where Spark event logs are published (a Continuous output of /opt/ml/processing/spark-events/). */
  eventLogsS3Uri?: string;
}

export interface SparkConfiguration {
  Classification: string;
  Properties: Record<string, string>;
  Configurations?: SparkConfiguration[];
}

/** `experiment_config` of the SDK's run(). */
export interface ExperimentConfigDef {
  ExperimentName?: string;
  TrialName?: string;
  TrialComponentDisplayName?: string;
  RunName?: string;
}

export interface NetworkDef {
  subnets?: string[];
  securityGroups?: string[];
  enableNetworkIsolation?: boolean;
  enableInterContainerTrafficEncryption?: boolean;
}

/** Which SageMaker Python SDK's requests a job follows (see src/core/definition/sdkVersion.ts). */
export type SdkVersion = 'v2' | 'v3';

/** A notebook parameter's value (see ./notebook.ts). */
export type NotebookParameter = string | number | boolean | null | NotebookParameter[] | { [k: string]: NotebookParameter };

/** Fields shared by `defaults` and each job. */
export interface JobFields {
  /** Send what this major version of the SageMaker Python SDK sends ("v2": 2.x, "v3": 3.x). */
  sdk?: SdkVersion;
  script?: string;
  /** Run this notebook (.ipynb) with papermill instead of a script; the executed copy is the output "notebook". */
  notebook?: string;
  /** Values papermill injects after the notebook's cell tagged `parameters`. */
  parameters?: Record<string, NotebookParameter>;
  image?: string;
  framework?: FrameworkDef;
  build?: BuildDef;
  command?: string[];
  role?: string;
  instanceType?: string;
  instanceCount?: number;
  volumeSizeGB?: number;
  maxRuntimeSeconds?: number;
  inputs?: InputDef[];
  outputs?: OutputDef[];
  arguments?: string[];
  environment?: Record<string, string>;
  network?: NetworkDef;
  tags?: Record<string, string>;
  volumeKmsKeyId?: string;
  outputKmsKeyId?: string;
  baseJobName?: string;
  /** FrameworkProcessor behaviour: the folder packed as sourcedir.tar.gz; `script` is relative to it. */
  sourceDir?: string;
  /** requirements file inside sourceDir (default requirements.txt, installed when present). */
  requirements?: string;
  /** Bucket for code and local inputs (default: the setting, else sagemaker-<region>-<account>); created if missing. */
  bucket?: string;
  /** An explicit job name (run(job_name=…)); default: base name + timestamp. */
  jobName?: string;
  /** run(experiment_config=…). */
  experimentConfig?: ExperimentConfigDef;
  /** run(kms_key=…): KMS key for the uploaded code and local inputs. */
  kmsKey?: string;
  /** Session(default_bucket_prefix=…): a key prefix for everything the job uploads or writes by default. */
  defaultBucketPrefix?: string;
  /** PySparkProcessor.run options (with framework "spark"). */
  spark?: SparkDef;
  /** Run the job unattended: a SageMaker pipeline with one processing step, started by an EventBridge Scheduler schedule. */
  schedule?: ScheduleDef;
  /** Globs left out of uploaded folders (sourceDir and local folder inputs), relative to each folder; `.git` always is. */
  exclude?: string[];
}

/** `schedule` on a job (see src/core/schedule). */
export interface ScheduleDef {
  /** EventBridge Scheduler expression: `cron(0 6 * * ? *)`, `rate(1 day)` or `at(2027-01-31T06:00:00)`. */
  expression: string;
  /** IANA time zone the expression is read in (default UTC). */
  timezone?: string;
  /** ISO 8601 date-times bounding the schedule. */
  start?: string;
  end?: string;
  /** false: created paused (DISABLED). Default true. */
  enabled?: boolean;
  /** The role EventBridge Scheduler assumes to start the pipeline (default: asked for, or the job's role). */
  role?: string;
  /** Pipeline and schedule name (default: the job key). */
  name?: string;
}

export type JobDefinition = JobFields;

export interface DefinitionFile {
  version: string;
  defaults?: JobFields;
  jobs: Record<string, JobDefinition>;
}

/** A problem in a definition, with the field path (`jobs.census.inputs[1].destination`) and where it is in the text. */
export interface DefinitionProblem {
  path: string;
  /** The same path as segments (for locating it in the text). */
  segments?: (string | number)[];
  message: string;
  severity: 'error' | 'warning';
  /** Offsets into the text (when the text is known). */
  offset?: number;
  length?: number;
  line?: number; // 0-based
  column?: number; // 0-based
  /** A syntax or schema problem: VS Code's JSON language service reports it too (from the contributed schema). */
  jsonService?: boolean;
}

export class DefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[], readonly file?: string) {
    super(formatProblems(problems, file));
    this.name = 'DefinitionError';
  }
}

export function formatProblem(p: DefinitionProblem, file?: string): string {
  const where = p.line !== undefined ? `${file ? file + ':' : ''}${p.line + 1}:${(p.column ?? 0) + 1}: ` : file ? `${file}: ` : '';
  return `${where}${p.path ? p.path + ': ' : ''}${p.message}`;
}

export function formatProblems(problems: DefinitionProblem[], file?: string): string {
  const errs = problems.filter((p) => p.severity === 'error');
  const list = errs.length ? errs : problems;
  return list.map((p) => formatProblem(p, file)).join('\n');
}

export type InputSource = { kind: 's3'; uri: string } | { kind: 'local'; path: string } | { kind: 'content'; files: Record<string, string> };

export interface ResolvedInput {
  name: string;
  source: InputSource;
  destination: string;
  inputMode: S3InputMode;
  dataType: S3DataType;
  distribution: S3DataDistribution;
  compression: S3Compression;
}

export interface ResolvedOutput {
  name: string;
  source: string;
  /** Always set after resolution: the user's destination or the SDK default. */
  destination: string;
  uploadMode: S3UploadMode;
}

/** A job with defaults merged, variables substituted, paths made absolute and defaults filled. */
export interface ResolvedJob {
  /** Key in `jobs`. */
  key: string;
  /** The SageMaker Python SDK whose requests this job follows (field, run option, setting, workspace pin; else v2). */
  sdk: SdkVersion;
  jobName: string;
  region: string;
  account: string;
  bucket: string;
  /** Absolute local path of the script. */
  scriptPath: string;
  scriptBasename: string;
  /** Absolute folder packed as sourcedir.tar.gz (FrameworkProcessor), if any; `script` is relative to it. */
  sourceDir?: string;
  /** Script path relative to sourceDir (posix). */
  scriptInSourceDir?: string;
  requirements?: string;
  image: string;
  imageSource: 'image' | 'framework' | 'build';
  build?: BuildDef & { dockerfile: string; context: string; tag: string };
  command: string[];
  role: string;
  instanceType: string;
  instanceCount: number;
  volumeSizeGB: number;
  maxRuntimeSeconds?: number;
  /** User inputs (without the generated code/entrypoint inputs). */
  inputs: ResolvedInput[];
  outputs: ResolvedOutput[];
  arguments: string[];
  environment: Record<string, string>;
  network?: NetworkDef;
  tags: Record<string, string>;
  volumeKmsKeyId?: string;
  outputKmsKeyId?: string;
  /** Globs left out of uploaded folders (besides .git). */
  exclude: string[];
  /** True when the bucket is the SDK-generated sagemaker-<region>-<account> (ExpectedBucketOwner is sent). */
  bucketGenerated?: boolean;
  /** Key prefix under the bucket (default_bucket_prefix), '' for none. */
  bucketPrefix?: string;
  experimentConfig?: ExperimentConfigDef;
  kmsKey?: string;
  /** The framework name when the image comes from `framework` (sklearn, spark, …). */
  frameworkName?: string;
  /** Resolved PySparkProcessor options (framework spark). */
  spark?: ResolvedSpark;
}

export interface ResolvedSpark {
  pyFiles: string[];
  jars: string[];
  files: string[];
  configuration?: SparkConfiguration | SparkConfiguration[];
  eventLogsS3Uri?: string;
}
