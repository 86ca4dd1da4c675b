// What "Schedule Job…" creates, built like the SageMaker Python SDK (2.257) does for
// `Pipeline(steps=[ProcessingStep(name, step_args=processor.run(...))]).upsert(role)` followed by
// `pipeline.put_triggers([PipelineSchedule(...)], role_arn)`: the pipeline definition, its uploads and the schedule.
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceDirFiles, type FileSystemPort } from '../definition/files';
import { localPath } from '../definition/export';
import { CODE_INPUT, ENTRYPOINT_INPUT, RUNPROC, SOURCEDIR_TAR, runprocScript } from '../definition/layout';
import { buildRequest, type PlannedUpload, type ProcessingJobRequest } from '../definition/request';
import type { ResolvedJob, ScheduleDef } from '../definition/types';
import { SCHEDULE_NAME } from './check';

/** Tag on pipelines and on the schedule group this extension manages. */
export const MANAGED_TAG = { Key: 'sagemaker-processing:managed', Value: 'true' } as const;
/** Tag naming the job key in the definition a pipeline comes from. */
export const JOB_TAG = 'sagemaker-processing:job';
/** The schedule group our schedules live in (tagged MANAGED_TAG), so listing them is one call. */
export const SCHEDULE_GROUP = 'sagemaker-processing';

/** A pipeline definition value: a literal or a pipeline expression (`Get`, `Std:Join`). */
export type PipelineValue = string | { Get: string } | { 'Std:Join': { On: string; Values: PipelineValue[] } };

export interface PipelineDefinition {
  Version: '2020-12-01';
  Metadata: Record<string, never>;
  Parameters: { Name: string; Type: string; DefaultValue?: unknown }[];
  /** Only in regions with SageMaker Experiments (EXPERIMENTS_REGIONS), as the SDK does. */
  PipelineExperimentConfig?: { ExperimentName: { Get: string }; TrialName: { Get: string } };
  Steps: { Name: string; Type: 'Processing'; Arguments: Record<string, unknown> }[];
}

