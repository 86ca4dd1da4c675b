// "Schedule Job…" and the schedule actions over ports (implemented over src/aws; real moto in tests).
import { nodeFileSystem, packSourceDirStream, type FileSystemPort } from '../definition/files';
import { DefinitionError, type ScheduleDef } from '../definition/types';
import { prepareJob, Cancelled, type PrepareOptions, type SubmitPorts, type SubmitProgress } from '../submit';
import { nextRun } from './expression';
import { t } from '../l10n';
import { buildPipelinePlan, MANAGED_TAG, pipelineNameFor, pipelineRequest, SCHEDULE_GROUP, scheduleRequest, type PipelinePlan, type PipelineRequest, type ScheduleRequest } from './pipeline';

export interface ScheduleInfo {
  name: string;
  group: string;
  arn?: string;
  expression: string;
  timezone: string;
  state: 'ENABLED' | 'DISABLED' | string;
  startDate?: Date;
  endDate?: Date;
  creationDate?: Date;
  targetArn: string;
  targetRoleArn?: string;
  /** The pipeline name from the target ARN (`…:pipeline/<name>`). */
  pipelineName?: string;
}

export interface PipelineExecution {
  arn: string;
  status: string;
  startTime?: Date;
  displayName?: string;
  failureReason?: string;
}

/** The AWS calls scheduling needs. */
export interface SchedulePorts extends Pick<SubmitPorts, 'region' | 'account' | 'ensureBucket' | 'upload'> {
  /** The pipeline's ARN and tags, or undefined when there is none of that name. */
  describePipeline(name: string): Promise<{ arn: string; tags: { Key: string; Value: string }[] } | undefined>;
  createPipeline(req: PipelineRequest): Promise<string>;
  updatePipeline(req: PipelineRequest): Promise<string>;
  deletePipeline(name: string): Promise<void>;
  startPipelineExecution(name: string): Promise<string>;
  listPipelineExecutions(name: string): Promise<PipelineExecution[]>;
  /** Processing job ARNs the execution's steps started (empty when the service does not say). */
  executionJobs(executionArn: string): Promise<string[]>;
  ensureScheduleGroup(name: string, tags: { Key: string; Value: string }[]): Promise<void>;
  getSchedule(group: string, name: string): Promise<ScheduleInfo | undefined>;
  createSchedule(req: ScheduleRequest): Promise<string>;
  updateSchedule(req: ScheduleRequest): Promise<string>;
  listSchedules(group: string): Promise<ScheduleInfo[]>;
  deleteSchedule(group: string, name: string): Promise<void>;
}

export interface ScheduleJobOptions extends PrepareOptions {
  /** The role EventBridge Scheduler assumes; else `schedule.role`; else `pickRole`; else the job's role. */
  scheduleRoleArn?: string;
  pickRole?: (jobRole: string) => Promise<string | undefined>;
  signal?: AbortSignal;
  onProgress?: (p: SubmitProgress) => void;
}

export interface ScheduledJob {
  key: string;
  pipelineName: string;
  pipelineArn: string;
  scheduleArn: string;
  /** What happened to each: created or updated in place. */
  pipeline: 'created' | 'updated';
  schedule: 'created' | 'updated';
  plan: PipelinePlan;
  pipelineRequest: PipelineRequest;
  scheduleRequest: ScheduleRequest;
  nextRun?: Date;
}

/** Everything that needs no AWS call but the account: parse, validate, resolve, plan. */
export async function prepareSchedule(ports: Pick<SubmitPorts, 'region' | 'account'>, o: ScheduleJobOptions) {
  const fsp: FileSystemPort = o.fs ?? nodeFileSystem;
  const prepared = await prepareJob(ports, o);
  if (!prepared) return undefined;
  const { job, definition } = prepared;
  const schedule: ScheduleDef | undefined = definition.jobs[job.key]?.schedule;
  if (!schedule) {
    throw new DefinitionError([{ path: `jobs.${job.key}`, message: t('has no "schedule": add one, e.g. {0}', '"schedule": { "expression": "cron(0 6 * * ? *)", "timezone": "UTC" }'), severity: 'error' }], o.definitionFile);
  }
  const pipelineName = pipelineNameFor(job.key, schedule);
  const plan = await buildPipelinePlan(job, { pipelineName, workspaceFolder: o.workspaceFolder, fs: fsp });
  return { prepared, schedule, plan };
}

