// `sagemaker-processing run <job|script.py> --local`: the same local run as the extension's "Run Locally in Docker".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsClients } from '../aws/index';
import { confineLocalJob, resolveLocalJob } from '../core/local/definitionLite';
import { chooseJobInText, cliRunTarget } from '../core/jobChoice';
import { t } from '../core/l10n';
import { DefinitionError } from '../core/definition/types';
import { containerCliFrom } from './containerCliConfig';
import { formatLocalLine, startLocalRun } from './localRunner';
import { resolveAttacher } from './engineAttach';
import { attachInstructions } from '../core/local/debug';
import { debugpyPackageDir, installedPythonDebugger } from './debugBridge';

export interface LocalCliOptions {
  /** A job key of the definition, or a script path. */
  what: string;
  definitionFile: string;
  folder: string;
  aws: AwsClients;
  /** The container CLI (default: SMP_CONTAINER_CLI or docker). */
  containerCli?: string;
  /** `--upload-outputs`: also upload the outputs to their S3 destinations. */
  uploadOutputs?: boolean;
  /** `--bucket`: the default bucket (for outputs with no destination: s3://<bucket>/<job>/output/<name>). */
  defaultBucket?: string;
  /** --allow-outside-workspace: local paths outside the folder are allowed (special files never). */
  allowOutsideWorkspace?: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
  /** `--debug [--debug-all-instances] [--debug-port N] [--debugpy DIR]`: the script waits in debugpy for a debugger. */
  debug?: { allInstances?: boolean; port?: number; debugpy?: string };
  /** Container arguments instead of the job's (run_job's override). */
  argumentsOverride?: string[];
  /** The run's name and how it ended (run_job reports them). */
  onEnd?: (r: { jobName: string; status: string; failureReason?: string; exitMessage?: string }) => void;
}

function cliStorageDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'sagemaker-processing');
}

/** Runs the job locally, streaming its output; exit code 0 Completed, 1 Failed, 130 Stopped (Ctrl+C), 2 bad usage. */
export async function runLocalCli(o: LocalCliOptions): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(o.definitionFile, 'utf8');
  } catch {
    o.err(t('error: no job definition file at {0}', o.definitionFile));
    return 2;
  }
  // The same job choice as every other run path (core/jobChoice): a named job, or the one job running the script.
  const target = cliRunTarget(o.what);
  let key: string;
  try {
    key = (await chooseJobInText(text, { ...target, workspaceFolder: o.folder, definitionFile: o.definitionFile, noJobHint: t('; add a job for it to the definition file') }))!;
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    o.err(t('error: {0}', err.message));
    return 2;
  }
  let debugpyDir: string | undefined;
  if (o.debug) {
    const given = o.debug.debugpy ?? process.env.SMP_DEBUGPY;
    debugpyDir = given ? debugpyPackageDir(path.resolve(given)) : installedPythonDebugger();
    if (!debugpyDir) {
      o.err(given ? t('error: no debugpy package at {0} (a folder holding debugpy\'s __main__.py, or its parent)', given)
        : t('error: --debug needs debugpy: install the Python Debugger extension (ms-python.debugpy) in VS Code, or pass --debugpy DIR (e.g. a folder made with `pip install --target DIR debugpy`)'));
      return 2;
    }
  }
  const resolved = resolveLocalJob(text, key, { workspaceDir: o.folder, env: process.env, region: o.aws.current.region, file: target.scriptPath, defaultBucket: o.defaultBucket, argumentsOverride: o.argumentsOverride });
  try {
    await confineLocalJob(resolved, o.folder, !!o.allowOutsideWorkspace, t('the --allow-outside-workspace flag'));
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    o.err(`${t('error: the job definition has problems:')}\n${err.message}`);
    return 2;
  }
  const run = startLocalRun({
    spec: resolved.spec,
    jobKey: key,
    workspaceDir: o.folder,
    allowNetwork: resolved.allowNetwork,
    roleArn: resolved.roleArn,
    region: o.aws.current.region,
    cli: containerCliFrom({ cli: o.containerCli }),
    resolveAttach: resolveAttacher,
    storageDir: cliStorageDir(),
    s3: () => o.aws.s3(),
    uploadOutputs: o.uploadOutputs,
    localOnlyOutputs: resolved.localOnlyOutputs,
    onLine: (line, source, host) => (source === 'stderr' ? o.err : o.out)(formatLocalLine(line, source, host)),
    ...(o.debug && debugpyDir ? {
      debug: {
        debugpyDir, instances: o.debug.allInstances ? 'all' as const : 'first' as const, port: o.debug.port,
        onReady: (e) => attachInstructions(e.host, e.port, e.pathMappings).forEach((l, i) => o.out(i === 0 ? formatLocalLine(l, 'system') : l)),
      },
    } : {}),
  });
  const onSigint = () => void run.stop();
  process.on('SIGINT', onSigint);
  try {
    const r = await run.done;
    o.onEnd?.({ jobName: r.name, status: r.status, failureReason: r.failureReason, exitMessage: r.exitMessage });
    if (r.status === 'Failed' && r.exitMessage) o.err(r.exitMessage);
    return r.status === 'Completed' ? 0 : r.status === 'Stopped' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