/** The pipeline name for a job: `schedule.name`, else the job key made a valid pipeline name. */
export function pipelineNameFor(key: string, def?: Pick<ScheduleDef, 'name'>): string {
  if (def?.name) return def.name;
  const n = key.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return SCHEDULE_NAME.test(n) ? n : `job-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** Step names allow letters, digits, "-" and "_". */
export function stepNameFor(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || 'process';
}

/**
 * Regions where SageMaker Experiments is available: copied as data from the SageMaker Python SDK's
 * `EXPERIMENTS_REGIONS` (src/sagemaker/workflow/_utils.py, added by aws/sagemaker-python-sdk#5570, released in
 * 2.257.3). Elsewhere the SDK leaves the default PipelineExperimentConfig out, because executions fail with it there.
 */
export const EXPERIMENTS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'eu-south-1', 'eu-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ap-south-1', 'ap-east-1', 'sa-east-1', 'af-south-1', 'me-south-1', 'il-central-1',
  'cn-north-1', 'cn-northwest-1',
];

/**
 * The SDK's `hash_files_or_dirs(paths)` run from the workspace folder: for each path (sorted) as the SDK is given it
 * (relative to the workspace folder, posix), sha256 over the path, then a file's bytes, or a folder's entries (sorted
 * by name, each name then its content, recursively). So the same code gives the same key on any machine or folder.
 */
export function sdkCodeHash(paths: string[], workspaceFolder: string): string {
  const sha = createHash('sha256');
  for (const p of [...paths].sort()) {
    sha.update(p);
    const abs = path.resolve(workspaceFolder, p);
    if (isDir(abs)) hashDir(abs, sha);
    else if (isFile(abs)) sha.update(fs.readFileSync(abs));
  }
  return sha.digest('hex');
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function hashDir(dir: string, sha: Hash): void {
  for (const name of fs.readdirSync(dir).sort()) {
    sha.update(name);
    const abs = path.join(dir, name);
    if (isFile(abs)) sha.update(fs.readFileSync(abs));
    else if (isDir(abs)) hashDir(abs, sha);
  }
}

/** A local path as the SDK code is given it (and as "Copy as Python SDK Code" writes it): relative to the workspace. */
export function sdkPath(p: string, workspaceFolder: string): string {
  return localPath(p, workspaceFolder);
}

export interface PipelinePlan {
  pipelineName: string;
  stepName: string;
  definition: PipelineDefinition;
  /** Uploads at stable keys: the code under its content hash, local inputs under `<pipeline>/<step>/input/<name>`. */
  uploads: PlannedUpload[];
  /** The request a direct run would send (for comparison and display). */
  request: ProcessingJobRequest;
}

const s3 = (bucket: string, key: string) => `s3://${bucket}/${key}`;

/**
 * The pipeline for a resolved job, as the SDK's ProcessingStep builds it: a ScriptProcessor's script at
 * `<pipeline>/code/<hash of the script>/<name>`; a FrameworkProcessor's (sourceDir) sourcedir.tar.gz at
 * `<pipeline>/code/<hash of code and source_dir>/` and its runproc.sh at `<pipeline>/code/<hash of the script text>/`.
 * The hashes take paths relative to `workspaceFolder` (the SDK run from there). `region` decides the Experiments config.
 */
export async function buildPipelinePlan(job: ResolvedJob, opts: { pipelineName: string; stepName?: string; workspaceFolder: string; fs: Pick<FileSystemPort, 'isDirectory' | 'listFiles' | 'readFile'> }): Promise<PipelinePlan> {
  const { pipelineName, workspaceFolder } = opts;
  const stepName = opts.stepName ?? stepNameFor(job.key);
  const request = buildRequest(job, opts.fs);
  const uploads: PlannedUpload[] = [];
  const codePrefix = [job.bucketPrefix, pipelineName, 'code'].filter(Boolean).join('/');
  const codeUris: Record<string, string> = {};
  if (job.sourceDir) {
    // FrameworkProcessor: get_processing_code_hash hashes [code, source_dir] (code as given, relative to source_dir).
    const code = job.scriptInSourceDir ?? job.scriptBasename;
    const tarKey = `${codePrefix}/${sdkCodeHash([code, sdkPath(job.sourceDir, workspaceFolder)], workspaceFolder)}/${SOURCEDIR_TAR}`;
    const runproc = runprocScript(job.command, code, job.requirements);
    const runprocKey = `${codePrefix}/${createHash('sha256').update(runproc).digest('hex')}/${RUNPROC}`;
    uploads.push({ bucket: job.bucket, key: tarKey, body: { sourceDir: job.sourceDir, files: await sourceDirFiles(job.sourceDir, job.exclude) }, label: SOURCEDIR_TAR });
    uploads.push({ bucket: job.bucket, key: runprocKey, body: { content: runproc }, label: RUNPROC });
    codeUris[CODE_INPUT] = s3(job.bucket, tarKey);
    codeUris[ENTRYPOINT_INPUT] = s3(job.bucket, runprocKey);
  } else {
    const codeKey = `${codePrefix}/${sdkCodeHash([sdkPath(job.scriptPath, workspaceFolder)], workspaceFolder)}/${job.scriptBasename}`;
    uploads.push({ bucket: job.bucket, key: codeKey, body: { file: job.scriptPath }, label: job.scriptBasename });
    codeUris[CODE_INPUT] = s3(job.bucket, codeKey);
  }

  const inputs = (request.ProcessingInputs ?? []).map((inp) => {
    if (codeUris[inp.InputName]) return { ...inp, S3Input: { ...inp.S3Input, S3Uri: codeUris[inp.InputName] } };
    const resolved = job.inputs.find((i) => i.name === inp.InputName);
    if (resolved?.source.kind !== 'local') return inp;
    const p = resolved.source.path;
    const prefix = `${pipelineName}/${stepName}/input/${inp.InputName}`;
    if (opts.fs.isDirectory(p)) {
      for (const rel of opts.fs.listFiles(p)) uploads.push({ bucket: job.bucket, key: `${prefix}/${rel}`, body: { file: path.join(p, rel) }, label: `${inp.InputName}: ${rel}` });
      return { ...inp, S3Input: { ...inp.S3Input, S3Uri: s3(job.bucket, prefix) } };
    }
    uploads.push({ bucket: job.bucket, key: `${prefix}/${path.basename(p)}`, body: { file: p }, label: `${inp.InputName}: ${path.basename(p)}` });
    return { ...inp, S3Input: { ...inp.S3Input, S3Uri: s3(job.bucket, `${prefix}/${path.basename(p)}`) } };
  });
  // The code input goes last, as the SDK appends it after the user's inputs.
  const args: Record<string, unknown> = { ...request, ProcessingInputs: inputs };
  delete args.ProcessingJobName; // Pipelines names each run's job.
  if (request.ProcessingOutputConfig) {
    args.ProcessingOutputConfig = {
      ...request.ProcessingOutputConfig,
      Outputs: request.ProcessingOutputConfig.Outputs.map((o) => {
        const def = job.outputs.find((x) => x.name === o.OutputName);
        const userSet = def && !isDefaultOutput(def.destination, job);
        if (userSet) return o;
        // What changes per run: the output prefix, by execution id (as the SDK does).
        const S3Uri: PipelineValue = { 'Std:Join': { On: '/', Values: ['s3:/', job.bucket, pipelineName, { Get: 'Execution.PipelineExecutionId' }, stepName, 'output', o.OutputName] } };
        return { ...o, S3Output: { ...o.S3Output, S3Uri } };
      }),
    };
  }
  const definition: PipelineDefinition = {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [],
    ...(EXPERIMENTS_REGIONS.includes(job.region) ? { PipelineExperimentConfig: { ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } } } : {}),
    Steps: [{ Name: stepName, Type: 'Processing', Arguments: args }],
  };
  return { pipelineName, stepName, definition, uploads, request };
}

