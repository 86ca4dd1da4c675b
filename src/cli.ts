import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsClients } from './aws/index';
import { explainAwsError } from './aws/errors';
import { awsSubmitPorts } from './aws/submitPorts';
import { runLocalCli } from './local/cliRun';
import { formatDuration, isTerminal, sortNewestFirst, type JobStatus } from './core/jobs';
import { normalizeTarget } from './core/settings';
import { runLogsCommand } from './core/logs/run';
import { Cancelled, prepareJob, submitPrepared } from './core/submit';
import { toCliInputJson } from './core/definition/export';
import { DEFINITION_FILE, DefinitionError } from './core/definition/types';

const USAGE = `Usage: sagemaker-processing <command> [options]

Commands:
  run <job|script.py> [--definition F] [--wait] [--logs] [--dry-run] [--local [--upload-outputs]]
                     submit a job of the definition file (default ./.vscode/sagemaker-processing.json);
                     --wait polls until it ends (exit 1 with the failure reason if it fails),
                     --dry-run prints the CreateProcessingJob request without submitting;
                     --local runs it in Docker (outputs in .sagemaker-local/<job>/), --upload-outputs also
                     uploads them to their s3:// destinations;
                     --local --debug [--debug-all-instances] [--debug-port N] [--debugpy DIR] starts the script under
                     debugpy in instance 1 (or every instance), waiting for a debugger on 127.0.0.1:N (default: a
                     free port), and prints how to attach; debugpy comes from --debugpy, SMP_DEBUGPY or the Python
                     Debugger extension of a local VS Code
  jobs [--status S] [--name-contains X] [--max N]   list processing jobs, newest first
  describe <name>    the job's DescribeProcessingJob output as JSON
  logs <name> [--follow]                            print (and follow) the job's logs
  stop <name>        stop a running job

Run options:
  --definition F   definition file (default: .vscode/sagemaker-processing.json under --folder or the current folder)
  --folder D       workspace folder that relative paths start from (default: the definition file's project folder)
  --role ARN       role for jobs with none (default: SAGEMAKER_ROLE_ARN)
  --bucket B       bucket for code and inputs (default: sagemaker-<region>-<account>)
  --poll S         seconds between status polls with --wait (default 10)

Options:
  --profile P      AWS profile (default: the SDK default chain)
  --region R       AWS region (default: AWS_REGION or the profile's)
  --endpoint-url U endpoint for every service (default: AWS_ENDPOINT_URL or AWS)
  --json           machine-readable output
`;

interface Parsed { command?: string; positional: string[]; flags: Map<string, string | true> }

export function parseArgs(argv: string[]): Parsed {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags.set(k, v);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && !['json', 'wait', 'logs', 'follow', 'local', 'help', 'dry-run', 'upload-outputs', 'debug', 'debug-all-instances'].includes(k)) flags.set(k, argv[++i]);
      else flags.set(k, true);
    } else positional.push(a);
  }
  return { command: positional.shift(), positional, flags };
}

