import { parseArgs as nodeParseArgs } from 'node:util';
import { AwsClients } from '../aws/index';
import { explainAwsError } from '../aws/errors';
import { runLocalCli } from '../local/cliRun';
import { formatJobDuration, JOB_STATUSES, sortNewestFirst, type JobStatus } from '../core/jobs';
import { normalizeTarget } from '../core/settings';
import { runLogsCommand } from '../core/logs/run';
import { Cancelled, type PreparedJob } from '../core/submit';
import { definitionLocation, NoDefinitionFile, prepareCloudRun, submitCloudRun } from '../runPath';
import { toCliInputJson } from '../core/definition/export';
import { DefinitionError, type SdkVersion } from '../core/definition/types';
import { SDK_VERSIONS } from '../core/definition/sdkVersion';
import { scheduleCommand, schedulesCommand, scheduleUsage } from './schedule';
import { t } from '../core/l10n';
import { installCliTranslator } from './l10n';
import { version as PACKAGE_VERSION } from '../../package.json';
import { cliSummaryLines, cloudFailureSummary, definitionCandidatesAt, summaryJson } from './failure';
import { toContainerSpec } from '../core/definition/containerSpec';
import { candidateOf } from '../core/local/failureMappings';

/** The help text, in the user's language: the syntax as typed, each description one translated sentence a line. */
function usageText(): string {
  const d = (lines: string[]): string => lines.map((l) => `                     ${l}`).join('\n');
  return [
    t('Usage: sagemaker-processing <command> [options]'),
    '',
    t('Commands:'),
    '  run <job|script.py> [--definition F] [--wait] [--logs] [--dry-run] [--no-build] [--local [--upload-outputs]]',
    d([
      t('submit a job of the definition file (default ./.vscode/sagemaker-processing.json);'),
      t('--wait polls until it ends (exit 1 with the failure reason if it fails),'),
      t('--dry-run prints the CreateProcessingJob request without submitting;'),
      t('a job with "build" is built and pushed first when its context changed since the last push, and runs the pushed digest;'),
      t('--no-build submits <repo>:<tag> as it is in ECR;'),
      t('--local runs it in Docker (outputs in .sagemaker-local/<job>/), --upload-outputs also uploads them to their s3:// destinations;'),
      t('--local --debug [--debug-all-instances] [--debug-port N] [--debugpy DIR] starts the script under debugpy in instance 1 (or every instance),'),
      t('waiting for a debugger on 127.0.0.1:N (default: a free port), and prints how to attach;'),
      t('debugpy comes from --debugpy, SMP_DEBUGPY or the Python Debugger extension of a local VS Code'),
    ]),
    `  jobs [--status S] [--name-contains X] [--max N]   ${t('list processing jobs, newest first')}`,
    `  describe <name>    ${t('the job\'s DescribeProcessingJob output as JSON')}`,
    `  describe <name> --summary [--no-cost]  ${t('the job page\'s facts as text: timeline, cost (on-demand price × billed time), CPU/memory/disk per instance, hints')}`,
    `  logs <name> [--follow] [--no-live-tail]           ${t('print (and follow) the job\'s logs')}`,
    `  stop <name>        ${t('stop a running job')}`,
    `  mcp [--allow-writes] [--folder D] [--definition F]   ${t('serve the job tools to AI agents over MCP (stdio); read-only unless --allow-writes')}`,
    scheduleUsage(),
    '',
    t('Run options:'),
    `  --definition F   ${t('definition file (default: .vscode/sagemaker-processing.json under --folder or the current folder)')}`,
    `  --folder D       ${t('workspace folder that relative paths start from (default: the definition file\'s project folder)')}`,
    `  --role ARN       ${t('role for jobs with none (default: SAGEMAKER_ROLE_ARN)')}`,
    `  --bucket B       ${t('bucket for code and inputs (default: sagemaker-<region>-<account>)')}`,
    `  --poll S         ${t('seconds between status polls with --wait (default 10)')}`,
    `  --sdk v2|v3      ${t('send what this SageMaker Python SDK major version sends (default: the definition\'s "sdk", else v2)')}`,
    `  --allow-outside-workspace  ${t('allow local paths (script, sourceDir, inputs) outside the workspace folder')}`,
    '',
    t('Options:'),
    `  --profile P      ${t('AWS profile (default: the SDK default chain)')}`,
    `  --region R       ${t('AWS region (default: AWS_REGION or the profile\'s)')}`,
    `  --endpoint-url U ${t('endpoint for every service (default: AWS_ENDPOINT_URL or AWS)')}`,
    `  --json           ${t('machine-readable output')}`,
    '',
  ].join('\n');
}

