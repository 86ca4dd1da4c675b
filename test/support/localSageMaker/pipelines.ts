// SageMaker Pipelines executions for the local backend (never part of the extension). moto stores pipelines
// (CreatePipeline, DescribePipeline, UpdatePipeline, DeletePipeline, ListPipelines stay forwarded to it) and EventBridge
// Scheduler schedules, but runs neither. This module answers StartPipelineExecution, DescribePipelineExecution,
// ListPipelineExecutions, ListPipelineExecutionSteps and StopPipelineExecution itself: it reads the pipeline definition
// from moto, resolves the execution's values (`Get: Execution.*`, `Get: Parameters.*`, `Std:Join`) as Pipelines does,
// and runs each Processing step as a real processing job of the backend, named as Pipelines names it
// (`pipelines-<execution id>-<step name>-<random>`, e.g. `pipelines-p4jn9xou8a8s-myprocessingstep1-tmgxry49ug` in the
// SageMaker Developer Guide's "Pipeline step status change" event). While the backend runs, it also fires the
// EventBridge Scheduler schedules stored in moto whose target is a pipeline (rate, cron and at, in their time zone,
// between their start and end dates); `fireSchedule` fires one now (for tests).
import { randomBytes } from 'node:crypto';
import { GetScheduleCommand, ListScheduleGroupsCommand, ListSchedulesCommand, type GetScheduleCommandOutput, type ListScheduleGroupsCommandOutput, type ListSchedulesCommandOutput } from '@aws-sdk/client-scheduler';
import type { AwsClients } from '../../../src/aws/index';
import { nextRun } from '../../../src/core/schedule/expression';
import { ApiError, type CreateRequest } from './validate';

type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
type StepStatus = 'Starting' | 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
type ExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';

export interface PipelinesOptions {
  region: string;
  account: string;
  /** moto, where the pipelines and the schedules are stored. */
  aws: AwsClients;
  /** Creates a processing job of the backend (validated as CreateProcessingJob); returns its ARN. */
  createJob(req: CreateRequest): { ProcessingJobArn: string };
  /** The job's DescribeProcessingJob answer. */
  describeJob(name: string): Record<string, unknown>;
  /** Resolves when the job has ended. */
  settled(name: string): Promise<JobStatus | undefined>;
  /** Stops a job (StopProcessingJob). */
  stopJob(name: string): Promise<unknown>;
  /** How often the schedules in moto are read to fire those due (default 10 s; false: only `fireSchedule`). */
  scheduleTickMs?: number | false;
  say(line: string): void;
}

interface Step {
  StepName: string;
  StepStatus: StepStatus;
  StartTime: number;
  EndTime?: number;
  FailureReason?: string;
  jobName?: string;
  jobArn?: string;
}

interface Execution {
  arn: string;
  id: string;
  pipelineArn: string;
  pipelineName: string;
  displayName: string;
  description?: string;
  status: ExecutionStatus;
  failureReason?: string;
  creationTime: number;
  lastModifiedTime: number;
  parameters: { Name: string; Value: string }[];
  experiment?: { ExperimentName?: string; TrialName?: string };
  steps: Step[];
  stopRequested: boolean;
  done: Promise<void>;
}

interface Definition {
  Parameters?: { Name: string; Type?: string; DefaultValue?: unknown }[];
  PipelineExperimentConfig?: { ExperimentName?: unknown; TrialName?: unknown };
  Steps?: { Name: string; Type: string; Arguments?: unknown }[];
}

const OPS = new Set(['StartPipelineExecution', 'DescribePipelineExecution', 'ListPipelineExecutions', 'ListPipelineExecutionSteps', 'StopPipelineExecution']);
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:\d{12}:pipeline\/.*\/execution\/.*$/;

