// The processing-job tools' implementations, over ports the AWS wrappers satisfy (AwsClients structurally) and a run
// port the front ends implement with the CLI's own run path (src/runPath.ts). Results are compact text: one fact a
// line, job output framed as untrusted data, secrets redacted, everything bounded (./safety).
import { normaliseRequest } from '../compare'; // the normalisation the Compare Runs editor diffs
import { consoleTarget } from '../console';
import { checkDefinitionText } from '../definition/resolve';
import { mergeDefaults } from '../definition/validate';
import type { DefinitionFile, DefinitionProblem, JobFields } from '../definition/types';
import type { ProcessingJobDescriptionLike } from '../jobDetails';
import { s3Outputs } from '../jobDetails';
import { formatDuration, isTerminal, sortNewestFirst, type JobPage, type JobStatus, type ListJobsFilter } from '../jobs';
import type { LogsApiPort } from '../logs/types';
import { parseS3Uri } from '../s3uri';
import { nextRunOf, type PipelineExecution, type ScheduleInfo } from '../schedule/service';
import { SCHEDULE_GROUP } from '../schedule/pipeline';
import { readJobLogs } from './logs';
import { bound, frameUntrusted, redact, redactEnvironment, REDACTED } from './safety';
import { checkInput, toolSpec, type ToolSpec } from './specs';

/** The SageMaker calls the tools make (SageMakerApi has them). */
export interface SageMakerToolPort {
  listProcessingJobs(filter: ListJobsFilter, nextToken?: string, maxResults?: number, signal?: AbortSignal): Promise<JobPage>;
  describeProcessingJob(name: string, signal?: AbortSignal): Promise<ProcessingJobDescriptionLike>;
  stopProcessingJob(name: string): Promise<void>;
}

/** The AWS wrappers the tools use: AwsClients satisfies it. */
export interface ToolAws {
  sagemaker(): Promise<SageMakerToolPort>;
  logs(): Promise<LogsApiPort>;
  s3(): Promise<{ listObjects(bucket: string, prefix: string, signal?: AbortSignal): Promise<{ key: string; size: number }[]> }>;
}

/** What a run_job call asks for. */
export interface RunJobInput {
  job: string;
  definitionFile?: string;
  local?: boolean;
  arguments?: string[];
  wait?: boolean;
}

/** What a run would send (the confirmation shows it), from the same preparation as `run --dry-run`. */
export interface RunPlan {
  jobKey: string;
  definitionFile: string;
  local: boolean;
  /** The job name SageMaker will get (cloud), or the local run's job name. */
  jobName: string;
  image: string;
  instanceType: string;
  instanceCount: number;
  inputs: { name: string; source: string }[];
  arguments: string[];
  /** The job builds its image first (cloud: pushed to ECR when its context changed). */
  builds: boolean;
}

export interface RunOutcome {
  jobName: string;
  arn?: string;
  /** When the run was waited for (local runs always are). */
  status?: JobStatus;
  failureReason?: string;
  exitMessage?: string;
  /** The last lines a local run printed (untrusted). */
  outputTail?: string[];
}

/** Runs jobs through the CLI's run path (src/runPath.ts); present only where writes are allowed. */
export interface RunPort {
  plan(input: RunJobInput, signal?: AbortSignal): Promise<RunPlan>;
  run(input: RunJobInput, signal?: AbortSignal): Promise<RunOutcome>;
}

/** A job definition file of the workspace. */
export interface DefinitionSource {
  file: string;
  /** The workspace folder its relative paths start from. */
  folder: string;
  text: string;
}

export type SchedulesToolPort = {
  listSchedules(group: string): Promise<ScheduleInfo[]>;
  getSchedule(group: string, name: string): Promise<ScheduleInfo | undefined>;
  listPipelineExecutions(name: string): Promise<PipelineExecution[]>;
  executionJobs(executionArn: string): Promise<string[]>;
};