function isDefaultOutput(destination: string, job: ResolvedJob): boolean {
  return destination.startsWith(`s3://${job.bucket}/${job.jobName}/output/`);
}

/** CreatePipeline / UpdatePipeline input. */
export interface PipelineRequest {
  PipelineName: string;
  PipelineDefinition: string;
  RoleArn: string;
  Tags?: { Key: string; Value: string }[];
}

export function pipelineRequest(plan: PipelinePlan, job: ResolvedJob): PipelineRequest {
  return {
    PipelineName: plan.pipelineName,
    PipelineDefinition: JSON.stringify(plan.definition),
    RoleArn: job.role,
    Tags: [{ ...MANAGED_TAG }, { Key: JOB_TAG, Value: job.key }],
  };
}

/** CreateSchedule / UpdateSchedule input (the SDK's `upsert_schedule`, plus time zone, end date and our group). */
export interface ScheduleRequest {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: { Mode: 'OFF' };
  Target: { Arn: string; RoleArn: string; SageMakerPipelineParameters: { PipelineParameterList?: { Name: string; Value: string }[] } };
  State: 'ENABLED' | 'DISABLED';
  StartDate?: Date;
  EndDate?: Date;
}

export function scheduleRequest(o: { name: string; pipelineArn: string; roleArn: string; schedule: ScheduleDef; now: Date }): ScheduleRequest {
  const s = o.schedule;
  return {
    Name: o.name,
    GroupName: SCHEDULE_GROUP,
    ScheduleExpression: s.expression.trim(),
    ...(s.timezone && s.timezone !== 'UTC' ? { ScheduleExpressionTimezone: s.timezone } : {}),
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: o.pipelineArn, RoleArn: o.roleArn, SageMakerPipelineParameters: {} },
    State: s.enabled === false ? 'DISABLED' : 'ENABLED',
    // Like put_triggers: start now unless a start is given (a start already past is "now": AWS refuses a StartDate
    // more than 5 minutes ago).
    StartDate: s.start && Date.parse(s.start) > o.now.getTime() ? new Date(s.start) : o.now,
    ...(s.end ? { EndDate: new Date(s.end) } : {}),
  };
}
