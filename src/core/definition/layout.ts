import type { ResolvedJob } from './types';

/** Where the SageMaker Python SDK puts code in the container and in S3 (ScriptProcessor and FrameworkProcessor). */
export const CODE_INPUT = 'code';
export const ENTRYPOINT_INPUT = 'entrypoint';
export const CODE_DIR = '/opt/ml/processing/input/code';
export const ENTRYPOINT_DIR = '/opt/ml/processing/input/entrypoint';
export const RUNPROC = 'runproc.sh';
export const SOURCEDIR_TAR = 'sourcedir.tar.gz';

export function s3Join(...parts: string[]): string {
  const [first, ...rest] = parts;
  return [first.replace(/\/+$/, ''), ...rest.map((p) => p.replace(/^\/+|\/+$/g, ''))].filter((p) => p !== '').join('/');
}

/** S3 key of the uploaded script (ScriptProcessor): `<job>/input/code/<basename>`. */
export function codeKey(job: ResolvedJob): string {
  return `${job.jobName}/input/${CODE_INPUT}/${job.scriptBasename}`;
}

/** S3 keys of the FrameworkProcessor payload: `<job>/source/sourcedir.tar.gz` and `<job>/source/runproc.sh`. */
export function sourceDirKeys(job: ResolvedJob): { tar: string; runproc: string } {
  return { tar: `${job.jobName}/source/${SOURCEDIR_TAR}`, runproc: `${job.jobName}/source/${RUNPROC}` };
}

/** S3 key prefix for an uploaded local input: `<job>/input/<name>`. */
export function localInputPrefix(job: ResolvedJob, name: string): string {
  return `${job.jobName}/input/${name}`;
}

export function defaultOutputUri(bucket: string, jobName: string, name: string): string {
  return `s3://${bucket}/${jobName}/output/${name}`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

/**
 * The bash script FrameworkProcessor generates: unpack the code, install requirements if present, run the script with
 * the container arguments. `unpack` false gives the variant for local runs, where the folder is mounted unpacked.
 */
export function runprocScript(command: string[], scriptInSourceDir: string, requirements = 'requirements.txt', unpack = true): string {
  const lines = ['#!/bin/bash', '', `cd ${CODE_DIR}/`];
  if (unpack) lines.push(`tar -xzf ${SOURCEDIR_TAR}`);
  lines.push(
    '',
    '# Any failing step fails the job (SageMaker reads the exit code).',
    'set -e',
    '',
    `if [[ -f ${shellQuote(requirements)} ]]; then`,
    '    # Some containers ship the "typing" backport, which breaks pip.',
    '    pip uninstall --yes typing',
    '',
    `    pip install -r ${shellQuote(requirements)}`,
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