export interface ToolContext {
  aws: ToolAws;
  /** The region jobs live in (for console links); undefined: unknown. */
  region(): Promise<string | undefined>;
  /** A custom endpoint (no console link then). */
  endpoint?: string;
  /** The workspace's definition files. */
  definitions(): Promise<DefinitionSource[]>;
  /** The environment `${env:NAME}` variables read (the process's; never shown). */
  env?: Record<string, string | undefined>;
  fileExists?(p: string): boolean;
  isDirectory?(p: string): boolean;
  schedules?: SchedulesToolPort;
  /** Only where writes are allowed. */
  runner?: RunPort;
  /** Values never to show (the process's credentials); a job's environment values are added per call. */
  secrets?: string[];
  /**
   * FAILURE SUMMARY HOOK: the failure summary module (a parallel feature) plugs in here. Given a failed job's
   * description (and the logs port), it returns a short summary that describe_job shows under "Failure summary".
   */
  failureSummary?: (d: ProcessingJobDescriptionLike, logs: LogsApiPort) => Promise<string | undefined>;
  now?: () => Date;
}

export interface ToolResult {
  text: string;
  isError: boolean;
}

/** A mistake in the input or a state the agent can act on (not found, no such job): said as a result, not thrown. */
export class ToolInputError extends Error {}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString().replace(/\.\d+Z$/, 'Z') : undefined);

/**
 * Runs one tool: checks the input against its schema, runs it, and returns its text with every known secret
 * redacted and the size bounded. Errors come back as results with isError (an agent reads them).
 */
export async function invokeTool(name: string, input: unknown, ctx: ToolContext, signal?: AbortSignal): Promise<ToolResult> {
  const spec = toolSpec(name);
  const secrets = [...(ctx.secrets ?? [])];
  const finish = (text: string, isError: boolean): ToolResult => ({ text: bound(redact(text, secrets)), isError });
  if (!spec) return finish(`Unknown tool "${name}".`, true);
  if (spec.writes && !ctx.runner) return finish(`${name} is not available: writes are not allowed here (start the MCP server with --allow-writes, or trust the workspace).`, true);
  const problems = checkInput(spec, input ?? {});
  if (problems.length) return finish(`Invalid input for ${name}: ${problems.join('; ')}.`, true);
  try {
    return finish(await TOOLS[spec.name as ToolName](input as Record<string, unknown>, ctx, { secrets, signal }), false);
  } catch (err) {
    return finish(`${name} failed: ${errorText(err)}`, true);
  }
}

