import type { ResolvedJob } from './types';

/** Where the SageMaker Python SDK puts code in the container and in S3 (ScriptProcessor and FrameworkProcessor). */
export const CODE_INPUT = 'code';
export const ENTRYPOINT_INPUT = 'entrypoint';
export const CODE_DIR = '/opt/ml/processing/input/code';
export const ENTRYPOINT_DIR = '/opt/ml/processing/input/entrypoint';
export const RUNPROC = 'runproc.sh';
export const SOURCEDIR_TAR = 'sourcedir.tar.gz';
/** SDK v3's FrameworkProcessor: the helper runproc.sh calls to install the requirements, uploaded beside it. */
export const INSTALL_REQUIREMENTS = 'install_requirements.py';

/** `<default_bucket_prefix>/<job>` or `<job>`: where the SDK puts everything of a job in the bucket. */
export function jobKeyPrefix(job: Pick<ResolvedJob, 'jobName' | 'bucketPrefix'>): string {
  return job.bucketPrefix ? `${job.bucketPrefix}/${job.jobName}` : job.jobName;
}

/** S3 key of the uploaded script (ScriptProcessor): `<job>/input/code/<basename>`. */
export function codeKey(job: ResolvedJob): string {
  return `${jobKeyPrefix(job)}/input/${CODE_INPUT}/${job.scriptBasename}`;
}

/**
 * S3 keys of the FrameworkProcessor payload: `<job>/source/sourcedir.tar.gz` and `<job>/source/runproc.sh` (and, SDK
 * v3, `<job>/source/install_requirements.py`; v3 mounts the whole `<job>/source/` folder as input `code`).
 */
export function sourceDirKeys(job: ResolvedJob): { tar: string; runproc: string; installRequirements: string; folder: string } {
  const folder = `${jobKeyPrefix(job)}/source/`;
  return { tar: `${folder}${SOURCEDIR_TAR}`, runproc: `${folder}${RUNPROC}`, installRequirements: `${folder}${INSTALL_REQUIREMENTS}`, folder };
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

/**
 * SDK v3's runproc.sh (sagemaker.core.processing.FrameworkProcessor._generate_framework_script, byte for byte for the
 * usual values): list and unpack the code, install requirements.txt through install_requirements.py, run the script.
 * v3 always looks for `requirements.txt`; a job's other `requirements` file is used instead (ours, see README).
 * Values that need it are shell-quoted (the SDK pastes them raw).
 */
export function runprocScriptV3(command: string[], scriptInSourceDir: string, requirements = 'requirements.txt'): string {
  const req = /^[A-Za-z0-9_@%+=:,./-]+$/.test(requirements) ? `'${requirements}'` : shellQuote(requirements);
  return [
    '#!/bin/bash',
    '',
    '# Exit on any error. SageMaker uses error code to mark failed job.',
    'set -e',
    '',
    `cd ${CODE_DIR}/`,
    '',
    '# Debug: List files before extraction',
    `echo "Files in ${CODE_DIR}/ before extraction:"`,
    'ls -la',
    '',
    '# Extract source code',
    `if [ -f ${SOURCEDIR_TAR} ]; then`,
    `    tar -xzf ${SOURCEDIR_TAR}`,
    '    echo "Files after extraction:"',
    '    ls -la',
    'else',
    `    echo "ERROR: ${SOURCEDIR_TAR} not found!"`,
    '    exit 1',
    'fi',
    '',
    `if [[ -f ${req} ]]; then`,
    '    # Some py3 containers has typing, which may breaks pip install',
    '    pip uninstall --yes typing',
    '',
    `    python3 ${CODE_DIR}/${INSTALL_REQUIREMENTS} ${shellQuote(requirements)}`,
    'fi',
    '',
    `${command.map(shellQuote).join(' ')} ${shellQuote(scriptInSourceDir)} "$@"`,
    '',
  ].join('\n');
}

/**
 * Our install_requirements.py for SDK v3 layouts (same name, place and call as the SDK's helper; our own text): installs
 * the requirements file given as its argument with the container's `python3 -m pip`, and fails the job when pip fails.
 */
export const INSTALL_REQUIREMENTS_PY = [
  '"""Installs a requirements file in the processing container (python3 install_requirements.py FILE)."""',
  'import subprocess',
  'import sys',
  '',
  '',
  'def main(argv):',
  '    if len(argv) != 2:',
  '        print("usage: install_requirements.py REQUIREMENTS_FILE", file=sys.stderr)',
  '        return 2',
  '    print("Installing requirements from %s" % argv[1], flush=True)',
  '    return subprocess.call([sys.executable, "-m", "pip", "install", "-r", argv[1]])',
  '',
  '',
  'if __name__ == "__main__":',
  '    sys.exit(main(sys.argv))',
  '',
].join('\n');

/** ContainerEntrypoint as the SDK builds it. */
export function containerEntrypoint(job: ResolvedJob): string[] {
  if (job.sourceDir) return ['/bin/bash', `${ENTRYPOINT_DIR}/${RUNPROC}`];
  return [...job.command, `${CODE_DIR}/${job.scriptBasename}`];
}