export interface Parsed { command?: string; positional: string[]; flags: Map<string, string | true> }

/** A command-line mistake: one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** How an option is read: its type, and for values a check (numbers, choices). */
interface OptionSpec {
  type: 'string' | 'boolean';
  /** 'int': a whole number ≥ 1; 'seconds': a positive number of seconds (no unit). */
  number?: 'int' | 'seconds';
  choices?: readonly string[];
}

/** A subcommand: how many positionals it takes, its options, and what it does. Add new subcommands here. */
interface Subcommand {
  /** `needs`: the sentence saying what a missing positional should be, in the user's language. */
  positionals: { min: number; max: number; needs: () => string };
  options: Record<string, OptionSpec>;
  run(p: Parsed, aws: AwsClients, out: (s: string) => void): Promise<number>;
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
};

const RUN_OPTIONS: Record<string, OptionSpec> = {
  definition: { type: 'string' },
  folder: { type: 'string' },
  role: { type: 'string' },
  bucket: { type: 'string' },
  poll: { type: 'string', number: 'seconds' },
  wait: { type: 'boolean' },
  logs: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  local: { type: 'boolean' },
  'upload-outputs': { type: 'boolean' },
  'allow-outside-workspace': { type: 'boolean' },
  'no-build': { type: 'boolean' },
  debug: { type: 'boolean' },
  'debug-all-instances': { type: 'boolean' },
  'debug-port': { type: 'string', number: 'int' },
  debugpy: { type: 'string' },
  sdk: { type: 'string', choices: SDK_VERSIONS },
};

export const COMMANDS: Record<string, Subcommand> = {
  run: {
    positionals: { min: 1, max: 1, needs: () => t('run needs a job name (a key of "jobs") or a script path') },
    options: RUN_OPTIONS,
    run: (p, aws, out) => (p.flags.has('local') ? runLocalCommand(p, aws, out) : runCommand(p, aws, out)),
  },
  jobs: {
    positionals: { min: 0, max: 0, needs: () => '' },
    options: { status: { type: 'string', choices: JOB_STATUSES }, 'name-contains': { type: 'string' }, max: { type: 'string', number: 'int' } },
    run: jobsCommand,
  },
  describe: {
    positionals: { min: 1, max: 1, needs: () => t('{0} needs a job name', 'describe') },
    options: { summary: { type: 'boolean' }, 'no-cost': { type: 'boolean' } },
    run: async (p, aws, out) => {
      const d = await (await aws.sagemaker()).describeProcessingJob(p.positional[0]);
      if (p.flags.has('summary')) {
        const { jobSummaryLines } = await import('./jobSummary');
        for (const line of await jobSummaryLines(aws, d, { showCost: !p.flags.has('no-cost') })) out(line);
        return 0;
      }
      // A failed (or stopped) job: why, from its logs. With --json a field of the output; else a block on stderr (stdout stays JSON).
      const summary = await cloudFailureSummary(aws, d, definitionCandidatesAt());
      if (p.flags.has('json')) out(JSON.stringify(summary ? { ...d, FailureSummary: summaryJson(summary) } : d, null, 2));
      else out(JSON.stringify(d, null, 2));
      if (summary && !p.flags.has('json')) process.stderr.write(`${cliSummaryLines(summary).join('\n')}\n`);
      return 0;
    },
  },
  logs: {
    positionals: { min: 1, max: 1, needs: () => t('{0} needs a job name', 'logs') },
    options: { follow: { type: 'boolean' }, 'no-live-tail': { type: 'boolean' } },
    run: (p, aws, out) => logsCommand(aws, p.positional[0], p.flags.has('follow'), out, !p.flags.has('no-live-tail')),
  },
  schedule: {
    positionals: { min: 1, max: 1, needs: () => t('schedule needs a job name (a key of "jobs" with a "schedule" block)') },
    options: {
      definition: RUN_OPTIONS.definition, folder: RUN_OPTIONS.folder, role: RUN_OPTIONS.role, bucket: RUN_OPTIONS.bucket,
      'schedule-role': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'no-build': RUN_OPTIONS['no-build'],
    },
    run: (p, aws, out) => scheduleCommand(scheduleArgs(p), aws, out, (l) => process.stderr.write(`${l}\n`)),
  },
  schedules: {
    positionals: { min: 0, max: 2, needs: () => t('schedules needs list, or pause|resume|run|runs|delete and a schedule name') },
    options: {},
    run: (p, aws, out) => schedulesCommand(scheduleArgs(p), aws, out, (l) => process.stderr.write(`${l}\n`)),
  },
  mcp: {
    positionals: { min: 0, max: 0, needs: () => '' },
    options: {
      'allow-writes': { type: 'boolean' }, definition: RUN_OPTIONS.definition, folder: RUN_OPTIONS.folder, role: RUN_OPTIONS.role,
      bucket: RUN_OPTIONS.bucket, poll: RUN_OPTIONS.poll, 'allow-outside-workspace': RUN_OPTIONS['allow-outside-workspace'],
    },
    run: mcpCommand,
  },
  stop: {
    positionals: { min: 1, max: 1, needs: () => t('{0} needs a job name', 'stop') },
    options: {},
    run: async (p, aws, out) => {
      await (await aws.sagemaker()).stopProcessingJob(p.positional[0]);
      out(t('Stopping {0}', p.positional[0]));
      return 0;
    },
  },
};