function errorText(err: unknown): string {
  if (err instanceof ToolInputError) return err.message;
  const e = err as { name?: string; message?: string };
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${e?.message ?? String(err)}`;
}

interface CallState {
  /** Add to it: values found during the call (a job's environment) are redacted from the whole result. */
  secrets: string[];
  signal?: AbortSignal;
}

type ToolName = 'list_jobs' | 'describe_job' | 'read_job_logs' | 'list_job_outputs' | 'list_definitions' | 'validate_definition' | 'compare_runs' | 'list_schedules' | 'run_job' | 'stop_job';
type Impl = (input: Record<string, unknown>, ctx: ToolContext, call: CallState) => Promise<string>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function describe(ctx: ToolContext, name: string, call: CallState): Promise<ProcessingJobDescriptionLike> {
  const d = await (await ctx.aws.sagemaker()).describeProcessingJob(name, call.signal);
  call.secrets.push(...Object.values(d.Environment ?? {}));
  return d;
}

async function link(ctx: ToolContext, jobName: string, arn: string | undefined): Promise<string> {
  const region = (arn ? arn.split(':')[3] : undefined) || (await ctx.region().catch(() => undefined));
  if (!region) return `Console: unknown region${arn ? ` (ARN ${arn})` : ''}`;
  const target = consoleTarget(jobName, region, arn, ctx.endpoint);
  return 'url' in target ? `Console: ${target.url}` : `Console: none (custom endpoint ${ctx.endpoint})`;
}

const TOOLS: Record<ToolName, Impl> = {
  async list_jobs(i, ctx, call) {
    const max = typeof i.maxResults === 'number' ? i.maxResults : 20;
    const filter: ListJobsFilter = {
      status: str(i.status) as JobStatus | undefined,
      nameContains: str(i.nameContains),
      creationTimeAfter: i.createdAfter ? new Date(String(i.createdAfter)) : undefined,
      creationTimeBefore: i.createdBefore ? new Date(String(i.createdBefore)) : undefined,
    };
    const page = await (await ctx.aws.sagemaker()).listProcessingJobs(filter, str(i.cursor), max, call.signal);
    const jobs = sortNewestFirst(page.jobs);
    const lines = [`${jobs.length} job${jobs.length === 1 ? '' : 's'}${page.nextToken ? ' (more: pass the cursor below)' : ''}, newest first. name | status | created | duration | failure reason`];
    // A failure reason is the job's own text (a script's sys.exit message): quoted below as data, not in the table.
    const reasons: string[] = [];
    for (const j of jobs) {
      const dur = j.endTime ? formatDuration(j.endTime.getTime() - j.creationTime.getTime()) : '';
      if (j.failureReason) reasons.push(`${j.name}: ${oneLine(j.failureReason, 160)}`);
      lines.push(`${j.name} | ${j.status} | ${iso(j.creationTime)} | ${dur || '—'} | ${j.failureReason ? 'quoted below' : '—'}`);
    }
    if (page.nextToken) lines.push(`cursor: ${page.nextToken}`);
    if (reasons.length) lines.push(frameUntrusted('Failure reasons reported by the jobs', reasons.join('\n')));
    return lines.join('\n');
  },

  async describe_job(i, ctx, call) {
    const name = String(i.jobName);
    const d = await describe(ctx, name, call);
    const c = d.ProcessingResources?.ClusterConfig;
    const app = d.AppSpecification ?? {};
    const start = d.ProcessingStartTime ?? d.CreationTime;
    const lines = [
      `Job: ${d.ProcessingJobName ?? name}`,
      `ARN: ${d.ProcessingJobArn ?? '—'}`,
      `Status: ${d.ProcessingJobStatus ?? '—'}`,
      `Created: ${iso(d.CreationTime) ?? '—'} | Started: ${iso(d.ProcessingStartTime) ?? '—'} | Ended: ${iso(d.ProcessingEndTime) ?? '—'}${start && d.ProcessingEndTime ? ` | Duration: ${formatDuration(new Date(d.ProcessingEndTime).getTime() - new Date(start).getTime())}` : ''}`,
      `Image: ${app.ImageUri ?? '—'}`,
      `Entrypoint: ${(app.ContainerEntrypoint ?? []).join(' ') || '—'}`,
      `Arguments: ${(app.ContainerArguments ?? []).join(' ') || '—'}`,
      `Instances: ${c?.InstanceType ?? '?'} × ${c?.InstanceCount ?? 1}${c?.VolumeSizeInGB ? `, ${c.VolumeSizeInGB} GB volume` : ''}`,
      `Max runtime: ${d.StoppingCondition?.MaxRuntimeInSeconds ? formatDuration(d.StoppingCondition.MaxRuntimeInSeconds * 1000) : '—'}`,
      `Role: ${d.RoleArn ?? '—'}`,
      'Inputs:',
      ...(d.ProcessingInputs ?? []).map((x) => `  ${x.InputName ?? 'input'}: ${x.S3Input?.S3Uri ?? (x.DatasetDefinition ? 'dataset definition' : '?')} → ${x.S3Input?.LocalPath ?? '?'}`),
      'Outputs:',
      ...(d.ProcessingOutputConfig?.Outputs ?? []).map((o) => `  ${o.OutputName ?? 'output'}: ${o.S3Output?.LocalPath ?? '?'} → ${o.S3Output?.S3Uri ?? (o.FeatureStoreOutput ? 'Feature Store' : '?')}`),
      `Environment (values never shown): ${redactEnvironment(d.Environment).join(', ') || '—'}`,
      await link(ctx, d.ProcessingJobName ?? name, d.ProcessingJobArn),
    ];
    const ended: string[] = [];
    if (d.FailureReason) ended.push(`FailureReason: ${d.FailureReason}`);
    if (d.ExitMessage) ended.push(`ExitMessage: ${d.ExitMessage}`);
    if (ended.length) lines.push(frameUntrusted('Failure reason and exit message reported by the job', ended.join('\n')));
    // FAILURE SUMMARY: the failure summary module (built in parallel) plugs in through ctx.failureSummary.
    if (d.ProcessingJobStatus === 'Failed' && ctx.failureSummary) {
      const summary = await ctx.failureSummary(d, await ctx.aws.logs()).catch(() => undefined);
      if (summary) lines.push(frameUntrusted('Failure summary (from the job\'s logs)', summary));
    }
    return lines.join('\n');
  },

  async read_job_logs(i, ctx, call) {
    const name = String(i.jobName);
    // First the job: its environment values are redacted from the lines (and a job that is not there is said so).
    await describe(ctx, name, call);
    const r = await readJobLogs(await ctx.aws.logs(), name, {
      tail: typeof i.tailLines === 'number' ? i.tailLines : 100,
      start: i.startTime ? Date.parse(String(i.startTime)) : undefined,
      end: i.endTime ? Date.parse(String(i.endTime)) : undefined,
      filter: str(i.filter),
      instance: str(i.instance),
      signal: call.signal,
    });
    const head = [`Logs of ${name}: ${r.lines.length} line${r.lines.length === 1 ? '' : 's'} shown of ${r.matched} matching (${r.streams} stream${r.streams === 1 ? '' : 's'}, ${r.scanned} events read).`];
    if (r.notes.length) head.push(...r.notes.map((n) => `Note: ${n}`));
    if (!r.lines.length) return head.join('\n');
    return `${head.join('\n')}\n${frameUntrusted(`CloudWatch log lines of ${name}`, redact(r.lines.join('\n'), call.secrets))}`;
  },

  async list_job_outputs(i, ctx, call) {
    const name = String(i.jobName);
    const d = await describe(ctx, name, call);
    const outs = s3Outputs(d);
    if (!outs.length) return `${name} has no S3 outputs.`;
    const s3 = await ctx.aws.s3();
    const parts: string[] = [`Outputs of ${name} (status ${d.ProcessingJobStatus ?? '?'}${d.ProcessingJobStatus === 'InProgress' ? ': outputs are uploaded when the job ends' : ''}):`];
    for (const o of outs) {
      const loc = parseS3Uri(o.uri);
      if (!loc) {
        parts.push(`${o.name}: ${o.uri} (not an S3 URI)`);
        continue;
      }
      const prefix = loc.key && !loc.key.endsWith('/') ? `${loc.key}/` : loc.key;
      const objects = await s3.listObjects(loc.bucket, prefix, call.signal);
      const total = objects.reduce((s, x) => s + x.size, 0);
      parts.push(`${o.name}: ${o.uri} — ${objects.length} object${objects.length === 1 ? '' : 's'}, ${total} bytes`);
      if (objects.length) {
        const shown = objects.slice(0, 200).map((x) => `${x.key.startsWith(prefix) ? x.key.slice(prefix.length) : x.key}\t${x.size}`);
        if (objects.length > shown.length) shown.push(`(${objects.length - shown.length} more objects not shown)`);
        parts.push(frameUntrusted(`S3 object keys and sizes under ${o.uri}`, shown.join('\n')));
      }
    }
    return parts.join('\n');
  },

  async list_definitions(_i, ctx) {
    const files = await ctx.definitions();
    if (!files.length) return 'No job definition files in the workspace (.vscode/sagemaker-processing.json).';
    const out: string[] = [];
    for (const f of files) {
      const r = check(f, ctx);
      const errors = r.problems.filter((p) => p.severity === 'error').length;
      out.push(`${f.file} (folder ${f.folder}): ${errors} error${errors === 1 ? '' : 's'}, ${r.problems.length - errors} warning${r.problems.length - errors === 1 ? '' : 's'}${errors ? ' — validate_definition lists them' : ''}`);
      // The file as written (variables unsubstituted: an ${env:…} value is never shown).
      const def = (r.parsed?.value ?? r.definition) as DefinitionFile | undefined;
      const jobs = def && typeof def.jobs === 'object' && def.jobs ? def.jobs : {};
      for (const [key, raw] of Object.entries(jobs)) {
        const j = mergeDefaults(def?.defaults, (raw ?? {}) as JobFields);
        const image = j.build ? `build ${j.build.repository ?? '?'}:${j.build.tag ?? 'latest'}` : j.framework ? `framework ${j.framework.name} ${j.framework.version}` : j.image ?? '?';
        out.push(`  job "${key}": script ${j.script ?? '?'}${j.sourceDir ? ` in ${j.sourceDir}` : ''} | image ${image} | ${j.instanceType ?? '?'} × ${j.instanceCount ?? 1}`);
        const ins = (Array.isArray(j.inputs) ? j.inputs : []).map((x) => `${x.name ?? '?'}=${x.source}`);
        const outs = (Array.isArray(j.outputs) ? j.outputs : []).map((x) => `${x.name ?? '?'}=${x.source}`);
        out.push(`    inputs: ${ins.join(', ') || '—'} | outputs: ${outs.join(', ') || '—'} | arguments: ${Array.isArray(j.arguments) && j.arguments.length ? j.arguments.join(' ') : '—'}${j.schedule ? ' | scheduled' : ''}`);
        if (j.environment && Object.keys(j.environment).length) out.push(`    environment (values never shown): ${redactEnvironment(j.environment as Record<string, string>).join(', ')}`);
      }
    }
    return out.join('\n');
  },

  async validate_definition(i, ctx) {
    const f = await pickDefinition(ctx, str(i.definitionFile));
    const r = check(f, ctx);
    if (!r.problems.length) return `${f.file}: no problems.`;
    const lines = [`${f.file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} (file:line:column: severity: field: message)`];
    for (const p of r.problems.slice(0, 200)) lines.push(problemLine(f.file, p));
    if (r.problems.length > 200) lines.push(`(${r.problems.length - 200} more not shown)`);
    return lines.join('\n');
  },

  async compare_runs(i, ctx, call) {
    const [a, b] = await Promise.all([describe(ctx, String(i.jobA), call), describe(ctx, String(i.jobB), call)]);
    const fa = flatten(normaliseRequest(a));
    const fb = flatten(normaliseRequest(b));
    const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
    const diffs: string[] = [];
    for (const k of keys) {
      const va = fa.get(k);
      const vb = fb.get(k);
      if (va === vb) continue;
      const secret = k.startsWith('environment.');
      const show = (v: string | undefined) => (v === undefined ? '(absent)' : secret ? REDACTED : v);
      diffs.push(`${k}: ${show(va)} → ${show(vb)}${secret && va !== undefined && vb !== undefined ? ' (values differ)' : ''}`);
    }
    const head = `Compared ${String(i.jobA)} (A, ${a.ProcessingJobStatus ?? '?'}) with ${String(i.jobB)} (B, ${b.ProcessingJobStatus ?? '?'}); job names inside S3 URIs are written \${jobName}.`;
    if (!diffs.length) return `${head}\nNo differences in the requests.`;
    return `${head}\n${diffs.length} difference${diffs.length === 1 ? '' : 's'} (path: A → B):\n${diffs.join('\n')}`;
  },

  async list_schedules(i, ctx) {
    if (!ctx.schedules) throw new ToolInputError('schedules are not available here');
    const name = str(i.scheduleName);
    if (!name) {
      const list = await ctx.schedules.listSchedules(SCHEDULE_GROUP);
      if (!list.length) return `No schedules in the group ${SCHEDULE_GROUP}.`;
      const now = ctx.now?.() ?? new Date();
      return [`${list.length} schedule${list.length === 1 ? '' : 's'}. name | expression | time zone | state | next run | pipeline`,
        ...list.map((s) => `${s.name} | ${s.expression} | ${s.timezone} | ${s.state} | ${iso(nextRunOf(s, now)) ?? '—'} | ${s.pipelineName ?? '—'}`)].join('\n');
    }
    const s = await ctx.schedules.getSchedule(SCHEDULE_GROUP, name);
    if (!s) throw new ToolInputError(`no schedule "${name}" in the group ${SCHEDULE_GROUP} (list_schedules lists them)`);
    const runs = (await ctx.schedules.listPipelineExecutions(s.pipelineName ?? name)).slice(0, 20);
    if (!runs.length) return `${name}: no runs yet (pipeline ${s.pipelineName ?? '?'}).`;
    const lines = [`${name}: ${runs.length} most recent run${runs.length === 1 ? '' : 's'}. started | status | execution ARN | processing jobs`];
    const reasons: string[] = [];
    for (const r of runs) {
      const jobs = await ctx.schedules.executionJobs(r.arn);
      if (r.failureReason) reasons.push(`${r.arn}: ${oneLine(r.failureReason, 160)}`);
      lines.push(`${iso(r.startTime) ?? '—'} | ${r.status} | ${r.arn} | ${jobs.map((j) => j.split('/').pop()).join(', ') || '—'}${r.failureReason ? ' | failure: quoted below' : ''}`);
    }
    if (reasons.length) lines.push(frameUntrusted('Failure reasons of the runs (from their jobs)', reasons.join('\n')));
    return lines.join('\n');
  },

  async run_job(i, ctx, call) {
    const input = runInput(i);
    const r = await ctx.runner!.run(input, call.signal);
    const lines = [input.local
      ? `Ran ${input.job} locally in Docker as ${r.jobName}.`
      : `Started processing job ${r.jobName}${r.arn ? ` (ARN ${r.arn})` : ''}.`];
    if (!input.local) lines.push(await link(ctx, r.jobName, r.arn));
    if (r.status) lines.push(`Status: ${r.status}${isTerminal(r.status) ? '' : ' (still running)'}`);
    else if (!input.local) lines.push('Not waited for: describe_job or list_jobs show its progress.');
    const ended: string[] = [];
    if (r.failureReason) ended.push(`FailureReason: ${r.failureReason}`);
    if (r.exitMessage) ended.push(`ExitMessage: ${r.exitMessage}`);
    if (ended.length) lines.push(frameUntrusted('Failure reason and exit message reported by the job', ended.join('\n')));
    if (r.outputTail?.length) lines.push(frameUntrusted(`Last lines printed by the local run of ${r.jobName}`, r.outputTail.join('\n')));
    return lines.join('\n');
  },

  async stop_job(i, ctx, call) {
    const name = String(i.jobName);
    const d = await describe(ctx, name, call);
    const status = d.ProcessingJobStatus as JobStatus | undefined;
    if (status && isTerminal(status)) throw new ToolInputError(`${name} has already ended (${status}); nothing to stop.`);
    await (await ctx.aws.sagemaker()).stopProcessingJob(name);
    return [`Asked SageMaker to stop processing job ${name} (ARN ${d.ProcessingJobArn ?? '?'}); it goes through Stopping to Stopped.`, await link(ctx, name, d.ProcessingJobArn)].join('\n');
  },
};

/** run_job's input, typed (already checked against the schema). */
export function runInput(i: Record<string, unknown>): RunJobInput {
  return { job: String(i.job), definitionFile: str(i.definitionFile), local: i.local === true, arguments: Array.isArray(i.arguments) ? i.arguments.map(String) : undefined, wait: i.wait === true };
}

/**
 * What the confirmation of a tool that writes says (VS Code's prepareInvocation): for run_job the plan — job,
 * image, instance type × count, inputs, arguments; for stop_job the job. English here; the UI translates its own frame.
 */
export function describePlan(p: RunPlan): string[] {
  return [
    `${p.local ? 'Local run (Docker)' : 'SageMaker processing job'} ${p.jobName} from job "${p.jobKey}" of ${p.definitionFile}`,
    `Image: ${p.image}${p.builds ? ' (built first)' : ''}`,
    `Instances: ${p.instanceType} × ${p.instanceCount}`,
    `Inputs: ${p.inputs.map((x) => `${x.name} ← ${x.source}`).join(', ') || '—'}`,
    `Arguments: ${p.arguments.join(' ') || '—'}`,
  ];
}

export async function pickDefinition(ctx: ToolContext, file: string | undefined): Promise<DefinitionSource> {
  const files = await ctx.definitions();
  if (file) {
    const f = files.find((x) => x.file === file || x.file.endsWith(`/${file.replace(/^\.?\//, '')}`));
    if (!f) throw new ToolInputError(`no definition file ${file} in the workspace; known: ${files.map((x) => x.file).join(', ') || 'none'}`);
    return f;
  }
  if (files.length === 1) return files[0];
  if (!files.length) throw new ToolInputError('no job definition file in the workspace (.vscode/sagemaker-processing.json)');
  throw new ToolInputError(`several definition files; pass definitionFile, one of: ${files.map((x) => x.file).join(', ')}`);
}

function check(f: DefinitionSource, ctx: ToolContext) {
  return checkDefinitionText(f.text, { workspaceFolder: f.folder, fileExists: ctx.fileExists, isDirectory: ctx.isDirectory, variables: { env: ctx.env ?? {} } });
}

function problemLine(file: string, p: DefinitionProblem): string {
  const where = p.line !== undefined ? `${file}:${p.line + 1}:${(p.column ?? 0) + 1}` : file;
  return `${where}: ${p.severity}: ${p.path || '(file)'}: ${p.message}`;
}

function oneLine(s: string, max: number): string {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > max ? `${l.slice(0, max - 1)}…` : l;
}

/** A normalised request as path → JSON value lines, for a line-per-difference comparison. */
function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  // An object is its leaves (an empty one has none: "no outputs" and "outputs: {}" are the same request).
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(v));
  return out;
}

export type { ToolSpec };