function str(p: Parsed, k: string): string | undefined {
  const v = p.flags.get(k);
  return typeof v === 'string' ? v : undefined;
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const p = parseArgs(argv);
  if (!p.command || p.flags.has('help')) {
    out(USAGE);
    return p.command || p.flags.has('help') ? 0 : 2;
  }
  const aws = new AwsClients(normalizeTarget({ profile: str(p, 'profile'), region: str(p, 'region'), endpointUrl: str(p, 'endpoint-url') }));
  try {
    switch (p.command) {
      case 'jobs': {
        const sm = await aws.sagemaker();
        const max = Number(str(p, 'max') ?? '100');
        const jobs = [];
        let token: string | undefined;
        do {
          const page = await sm.listProcessingJobs({ status: str(p, 'status') as JobStatus | undefined, nameContains: str(p, 'name-contains') }, token);
          jobs.push(...page.jobs);
          token = page.nextToken;
        } while (token && jobs.length < max);
        const sorted = sortNewestFirst(jobs).slice(0, max);
        if (p.flags.has('json')) out(JSON.stringify(sorted, null, 2));
        else for (const j of sorted) out(`${j.name}\t${j.status}\t${j.creationTime.toISOString()}\t${j.endTime ? formatDuration(j.endTime.getTime() - j.creationTime.getTime()) : ''}`);
        return 0;
      }
      case 'run':
        if (p.flags.has('local')) return await runLocalCommand(p, aws, out);
        return await runCommand(p, aws, out);
      case 'describe': {
        const name = p.positional[0];
        if (!name) return usage(out, 'describe needs a job name');
        const d = await (await aws.sagemaker()).describeProcessingJob(name);
        out(JSON.stringify(d, null, 2));
        return 0;
      }
      case 'stop': {
        const name = p.positional[0];
        if (!name) return usage(out, 'stop needs a job name');
        await (await aws.sagemaker()).stopProcessingJob(name);
        out(`Stopping ${name}`);
        return 0;
      }
      case 'logs': {
        const name = p.positional[0];
        if (!name) return usage(out, 'logs needs a job name');
        return await logsCommand(aws, name, p.flags.has('follow'), out);
      }
      default:
        out(`Unknown command "${p.command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof DefinitionError) {
      process.stderr.write(`error: the job definition has problems:\n${err.message}\n`);
      return 2;
    }
    if (err instanceof Cancelled) {
      process.stderr.write('cancelled\n');
      return 130;
    }
    process.stderr.write(`error: ${explainAwsError(err)}\n`);
    return 1;
  } finally {
    aws.dispose();
  }
}

function usage(out: (s: string) => void, msg: string): number {
  out(`${msg}\n\n${USAGE}`);
  return 2;
}

/** Logs of a job (`logs <name> [--follow]`, and `run --logs`). The logs feature plugs its tailer in here. */
async function logsCommand(aws: AwsClients, name: string, follow: boolean, out: (s: string) => void): Promise<number> {
  return await runLogsCommand(aws, name, follow, out, { warn: (w) => process.stderr.write(`${w}\n`) });
}

/** `run --local`: the local-run feature plugs the container runner in here. */
async function runLocalCommand(p: Parsed, aws: AwsClients, out: (s: string) => void): Promise<number> {
  const what = p.positional[0];
  if (!what) return usage(out, 'run --local needs a job name (a key of "jobs") or a script path');
  const folderFlag = str(p, 'folder');
  const definitionFile = path.resolve(str(p, 'definition') ?? path.join(folderFlag ?? process.cwd(), DEFINITION_FILE));
  const folder = path.resolve(folderFlag ?? (path.basename(path.dirname(definitionFile)) === '.vscode' ? path.dirname(path.dirname(definitionFile)) : path.dirname(definitionFile)));
  const debugPort = str(p, 'debug-port');
  if (debugPort !== undefined && !/^\d{1,5}$/.test(debugPort)) return usage(out, '--debug-port needs a port number');
  const debug = p.flags.has('debug') || p.flags.has('debug-all-instances') || debugPort !== undefined
    ? { allInstances: p.flags.has('debug-all-instances'), port: debugPort ? Number(debugPort) : undefined, debugpy: str(p, 'debugpy') }
    : undefined;
  return await runLocalCli({ what, definitionFile, folder, aws, out, err: (l) => process.stderr.write(`${l}\n`), uploadOutputs: p.flags.has('upload-outputs'), defaultBucket: str(p, 'bucket'), debug });
}

/** `run <job|script.py>`: the same validation, naming, uploads and request as the extension. */
async function runCommand(p: Parsed, aws: AwsClients, out: (s: string) => void): Promise<number> {
  const what = p.positional[0];
  if (!what) return usage(out, 'run needs a job name (a key of "jobs") or a script path');
  const folderFlag = str(p, 'folder');
  const definitionFile = path.resolve(str(p, 'definition') ?? path.join(folderFlag ?? process.cwd(), DEFINITION_FILE));
  let text: string;
  try {
    text = fs.readFileSync(definitionFile, 'utf8');
  } catch {
    process.stderr.write(`error: no job definition file at ${definitionFile}\n`);
    return 2;
  }
  const folder = path.resolve(folderFlag ?? (path.basename(path.dirname(definitionFile)) === '.vscode' ? path.dirname(path.dirname(definitionFile)) : path.dirname(definitionFile)));
  const isScript = /\.py$/i.test(what);
  const ports = awsSubmitPorts(aws);
  const prepared = await prepareJob(ports, {
    definitionText: text,
    definitionFile,
    workspaceFolder: folder,
    jobKey: isScript ? undefined : what,
    scriptPath: isScript ? path.resolve(what) : undefined,
    defaultRoleArn: str(p, 'role') ?? process.env.SAGEMAKER_ROLE_ARN,
    defaultBucket: str(p, 'bucket'),
  });
  if (!prepared) return 2;
  if (p.flags.has('dry-run')) {
    out(toCliInputJson(prepared.request).trimEnd());
    return 0;
  }
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  let lastMsg = '';
  try {
    const r = await submitPrepared(ports, prepared, {
      signal: ac.signal,
      onProgress: (pr) => {
        if (pr.message !== lastMsg && !p.flags.has('json')) process.stderr.write(`${pr.message}\n`);
        lastMsg = pr.message;
      },
    });
    if (p.flags.has('json')) out(JSON.stringify({ name: prepared.job.jobName, arn: r.arn }));
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
  const pollMs = Math.max(0.05, Number(str(p, 'poll') ?? '10')) * 1000;
  const sm = await aws.sagemaker();
  for (;;) {
    const d = await sm.describeProcessingJob(name);
    const status = (d.ProcessingJobStatus ?? 'InProgress') as JobStatus;
    if (isTerminal(status)) {
      if (status === 'Completed') {
        process.stderr.write(`${name}: Completed\n`);
        return 0;
      }
      process.stderr.write(`${name}: ${status}${d.FailureReason ? `: ${d.FailureReason}` : ''}\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

if (require.main === module) {
  // exitCode, not exit(): let piped stdout drain before the process ends.
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