function scheduleArgs(p: Parsed) {
  return { positional: p.positional, get: (k: string) => str(p, k), has: (k: string) => p.flags.has(k) };
}

function toNodeOptions(specs: Record<string, OptionSpec>): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, { type: v.type }]));
}

/**
 * Parses the command line strictly (node:util parseArgs): the subcommand, then only its options and the global ones;
 * unknown options, missing values, bad numbers and extra arguments throw a UsageError.
 */
export function parseArgs(argv: string[]): Parsed {
  // The subcommand is the first positional (global options may come before it).
  const all: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const c of Object.values(COMMANDS)) Object.assign(all, c.options);
  let first: { index: number; value: string } | undefined;
  try {
    const { tokens } = nodeParseArgs({ args: argv, options: toNodeOptions(all), strict: false, allowPositionals: true, tokens: true });
    const tok = tokens.find((x) => x.kind === 'positional');
    if (tok && tok.kind === 'positional') first = { index: tok.index, value: tok.value };
  } catch {
    // reported by the strict parse below
  }
  const command = first?.value;
  const cmd = command !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  const specs = { ...GLOBAL_OPTIONS, ...(cmd?.options ?? {}) };
  const rest = first ? [...argv.slice(0, first.index), ...argv.slice(first.index + 1)] : argv;
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: rest, options: toNodeOptions(specs), strict: true, allowPositionals: true });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    const needsValue = /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(first);
    // node:util's own message (e.g. "Unknown option '--x'") stays as Node words it.
    const m = needsValue ? t('{0} needs a value', needsValue[1]) : first.replace(/\.$/, '');
    throw new UsageError(command && !cmd ? t('unknown command "{0}"', command) : `${command ? `${command}: ` : ''}${m}`);
  }
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (v === undefined || v === false) continue;
    const spec = specs[k];
    if (typeof v === 'string') {
      if (spec.number === 'int' && !/^[1-9]\d*$/.test(v)) throw new UsageError(t('--{0} takes a whole number ≥ 1, not "{1}"', k, v));
      if (spec.number === 'seconds' && !(/^(\d+(\.\d*)?|\.\d+)$/.test(v) && Number(v) > 0)) throw new UsageError(t('--{0} takes a number of seconds (e.g. 5 or 0.5), not "{1}"', k, v));
      if (spec.choices && !spec.choices.includes(v)) throw new UsageError(t('--{0} takes one of {1}, not "{2}"', k, spec.choices.join(', '), v));
    }
    flags.set(k, typeof v === 'string' ? v : true);
  }
  return { command, positional: parsed.positionals as string[], flags };
}

function str(p: Parsed, k: string): string | undefined {
  const v = p.flags.get(k);
  return typeof v === 'string' ? v : undefined;
}