/**
 * Uploads the code and local inputs once (stable keys), creates or updates the pipeline, then creates or updates its
 * schedule. Re-running after an edit updates both in place. Refuses to take over a pipeline we did not create.
 */
export async function scheduleJob(ports: SchedulePorts, o: ScheduleJobOptions): Promise<ScheduledJob | undefined> {
  const check = () => {
    if (o.signal?.aborted) throw new Cancelled();
  };
  const p = await prepareSchedule(ports, o);
  if (!p) return undefined;
  const { prepared, schedule, plan } = p;
  const { job } = prepared;
  const roleArn = o.scheduleRoleArn || schedule.role || (o.pickRole ? await o.pickRole(job.role) : job.role);
  if (!roleArn) return undefined;
  check();
  const existing = await ports.describePipeline(plan.pipelineName);
  if (existing && !existing.tags.some((t) => t.Key === MANAGED_TAG.Key && t.Value === MANAGED_TAG.Value)) {
    throw new Error(t('A pipeline named "{0}" exists and was not created by this extension; set "schedule.name" to another name.', plan.pipelineName));
  }
  if (prepared.defaultBucket) {
    o.onProgress?.({ message: t('Checking bucket {0}', job.bucket) });
    await ports.ensureBucket(job.bucket, job.region);
  }
  for (const [i, u] of plan.uploads.entries()) {
    check();
    o.onProgress?.({ message: t('Uploading {0}', u.label), fraction: i / Math.max(1, plan.uploads.length) });
    // sourcedir.tar.gz is packed while it uploads, as for a direct run.
    const body = 'file' in u.body ? { file: u.body.file } : 'content' in u.body ? u.body.content : { stream: packSourceDirStream(u.body.sourceDir, u.body.files) };
    await ports.upload(u.bucket, u.key, body, { signal: o.signal });
  }
  check();
  const preq = pipelineRequest(plan, job);
  o.onProgress?.({ message: existing ? t('Updating pipeline {0}', plan.pipelineName) : t('Creating pipeline {0}', plan.pipelineName) });
  const pipelineArn = existing ? await ports.updatePipeline(preq) : await ports.createPipeline(preq);
  // AddTags is not needed on update: the tags were set on create and the name is ours.
  await ports.ensureScheduleGroup(SCHEDULE_GROUP, [{ ...MANAGED_TAG }]);
  const now = o.now ?? new Date();
  const sreq = scheduleRequest({ name: plan.pipelineName, pipelineArn: pipelineArn || existing?.arn || '', roleArn, schedule, now });
  const had = await ports.getSchedule(SCHEDULE_GROUP, plan.pipelineName);
  o.onProgress?.({ message: had ? t('Updating schedule {0}', plan.pipelineName) : t('Creating schedule {0}', plan.pipelineName) });
  // A schedule paused from the explorer or CLI stays paused unless the definition says "enabled".
  if (had && schedule.enabled === undefined && had.state === 'DISABLED') sreq.State = 'DISABLED';
  const scheduleArn = had ? await ports.updateSchedule(sreq) : await ports.createSchedule(sreq);
  let next: Date | undefined;
  try {
    next = nextRun(sreq.ScheduleExpression, { after: now, timeZone: sreq.ScheduleExpressionTimezone, anchor: sreq.StartDate, start: sreq.StartDate, end: sreq.EndDate });
  } catch {
    next = undefined;
  }
  return {
    key: job.key,
    pipelineName: plan.pipelineName,
    pipelineArn: pipelineArn || existing?.arn || '',
    scheduleArn,
    pipeline: existing ? 'updated' : 'created',
    schedule: had ? 'updated' : 'created',
    plan,
    pipelineRequest: preq,
    scheduleRequest: sreq,
    nextRun: next,
  };
}

