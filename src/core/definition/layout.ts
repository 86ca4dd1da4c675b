import type { ResolvedJob } from './types';

/** Where the SageMaker Python SDK puts code in the container and in S3 (ScriptProcessor and FrameworkProcessor). */
export const CODE_INPUT = 'code';
export const ENTRYPOINT_INPUT = 'entrypoint';
export const CODE_DIR = '/opt/ml/processing/input/code';
export const ENTRYPOINT_DIR = '/opt/ml/processing/input/entrypoint';
export const RUNPROC = 'runproc.sh';
export const SOURCEDIR_TAR = 'sourcedir.tar.gz';

/** `<default_bucket_prefix>/<job>` or `<job>`: where the SDK puts everything of a job in the bucket. */
export function jobKeyPrefix(job: Pick<ResolvedJob, 'jobName' | 'bucketPrefix'>): string {
  return job.bucketPrefix ? `${job.bucketPrefix}/${job.jobName}` : job.jobName;
}

/** S3 key of the uploaded script (ScriptProcessor): `<job>/input/code/<basename>`. */
export function codeKey(job: ResolvedJob): string {
  return `${jobKeyPrefix(job)}/input/${CODE_INPUT}/${job.scriptBasename}`;
}

/** S3 keys of the FrameworkProcessor payload: `<job>/source/sourcedir.tar.gz` and `<job>/source/runproc.sh`. */
export function sourceDirKeys(job: ResolvedJob): { tar: string; runproc: string } {
  return { tar: `${jobKeyPrefix(job)}/source/${SOURCEDIR_TAR}`, runproc: `${jobKeyPrefix(job)}/source/${RUNPROC}` };
}

/** S3 key prefix for an uploaded local input: `<job>/input/<name>`. */
export function localInputPrefix(job: ResolvedJob, name: string): string {
  return `${jobKeyPrefix(job)}/input/${name}`;
}

export function defaultOutputUri(bucket: string, jobName: string, name: string): string {
  return `s3://${bucket}/${jobName}/output/${name}`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

/**
 * The bash script FrameworkProcessor generates (`_generate_framework_script`, byte for byte for the usual values):
 * unpack the code, install requirements with `python -m pip` if present, run the script with the container
 * arguments. Values that need it are shell-quoted (the SDK pastes them raw). `unpack` false gives the variant for
 * local runs, where the folder is mounted unpacked.
 */
export function runprocScript(command: string[], scriptInSourceDir: string, requirements = 'requirements.txt', unpack = true): string {
  const lines = ['#!/bin/bash', '', `cd ${CODE_DIR}/`];
  if (unpack) lines.push(`tar -xzf ${SOURCEDIR_TAR}`);
  const req = /^[A-Za-z0-9_@%+=:,./-]+$/.test(requirements) ? `'${requirements}'` : shellQuote(requirements);
  lines.push(
    '',
    '# Exit on any error. SageMaker uses error code to mark failed job.',
    'set -e',
    '',
    `if [[ -f ${req} ]]; then`,
    '    # Optionally log into CodeArtifact',
    '    if ! hash aws 2>/dev/null; then',
    '        echo "AWS CLI is not installed. Skipping CodeArtifact login."',
    '    else',
    "        echo 'CodeArtifact repository not specified. Skipping login.'",
    '    fi',
    '',
    '    # Some py3 containers has typing, which may breaks pip install',
    '    pip uninstall --yes typing',
    '',
    `    python -m pip install -r ${shellQuote(requirements)}`,
    'fi',
    '',
    `${command.map(shellQuote).join(' ')} ${shellQuote(scriptInSourceDir)} "$@"`,
    '',
  );
  return lines.join('\n');
}

/** ContainerEntrypoint as the SDK builds it. */
export function containerEntrypoint(job: ResolvedJob): string[] {
  if (job.sourceDir) return ['/bin/bash', `${ENTRYPOINT_DIR}/${RUNPROC}`];
  return [...job.command, `${CODE_DIR}/${job.scriptBasename}`];
}