/** A Node system error (EISDIR, EACCES, …) as one sentence, without a stack. */
function explainError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  // A network error is about the endpoint, not a local file: the AWS explanation names the endpoint option.
  const network = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(String(e?.code ?? ''));
  if (e && !network && typeof e.code === 'string' && typeof e.syscall === 'string') {
    return e.path ? t('cannot {0} {1}: {2}', e.syscall, e.path, e.code) : t('cannot {0}: {1}', e.syscall, e.code);
  }
  return explainAwsError(err, { cli: true });
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  // The AWS SDK's notice about future Node versions is noise on a supported Node (its documented switch).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usage(err.message);
  }
  if (!p.command || p.flags.has('help')) {
    out(usageText());
    return p.command || p.flags.has('help') ? 0 : 2;
  }
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, p.command)) return usage(t('unknown command "{0}"; commands: {1}', p.command, Object.keys(COMMANDS).join(', ')));
  const cmd = COMMANDS[p.command];
  if (p.positional.length < cmd.positionals.min) return usage(cmd.positionals.needs());
  if (p.positional.length > cmd.positionals.max) return usage(t('{0}: unexpected argument "{1}"', p.command, p.positional[cmd.positionals.max]));
  const aws = new AwsClients(normalizeTarget({ profile: str(p, 'profile'), region: str(p, 'region'), endpointUrl: str(p, 'endpoint-url') }));
  try {
    return await cmd.run(p, aws, out);
  } catch (err) {
    if (err instanceof DefinitionError) {
      process.stderr.write(`${t('error: the job definition has problems:')}\n${err.message}\n`);
      return 2;
    }
    if (err instanceof Cancelled) {
      process.stderr.write(`${t('cancelled')}\n`);
      return 130;
    }
    process.stderr.write(`${t('error: {0}', explainError(err))}\n`);
    return 1;
  } finally {
    aws.dispose();
  }
}

async function jobsCommand(p: Parsed, aws: AwsClients, out: (s: string) => void): Promise<number> {
  const sm = await aws.sagemaker();
  const max = Number(str(p, 'max') ?? '100');
  const jobs = await sm.listAllProcessingJobs({ status: str(p, 'status') as JobStatus | undefined, nameContains: str(p, 'name-contains') }, { max });
  const sorted = sortNewestFirst(jobs).slice(0, max);
  if (p.flags.has('json')) out(JSON.stringify(sorted, null, 2));
  else for (const j of sorted) out(`${j.name}\t${j.status}\t${j.creationTime.toISOString()}\t${formatJobDuration(j)}`);
  return 0;
}

