// The one cloud run path of the CLI's `run <job|script.py>` (and of the agent tools' run_job): where the definition
// is, then prepareJob (validation, naming, build, request) and submitPrepared (uploads, CreateProcessingJob).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AwsClients } from './aws/index';
import { awsSubmitPorts } from './aws/submitPorts';
import { buildForRun } from './local/imageBuilder';
import { cliRunTarget } from './core/jobChoice';
import { DEFINITION_FILE, type SdkVersion } from './core/definition/types';
import { prepareJob, submitPrepared, type PreparedJob, type SubmitProgress, type SubmitResult } from './core/submit';
import { t } from './core/l10n';

/** The definition file (`--definition`, else .vscode/sagemaker-processing.json under `--folder` or cwd) and its folder. */
export function definitionLocation(definitionFlag: string | undefined, folderFlag: string | undefined, cwd = process.cwd()): { definitionFile: string; folder: string } {
  const definitionFile = path.resolve(cwd, definitionFlag ?? path.join(folderFlag ?? cwd, DEFINITION_FILE));
  const folder = path.resolve(cwd, folderFlag ?? (path.basename(path.dirname(definitionFile)) === '.vscode' ? path.dirname(path.dirname(definitionFile)) : path.dirname(definitionFile)));
  return { definitionFile, folder };
}

export interface CloudRunOptions {
  /** A job key, or a script path (`run <job|script.py>`). */
  what: string;
  definitionFile: string;
  folder: string;
  role?: string;
  bucket?: string;
  allowOutsideWorkspace?: boolean;
  /** Submit <repo>:<tag> as it is in ECR (`--no-build`, `--dry-run`). */
  noBuild?: boolean;
  argumentsOverride?: string[];
  /** `--sdk v2|v3`: which SageMaker Python SDK's requests this run follows (wins over the definition's `sdk`). */
  sdk?: SdkVersion;
  /** The build's progress (the CLI: stderr). */
  buildWrite: (text: string) => void;
  signal?: AbortSignal;
}

/** No definition file where it was looked for. */
export class NoDefinitionFile extends Error {}

/** Reads, validates and prepares the run (throws DefinitionError with every problem); undefined: nothing chosen. */
export async function prepareCloudRun(aws: AwsClients, o: CloudRunOptions): Promise<PreparedJob | undefined> {
  let text: string;
  try {
    text = fs.readFileSync(o.definitionFile, 'utf8');
  } catch {
    throw new NoDefinitionFile(t('error: no job definition file at {0}', o.definitionFile));
  }
  const envRole = process.env.SAGEMAKER_ROLE_ARN || undefined;
  return await prepareJob(awsSubmitPorts(aws), {
    definitionText: text,
    definitionFile: o.definitionFile,
    workspaceFolder: o.folder,
    ...cliRunTarget(o.what), // the job choice of every run path (core/jobChoice)
    defaultRoleArn: o.role ?? envRole,
    defaultRoleSource: o.role !== undefined ? '--role' : 'SAGEMAKER_ROLE_ARN',
    roleHint: t('with --role or SAGEMAKER_ROLE_ARN'),
    defaultBucket: o.bucket,
    defaultBucketSource: '--bucket',
    allowOutsideWorkspace: o.allowOutsideWorkspace,
    allowOutsideHint: t('the --allow-outside-workspace flag'),
    noJobHint: t('; add a job for it to the definition file'),
    argumentsOverride: o.argumentsOverride,
    sdkOverride: o.sdk,
    // Build then run: the build's progress goes to buildWrite, stdout keeps only the job name.
    resolveBuildImage: o.noBuild ? undefined : (build, c) => buildForRun(build, { aws, folder: o.folder, job: c.key ?? 'job', write: o.buildWrite, signal: o.signal }),
  });
}

/** Uploads and creates the prepared job. */
export async function submitCloudRun(aws: AwsClients, prepared: PreparedJob, opts: { signal?: AbortSignal; onProgress?: (p: SubmitProgress) => void }): Promise<SubmitResult> {
  return await submitPrepared(awsSubmitPorts(aws), prepared, opts);
}
