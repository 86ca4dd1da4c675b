// What "Schedule Job…" creates, built like the SageMaker Python SDK (2.257) does for
// `Pipeline(steps=[ProcessingStep(name, step_args=processor.run(...))]).upsert(role)` followed by
// `pipeline.put_triggers([PipelineSchedule(...)], role_arn)`: the pipeline definition, its uploads and the schedule.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { FileSystemPort } from '../definition/files';
import { CODE_INPUT } from '../definition/layout';
import { buildRequest, type PlannedUpload, type ProcessingJobRequest } from '../definition/request';
import type { ResolvedJob, ScheduleDef } from '../definition/types';
import { SCHEDULE_NAME } from './check';
import { t } from '../l10n';

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
  PipelineExperimentConfig: { ExperimentName: { Get: string }; TrialName: { Get: string } };
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

/** The SDK's `hash_files_or_dirs([code])`: sha256 over the path as given, then the file's bytes. */
export function codeHash(scriptPath: string, fsp: Pick<FileSystemPort, 'readFile'>): string {
  return createHash('sha256').update(scriptPath).update(fsp.readFile(scriptPath)).digest('hex');
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
 * The pipeline for a resolved job. Only ScriptProcessor-shaped jobs (a script, no sourceDir) are supported: the
 * SDK's FrameworkProcessor in a pipeline packs and hashes differently.
 */
export function buildPipelinePlan(job: ResolvedJob, opts: { pipelineName: string; stepName?: string; fs: Pick<FileSystemPort, 'isDirectory' | 'listFiles' | 'readFile'> }): PipelinePlan {
  if (job.sourceDir) throw new Error(t('job "{0}" uses sourceDir: scheduling supports jobs with a single script only (for now)', job.key));
  const { pipelineName } = opts;
  const stepName = opts.stepName ?? stepNameFor(job.key);
  const request = buildRequest(job, opts.fs);
  const uploads: PlannedUpload[] = [];
  const codeKey = `${pipelineName}/code/${codeHash(job.scriptPath, opts.fs)}/${job.scriptBasename}`;
  uploads.push({ bucket: job.bucket, key: codeKey, body: { file: job.scriptPath }, label: job.scriptBasename });

  const inputs = (request.ProcessingInputs ?? []).map((inp) => {
    if (inp.InputName === CODE_INPUT) return { ...inp, S3Input: { ...inp.S3Input, S3Uri: s3(job.bucket, codeKey) } };
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
    PipelineExperimentConfig: { ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } },
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