function randomId(n: number): string {
  return [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

class StepFailure extends Error {}

export class LocalPipelines {
  private readonly executions = new Map<string, Execution>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private lastTick = Date.now();
  private stopped = false;

  constructor(private readonly o: PipelinesOptions) {}

  handles(op: string): boolean {
    return OPS.has(op);
  }

  async handle(op: string, input: Record<string, unknown>): Promise<unknown> {
    switch (op) {
      case 'StartPipelineExecution': return { PipelineExecutionArn: (await this.start(input)).arn };
      case 'DescribePipelineExecution': return this.describe(this.find(input.PipelineExecutionArn));
      case 'ListPipelineExecutions': return this.list(input);
      case 'ListPipelineExecutionSteps': return this.listSteps(input);
      default: return this.stopExecution(this.find(input.PipelineExecutionArn));
    }
  }

  /** Starts reading the schedules (every scheduleTickMs, or `everyMs`: a test may start the clock when it wants). */
  startClock(everyMs?: number): void {
    const every = everyMs ?? this.o.scheduleTickMs ?? 10_000;
    if (every === false || this.timer) return;
    this.lastTick = Date.now();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().catch((err) => this.o.say(`schedules: ${(err as Error).message}`)).finally(() => (this.ticking = undefined));
    }, every);
  }

  /** Stops the clock and every execution still running (their jobs are stopped by the backend). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    for (const e of this.executions.values()) e.stopRequested = true;
  }

  /** Resolves when the execution has ended. */
  async settled(arn: string): Promise<ExecutionStatus | undefined> {
    const e = this.executions.get(arn.toLowerCase());
    await e?.done;
    return e?.status;
  }

  /**
   * Fires a schedule now, as EventBridge Scheduler would at its time: reads it from moto (GetSchedule), and starts
   * its target pipeline with the target's parameters. Returns the execution ARN. (For tests: "fire now".)
   */
  async fireSchedule(name: string, group = 'default'): Promise<string> {
    const s = await (await this.o.aws.scheduler()).client.send(new GetScheduleCommand({ Name: name, GroupName: group }));
    if (s.State !== 'ENABLED') throw new Error(`schedule ${group}/${name} is ${s.State}: EventBridge Scheduler does not invoke it`);
    return this.fire(s);
  }

  // ---- the API ------------------------------------------------------------------------------------------------

  private async pipeline(nameOrArn: unknown): Promise<{ arn: string; name: string; definition: string }> {
    if (typeof nameOrArn !== 'string' || !nameOrArn) throw new ApiError('ValidationException', "1 validation error detected: Value null at 'pipelineName' failed to satisfy constraint: Member must not be null");
    const name = /:pipeline\/([^/]+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;
    const p = await (await this.o.aws.pipelines()).describePipeline(name);
    if (!p) throw new ApiError('ResourceNotFound', `Pipeline '${nameOrArn}' does not exist.`);
    return { arn: p.arn, name, definition: p.definition };
  }

  private async start(input: Record<string, unknown>, by = 'api'): Promise<Execution> {
    const p = await this.pipeline(input.PipelineName);
    let def: Definition;
    try {
      def = JSON.parse(p.definition) as Definition;
    } catch {
      throw new ApiError('ValidationException', `The pipeline definition of ${p.name} is not valid JSON`);
    }
    const given = (input.PipelineParameters as { Name: string; Value: string }[] | undefined) ?? [];
    const declared = def.Parameters ?? [];
    for (const g of given) {
      if (!declared.some((d) => d.Name === g.Name)) throw new ApiError('ValidationException', `Parameter '${g.Name}' is not defined in the pipeline definition.`);
    }
    const id = randomId(12);
    const now = Date.now();
    const e: Execution = {
      arn: `${p.arn}/execution/${id}`,
      id,
      pipelineArn: p.arn,
      pipelineName: p.name,
      displayName: typeof input.PipelineExecutionDisplayName === 'string' ? input.PipelineExecutionDisplayName : `execution-${now}`,
      description: typeof input.PipelineExecutionDescription === 'string' ? input.PipelineExecutionDescription : undefined,
      status: 'Executing',
      creationTime: now,
      lastModifiedTime: now,
      parameters: declared.map((d) => ({ Name: d.Name, Value: given.find((g) => g.Name === d.Name)?.Value ?? String(d.DefaultValue ?? '') })),
      steps: [],
      stopRequested: false,
      done: Promise.resolve(),
    };
    const values = this.resolver(e, declared);
    if (def.PipelineExperimentConfig) {
      e.experiment = { ExperimentName: String(values(def.PipelineExperimentConfig.ExperimentName)), TrialName: String(values(def.PipelineExperimentConfig.TrialName)) };
    }
    this.executions.set(e.arn.toLowerCase(), e);
    this.o.say(`pipeline ${p.name}: execution ${id} started (${by})`);
    e.done = this.execute(e, def, values);
    return e;
  }

  /** The execution's values: `Get` of Execution.* and Parameters.*, `Std:Join`; everything else as written. */
  private resolver(e: Execution, declared: NonNullable<Definition['Parameters']>): (v: unknown) => unknown {
    const typed = (name: string): unknown => {
      const d = declared.find((x) => x.Name === name);
      const raw = e.parameters.find((x) => x.Name === name)?.Value;
      if (!d || raw === undefined) throw new StepFailure(`Parameter '${name}' is not defined in the pipeline definition`);
      if (d.Type === 'Integer') return Number.parseInt(raw, 10);
      if (d.Type === 'Float') return Number.parseFloat(raw);
      if (d.Type === 'Boolean') return raw === 'true';
      return raw;
    };
    const get = (what: string): unknown => {
      switch (what) {
        case 'Execution.PipelineExecutionId': return e.id;
        case 'Execution.PipelineExecutionArn': return e.arn;
        case 'Execution.PipelineName': return e.pipelineName;
        case 'Execution.PipelineArn': return e.pipelineArn;
        case 'Execution.StartDateTime': return new Date(e.creationTime).toISOString();
        case 'Execution.CurrentDateTime': return new Date().toISOString();
        default:
          if (what.startsWith('Parameters.')) return typed(what.slice('Parameters.'.length));
          throw new StepFailure(`The local backend cannot resolve {"Get": "${what}"} (only Execution.* and Parameters.* values)`);
      }
    };
    const resolve = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(resolve);
      if (!v || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === 'Get' && typeof o.Get === 'string') return get(o.Get);
      if (keys.length === 1 && keys[0] === 'Std:Join') {
        const j = o['Std:Join'] as { On?: string; Values?: unknown[] };
        return (j.Values ?? []).map((x) => String(resolve(x))).join(j.On ?? '');
      }
      return Object.fromEntries(keys.map((k) => [k, resolve(o[k])]));
    };
    return resolve;
  }

  /** Runs the steps one after the other, in the order listed (each Processing step as a processing job). */
  private async execute(e: Execution, def: Definition, values: (v: unknown) => unknown): Promise<void> {
    await Promise.resolve(); // answer StartPipelineExecution first
    for (const s of def.Steps ?? []) {
      if (e.stopRequested) break;
      const step: Step = { StepName: s.Name, StepStatus: 'Executing', StartTime: Date.now() };
      e.steps.push(step);
      try {
        if (s.Type !== 'Processing') throw new StepFailure(`The local backend runs Processing steps only; step ${s.Name} is of type ${s.Type}`);
        const args = values(s.Arguments ?? {}) as CreateRequest;
        const part = s.Name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 20);
        step.jobName = `pipelines-${e.id}-${part || 'step'}-${randomId(10)}`;
        let created: { ProcessingJobArn: string };
        try {
          created = this.o.createJob({ ...args, ProcessingJobName: step.jobName });
        } catch (err) {
          throw new StepFailure(`${(err as ApiError).type ?? 'ClientError'}: ${(err as Error).message}`);
        }
        step.jobArn = created.ProcessingJobArn;
        this.o.say(`pipeline ${e.pipelineName}: step ${s.Name} runs ${step.jobName}`);
        if (e.stopRequested) await this.o.stopJob(step.jobName).catch(() => undefined);
        const status = await this.o.settled(step.jobName);
        const d = this.o.describeJob(step.jobName);
        if (status === 'Completed') step.StepStatus = 'Succeeded';
        else if (status === 'Stopped') step.StepStatus = 'Stopped';
        else {
          step.StepStatus = 'Failed';
          step.FailureReason = String(d.FailureReason ?? 'The processing job failed');
        }
      } catch (err) {
        step.StepStatus = 'Failed';
        step.FailureReason = (err as Error).message.slice(0, 1024);
      }
      step.EndTime = Date.now();
      if (step.StepStatus !== 'Succeeded') break;
    }
    const failed = e.steps.some((s) => s.StepStatus === 'Failed');
    e.status = failed ? 'Failed' : e.stopRequested || e.steps.some((s) => s.StepStatus === 'Stopped') ? 'Stopped' : 'Succeeded';
    if (failed) e.failureReason = 'Step failure: One or multiple steps failed.';
    e.lastModifiedTime = Date.now();
    this.o.say(`pipeline ${e.pipelineName}: execution ${e.id} ${e.status}`);
  }

  private find(arn: unknown): Execution {
    if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) {
      throw new ApiError('ValidationException', `1 validation error detected: Value '${String(arn)}' at 'pipelineExecutionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${EXECUTION_ARN.source}`);
    }
    const e = this.executions.get(arn.toLowerCase());
    if (!e) throw new ApiError('ResourceNotFound', `Pipeline execution '${arn}' does not exist.`);
    return e;
  }

  private describe(e: Execution): Record<string, unknown> {
    return strip({
      PipelineArn: e.pipelineArn,
      PipelineExecutionArn: e.arn,
      PipelineExecutionDisplayName: e.displayName,
      PipelineExecutionStatus: e.status,
      PipelineExecutionDescription: e.description,
      PipelineExperimentConfig: e.experiment,
      FailureReason: e.failureReason,
      CreationTime: e.creationTime / 1000,
      LastModifiedTime: e.lastModifiedTime / 1000,
    });
  }

  private async list(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const p = await this.pipeline(input.PipelineName);
    const order = (input.SortOrder as string | undefined) ?? 'Descending';
    const sortBy = (input.SortBy as string | undefined) ?? 'CreationTime';
    const after = typeof input.CreatedAfter === 'number' ? input.CreatedAfter * 1000 : undefined;
    const before = typeof input.CreatedBefore === 'number' ? input.CreatedBefore * 1000 : undefined;
    const all = [...this.executions.values()]
      .filter((e) => e.pipelineArn === p.arn && (after === undefined || e.creationTime > after) && (before === undefined || e.creationTime < before))
      .sort((a, b) => {
        const c = sortBy === 'PipelineExecutionArn' ? a.arn.localeCompare(b.arn) : a.creationTime - b.creationTime;
        return order === 'Ascending' ? c : -c;
      });
    const { page, next } = paginate(all, input, 50);
    return strip({
      PipelineExecutionSummaries: page.map((e) => strip({
        PipelineExecutionArn: e.arn,
        StartTime: e.creationTime / 1000,
        PipelineExecutionStatus: e.status,
        PipelineExecutionDescription: e.description,
        PipelineExecutionDisplayName: e.displayName,
        PipelineExecutionFailureReason: e.failureReason,
      })),
      NextToken: next,
    });
  }

  private listSteps(input: Record<string, unknown>): Record<string, unknown> {
    const e = this.find(input.PipelineExecutionArn);
    const steps = [...e.steps].sort((a, b) => (input.SortOrder === 'Ascending' ? a.StartTime - b.StartTime : b.StartTime - a.StartTime));
    const { page, next } = paginate(steps, input, 20);
    return strip({
      PipelineExecutionSteps: page.map((s) => strip({
        StepName: s.StepName,
        StartTime: s.StartTime / 1000,
        EndTime: s.EndTime === undefined ? undefined : s.EndTime / 1000,
        StepStatus: s.StepStatus,
        FailureReason: s.FailureReason,
        AttemptCount: 1,
        Metadata: s.jobArn ? { ProcessingJob: { Arn: s.jobArn } } : {},
      })),
      NextToken: next,
    });
  }

  private async stopExecution(e: Execution): Promise<Record<string, unknown>> {
    if (e.status !== 'Executing') throw new ApiError('ValidationException', `Pipeline execution with ARN ${e.arn} status ${e.status}. Only Executing executions can be stopped.`);
    e.stopRequested = true;
    e.status = 'Stopping';
    e.lastModifiedTime = Date.now();
    const running = e.steps.find((s) => s.StepStatus === 'Executing' && s.jobName);
    if (running?.jobName) await this.o.stopJob(running.jobName).catch(() => undefined);
    return { PipelineExecutionArn: e.arn };
  }

  // ---- EventBridge Scheduler --------------------------------------------------------------------------------------

  private async fire(s: GetScheduleCommandOutput): Promise<string> {
    const target = s.Target?.Arn ?? '';
    if (!/:sagemaker:[a-z0-9-]*:\d{12}:pipeline\//.test(target)) throw new Error(`schedule ${s.GroupName}/${s.Name} does not target a SageMaker pipeline (${target})`);
    const params = s.Target?.SageMakerPipelineParameters?.PipelineParameterList ?? [];
    const e = await this.start({ PipelineName: target, ...(params.length ? { PipelineParameters: params } : {}) }, `schedule ${s.GroupName}/${s.Name}`);
    return e.arn;
  }

  /** Fires the ENABLED pipeline schedules with an occurrence since the last tick (at most once each per tick). */
  private async tick(): Promise<void> {
    const from = new Date(this.lastTick);
    const now = Date.now();
    this.lastTick = now;
    const client = (await this.o.aws.scheduler()).client;
    const groups: string[] = [];
    let token: string | undefined;
    do {
      const page: ListScheduleGroupsCommandOutput = await client.send(new ListScheduleGroupsCommand({ NextToken: token }));
      groups.push(...(page.ScheduleGroups ?? []).map((g) => g.Name ?? '').filter(Boolean));
      token = page.NextToken;
    } while (token);
    for (const group of groups) {
      token = undefined;
      do {
        const page: ListSchedulesCommandOutput = await client.send(new ListSchedulesCommand({ GroupName: group, State: 'ENABLED', NextToken: token }));
        token = page.NextToken;
        for (const summary of page.Schedules ?? []) {
          if (this.stopped || !/:pipeline\//.test(summary.Target?.Arn ?? '')) continue;
          const s = await client.send(new GetScheduleCommand({ Name: summary.Name, GroupName: group }));
          let due: Date | undefined;
          try {
            due = nextRun(s.ScheduleExpression ?? '', { after: from, timeZone: s.ScheduleExpressionTimezone || 'UTC', anchor: s.StartDate ?? s.CreationDate, start: s.StartDate, end: s.EndDate });
          } catch {
            due = undefined;
          }
          if (!due || due.getTime() > now) continue;
          await this.fire(s).catch((err) => this.o.say(`schedule ${group}/${s.Name}: ${(err as Error).message}`));
        }
      } while (token);
    }
  }
}

function paginate<T>(all: T[], input: Record<string, unknown>, defaultMax: number): { page: T[]; next?: string } {
  const max = input.MaxResults === undefined ? defaultMax : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw new ApiError('ValidationException', `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`);
  let offset = 0;
  if (typeof input.NextToken === 'string' && input.NextToken) {
    offset = Number(Buffer.from(input.NextToken, 'base64').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(offset) || offset < 0) throw new ApiError('ValidationException', 'Invalid pagination token');
  }
  return { page: all.slice(offset, offset + max), next: offset + max < all.length ? Buffer.from(`offset:${offset + max}`).toString('base64') : undefined };
}

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