/** The next run of a listed schedule (undefined when paused, past its end, or unparsable). */
export function nextRunOf(s: ScheduleInfo, now = new Date()): Date | undefined {
  if (s.state !== 'ENABLED') return undefined;
  try {
    return nextRun(s.expression, { after: now, timeZone: s.timezone, anchor: s.startDate ?? s.creationDate, start: s.startDate, end: s.endDate });
  } catch {
    return undefined;
  }
}

/** The schedules this extension manages (its group), with pipeline names. */
export async function listManagedSchedules(ports: Pick<SchedulePorts, 'listSchedules' | 'getSchedule'>): Promise<ScheduleInfo[]> {
  const listed = await ports.listSchedules(SCHEDULE_GROUP);
  const full = await Promise.all(listed.map(async (s) => (await ports.getSchedule(SCHEDULE_GROUP, s.name)) ?? s));
  return full.sort((a, b) => a.name.localeCompare(b.name));
}

/** Pause (DISABLED) or resume (ENABLED): UpdateSchedule replaces everything, so the current settings are sent back. */
export async function setScheduleState(ports: Pick<SchedulePorts, 'getSchedule' | 'updateSchedule'>, name: string, enabled: boolean): Promise<ScheduleInfo> {
  const s = await ports.getSchedule(SCHEDULE_GROUP, name);
  if (!s) throw new Error(t('No schedule "{0}" in group {1}', name, SCHEDULE_GROUP));
  await ports.updateSchedule({
    Name: s.name,
    GroupName: SCHEDULE_GROUP,
    ScheduleExpression: s.expression,
    ...(s.timezone && s.timezone !== 'UTC' ? { ScheduleExpressionTimezone: s.timezone } : {}),
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: s.targetArn, RoleArn: s.targetRoleArn ?? '', SageMakerPipelineParameters: {} },
    State: enabled ? 'ENABLED' : 'DISABLED',
    // UpdateSchedule replaces every field, but refuses a StartDate more than 5 minutes ago: keep only a future one.
    ...(s.startDate && s.startDate.getTime() > Date.now() ? { StartDate: s.startDate } : {}),
    ...(s.endDate ? { EndDate: s.endDate } : {}),
  });
  return { ...s, state: enabled ? 'ENABLED' : 'DISABLED' };
}

/** Deletes the schedule, then its pipeline (only when the pipeline is ours). */
export async function deleteSchedule(ports: Pick<SchedulePorts, 'getSchedule' | 'deleteSchedule' | 'describePipeline' | 'deletePipeline'>, name: string): Promise<{ pipelineDeleted: boolean }> {
  const s = await ports.getSchedule(SCHEDULE_GROUP, name);
  if (!s) throw new Error(t('No schedule "{0}" in group {1}', name, SCHEDULE_GROUP));
  await ports.deleteSchedule(SCHEDULE_GROUP, name);
  const pipelineName = s.pipelineName ?? name;
  const p = await ports.describePipeline(pipelineName);
  if (p && p.tags.some((t) => t.Key === MANAGED_TAG.Key)) {
    await ports.deletePipeline(pipelineName);
    return { pipelineDeleted: true };
  }
  return { pipelineDeleted: false };
}

export function pipelineNameFromArn(arn: string): string | undefined {
  return /:pipeline\/([^/]+)$/.exec(arn)?.[1];
}

/** "Run Now": a pipeline execution, as the schedule would start it. */
export async function runNow(ports: Pick<SchedulePorts, 'getSchedule' | 'startPipelineExecution'>, name: string): Promise<string> {
  const s = await ports.getSchedule(SCHEDULE_GROUP, name);
  return ports.startPipelineExecution(s?.pipelineName ?? name);
}