/** `mcp`: the agent tools over MCP on stdin/stdout (src/mcp/server.ts); messages go to stderr. */
async function mcpCommand(p: Parsed, aws: AwsClients): Promise<number> {
  const { serveMcp } = await import('../mcp/server');
  const { createToolContext } = await import('../agentTools');
  const allowWrites = p.flags.has('allow-writes');
  const definition = str(p, 'definition');
  const ctx = createToolContext(aws, {
    folders: [definitionLocation(definition, str(p, 'folder')).folder],
    definitionFiles: definition ? [definition] : undefined,
    allowWrites,
    role: str(p, 'role'),
    bucket: str(p, 'bucket'),
    allowOutsideWorkspace: p.flags.has('allow-outside-workspace'),
    pollSeconds: Number(str(p, 'poll') ?? '10'),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stderr.write(`${allowWrites ? t('sagemaker-processing MCP server on stdio (run_job and stop_job allowed)') : t('sagemaker-processing MCP server on stdio (read-only; --allow-writes adds run_job and stop_job)')}\n`);
  return await serveMcp(ctx, { allowWrites, version: PACKAGE_VERSION });
}

function usage(msg: string): number {
  process.stderr.write(`${t('error: {0}', msg)}\n${t('(sagemaker-processing --help shows the commands and options)')}\n`);
  return 2;
}

/** Logs of a job (`logs <name> [--follow]`, and `run --logs`). The logs feature plugs its tailer in here. */
async function logsCommand(aws: AwsClients, name: string, follow: boolean, out: (s: string) => void, liveTail = true): Promise<number> {
  // The mode line (Live Tail or polling, and why) goes to stderr with the retry notices: stdout stays the log.
  const code = await runLogsCommand(aws, name, follow, out, { warn: (w) => process.stderr.write(`${w}\n`), liveTail });
  // A failed (or stopped) job: the summary of why, after its log lines.
  const summary = await cloudFailureSummary(aws, await (await aws.sagemaker()).describeProcessingJob(name), definitionCandidatesAt())
    .catch(() => undefined); // the logs were printed; the summary is extra
  if (summary) for (const l of cliSummaryLines(summary)) out(l);
  return code;
}

/** `run --local`: the local-run feature plugs the container runner in here. */
async function runLocalCommand(p: Parsed, aws: AwsClients, out: (s: string) => void): Promise<number> {
  const what = p.positional[0];
  const { definitionFile, folder } = definitionLocation(str(p, 'definition'), str(p, 'folder'));
  const debugPort = str(p, 'debug-port');
  if (debugPort !== undefined && Number(debugPort) > 65535) return usage(t('--debug-port takes a port number (1–65535)'));
  const debug = p.flags.has('debug') || p.flags.has('debug-all-instances') || debugPort !== undefined
    ? { allInstances: p.flags.has('debug-all-instances'), port: debugPort ? Number(debugPort) : undefined, debugpy: str(p, 'debugpy') }
    : undefined;
  return await runLocalCli({ what, definitionFile, folder, aws, out, err: (l) => process.stderr.write(`${l}\n`), uploadOutputs: p.flags.has('upload-outputs'), defaultBucket: str(p, 'bucket'), allowOutsideWorkspace: p.flags.has('allow-outside-workspace'), debug });
}

/** `run <job|script.py>`: the same validation, naming, uploads and request as the extension (src/runPath.ts). */
async function runCommand(p: Parsed, aws: AwsClients, out: (s: string) => void): Promise<number> {
  const what = p.positional[0];
  const { definitionFile, folder } = definitionLocation(str(p, 'definition'), str(p, 'folder'));
  let prepared: PreparedJob | undefined;
  try {
    prepared = await prepareCloudRun(aws, {
      what, definitionFile, folder, role: str(p, 'role'), bucket: str(p, 'bucket'), sdk: str(p, 'sdk') as SdkVersion | undefined,
      allowOutsideWorkspace: p.flags.has('allow-outside-workspace'),
      noBuild: p.flags.has('no-build') || p.flags.has('dry-run'),
      buildWrite: (s) => process.stderr.write(s),
    });
  } catch (err) {
    if (!(err instanceof NoDefinitionFile)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (!prepared) return 2;
  if (p.flags.has('dry-run')) {
    out(toCliInputJson(prepared.request).trimEnd());
    return 0;
  }
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  // Each step once: uploads run a few at a time, so one file's progress comes back after another's started.
  const said = new Set<string>();
  let submitted: { name: string; arn: string } | undefined;
  try {
    const r = await submitCloudRun(aws, prepared, {
      signal: ac.signal,
      onProgress: (pr) => {
        if (said.has(pr.message) || p.flags.has('json')) return;
        said.add(pr.message);
        process.stderr.write(`${pr.message}\n`);
      },
    });
    // --json --wait: one JSON document at the end (with the status and, when it failed, the failure summary).
    if (p.flags.has('json') && p.flags.has('wait')) submitted = { name: prepared.job.jobName, arn: r.arn };
    else if (p.flags.has('json')) out(JSON.stringify({ name: prepared.job.jobName, arn: r.arn }));
    else out(prepared.job.jobName);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const name = prepared.job.jobName;
  if (p.flags.has('logs')) {
    const code = await logsCommand(aws, name, true, out);
    if (!p.flags.has('wait')) return code;
  }
  if (!p.flags.has('wait')) return 0;
  const pollMs = Math.max(0.05, Number(str(p, 'poll') ?? '10')) * 1000; // checked by parseArgs
  const w = await (await aws.sagemaker()).waitForJobEnd(name, { pollSeconds: pollMs / 1000 });
  if (w.state !== 'ended') {
    process.stderr.write(t('{0}: still running after the job\'s maximum runtime; stopped waiting', name) + '\n');
    return 1;
  }
  const d = w.description;
  const status = (d.ProcessingJobStatus ?? 'InProgress') as JobStatus;
  if (status === 'Completed') {
    if (submitted) out(JSON.stringify({ ...submitted, status }));
    process.stderr.write(`${name}: ${status}\n`); // the status as SageMaker names it, like below
    return 0;
  }
  process.stderr.write(`${name}: ${status}${d.FailureReason ? `: ${d.FailureReason}` : ''}\n`);
  // Why it failed, with the frames mapped to this definition's files.
  const summary = await cloudFailureSummary(aws, d, [candidateOf(prepared.job.key ?? what, toContainerSpec(prepared.job))]).catch(() => undefined);
  if (submitted) out(JSON.stringify({ ...submitted, status, ...(d.FailureReason ? { failureReason: d.FailureReason } : {}), ...(summary ? { failureSummary: summaryJson(summary) } : {}) }));
  if (summary) process.stderr.write(`${cliSummaryLines(summary).join('\n')}\n`);
  return 1;
}

if (require.main === module) {
  // The user's language (LC_ALL / LC_MESSAGES / LANG) before anything is said.
  installCliTranslator(process.env);
  // exitCode, not exit(): let piped stdout drain before the process ends.
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
