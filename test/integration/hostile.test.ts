// Hostile and broken definitions (issue 12), each through BOTH the CLI (a child process) and the extension's submit
// path (prepareJob + submitPrepared over the real AWS wrappers), against moto behind the recording proxy: every one is
// refused with a non-zero exit / a DefinitionError naming the field (and, for the file's own values, its line), and
// the proxy sees no write at all (no PutObject, CreateBucket, multipart upload or CreateProcessingJob).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { startProxy, type LoggedRequest, type ScriptedProxy } from '../support/proxy';
import { ROOT, scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { submitJob, type PrepareOptions } from '../../src/core/submit';
import { DefinitionError } from '../../src/core/definition/types';
import { runCli, type CliResult } from '../support/proc';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const MISSING = 'SMP_HOSTILE_NOT_SET';
const BASE_JOB = { script: 'preprocessing.py', image: 'img:1', role: ROLE, inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }] };

interface Case {
  name: string;
  /** Fields merged over BASE_JOB (undefined removes one). */
  job?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
  /** The whole definition text instead. */
  text?: string;
  /** The job asked for (default "j"). */
  key?: string;
  env?: Record<string, string>;
  /** Extra CLI arguments / environment, and the submit path's equivalent options (role or bucket from a setting). */
  cliArgs?: string[];
  cliEnv?: Record<string, string>;
  submit?: Partial<PrepareOptions>;
  /** The field named in the message ('' when the message is about the file as a whole). */
  field: string;
  expect: RegExp;
  /** The problem is in the file: the message gives file:line:column (default: when the field starts with jobs/defaults). */
  located?: boolean;
}

function isWrite(r: LoggedRequest): boolean {
  if (['CreateProcessingJob', 'CreateBucket', 'PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'].includes(r.action)) return true;
  // S3's REST calls carry no action name: anything but GET/HEAD there is a write (PUT object/bucket, POST ?uploads, DELETE).
  return !r.service && !r.action && r.method !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
}

const long = (n: number) => 'x'.repeat(n);

function cases(ws: string, outside: string): Case[] {
  const c: Case[] = [
    // Variables: an unset ${env:X} used to become "" (the whole workspace as input, EISDIR as script, "." as destination).
    { name: 'unset env var as input source', job: { inputs: [{ source: `\${env:${MISSING}}`, destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as script', job: { script: `\${env:${MISSING}}` }, field: 'jobs.j.script', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var in an output destination', job: { outputs: [{ source: '/opt/ml/processing/out', destination: `s3://bucket-x/\${env:${MISSING}}` }] }, field: 'jobs.j.outputs[0].destination', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as input destination', job: { inputs: [{ source: 'data/census-income.csv', destination: `\${env:${MISSING}}` }] }, field: 'jobs.j.inputs[0].destination', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as sourceDir', job: { sourceDir: `\${env:${MISSING}}` }, field: 'jobs.j.sourceDir', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as role', job: { role: `\${env:${MISSING}}` }, field: 'jobs.j.role', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as bucket', job: { bucket: `\${env:${MISSING}}` }, field: 'jobs.j.bucket', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as image', job: { image: `\${env:${MISSING}}` }, field: 'jobs.j.image', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'empty env var as input source', env: { SMP_HOSTILE_EMPTY: '' }, job: { inputs: [{ source: '${env:SMP_HOSTILE_EMPTY}', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /SMP_HOSTILE_EMPTY is not set or empty/ },
    { name: 'unset env var in defaults', defaults: { inputs: [{ source: `\${env:${MISSING}}`, destination: '/opt/ml/processing/input' }] }, job: { inputs: undefined }, field: 'defaults.inputs[0].source', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unset env var as an argument', job: { arguments: ['--x', `\${env:${MISSING}}`] }, field: 'jobs.j.arguments[1]', expect: new RegExp(`${MISSING} is not set`) },
    { name: 'unknown variable', job: { script: '${nope}' }, field: 'jobs.j.script', expect: /unknown variable "\$\{nope\}"/ },
    { name: 'env variable without a name', job: { script: '${env:}' }, field: 'jobs.j.script', expect: /name the environment variable/ },
    { name: 'env variable with a bad name', job: { script: '${env:A-B}' }, field: 'jobs.j.script', expect: /not an environment variable name/ },
    { name: 'env variable default that escapes the workspace', job: { inputs: [{ source: `\${env:${MISSING}:-../${path.basename(outside)}/secret.txt}`, destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    // Confinement.
    { name: '../ input', job: { inputs: [{ source: `../${path.basename(outside)}/secret.txt`, destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    { name: 'absolute input outside', job: { inputs: [{ source: path.join(outside, 'secret.txt'), destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    { name: 'absolute folder input outside', job: { inputs: [{ source: outside, destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    { name: '/etc as input', job: { inputs: [{ source: '/etc', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    { name: 'absolute script outside', job: { script: path.join(outside, 'secret.py') }, field: 'jobs.j.script', expect: /outside the workspace folder/ },
    { name: '../ script', job: { script: `../${path.basename(outside)}/secret.py` }, field: 'jobs.j.script', expect: /outside the workspace folder/ },
    { name: '${workspaceFolder}/.. script', job: { script: `\${workspaceFolder}/../${path.basename(outside)}/secret.py` }, field: 'jobs.j.script', expect: /outside the workspace folder/ },
    { name: '../ sourceDir', job: { sourceDir: `../${path.basename(outside)}`, script: 'secret.py' }, field: 'jobs.j.sourceDir', expect: /outside the workspace folder/ },
    { name: 'absolute sourceDir outside', job: { sourceDir: outside, script: 'secret.py' }, field: 'jobs.j.sourceDir', expect: /outside the workspace folder/ },
    { name: 'symlink to an outside file as input', job: { inputs: [{ source: 'link-secret', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /really .*secret\.txt\) is outside the workspace folder/ },
    { name: 'symlink to an outside folder as input', job: { inputs: [{ source: 'link-outdir', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    { name: 'file through a symlinked outside folder', job: { inputs: [{ source: 'link-outdir/secret.txt', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /outside the workspace folder/ },
    { name: 'symlink to an outside script', job: { script: 'link-secret-py' }, field: 'jobs.j.script', expect: /outside the workspace folder/ },
    { name: 'symlinked sourceDir outside', job: { sourceDir: 'link-outdir', script: 'secret.py' }, field: 'jobs.j.sourceDir', expect: /outside the workspace folder/ },
    { name: '/proc/self/environ as input', job: { inputs: [{ source: '/proc/self/environ', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /system file/ },
    { name: '/proc/self/environ through a symlink', job: { inputs: [{ source: 'link-environ', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /system file/ },
    { name: '/proc/self/environ opted in', job: { inputs: [{ source: '/proc/self/environ', destination: '/opt/ml/processing/input' }] }, cliArgs: ['--allow-outside-workspace'], submit: { allowOutsideWorkspace: true }, field: 'jobs.j.inputs[0].source', expect: /system file/ },
    { name: '/dev/zero as input', job: { inputs: [{ source: '/dev/zero', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /system file/ },
    { name: '/dev/zero through a symlink, opted in', job: { inputs: [{ source: 'link-zero', destination: '/opt/ml/processing/input' }] }, cliArgs: ['--allow-outside-workspace'], submit: { allowOutsideWorkspace: true }, field: 'jobs.j.inputs[0].source', expect: /system file/ },
    { name: '/dev/null as script', job: { script: '/dev/null' }, field: 'jobs.j.script', expect: /system file/ },
    { name: '/sys as input', job: { inputs: [{ source: '/sys/kernel', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /system file/ },
    { name: 'a FIFO as input', job: { inputs: [{ source: 'fifo', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /a FIFO/ },
    { name: 'a FIFO as script', job: { script: 'fifo' }, field: 'jobs.j.script', expect: /a FIFO/ },
    { name: 'a folder as script (was EISDIR)', job: { script: 'data' }, field: 'jobs.j.script', expect: /is a folder, not a file/ },
    { name: 'a file as sourceDir', job: { sourceDir: 'preprocessing.py', script: 'x.py' }, field: 'jobs.j.sourceDir', expect: /is not a folder/ },
    { name: 'script outside its sourceDir', job: { sourceDir: 'srcdir', script: path.join(ws, 'preprocessing.py') }, field: 'jobs.j.script', expect: /sourceDir/ },
    { name: 'missing local input', job: { inputs: [{ source: 'data/nope.csv', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /not found/ },
    { name: 'file:// input', job: { inputs: [{ source: 'file:///etc/passwd', destination: '/opt/ml/processing/input' }] }, field: 'jobs.j.inputs[0].source', expect: /must be an s3:\/\/ URI or a local path/ },
    // Job keys and structure.
    { name: 'run toString', key: 'toString', field: 'jobs', expect: /no job "toString"/, located: false },
    { name: 'run __proto__', key: '__proto__', field: 'jobs', expect: /no job "__proto__"/, located: false },
    { name: 'run constructor', key: 'constructor', field: 'jobs', expect: /no job "constructor"/, located: false },
    { name: 'deep nesting', text: `{"version":"1","jobs":{"j":{"tags":${'['.repeat(20_000)}${']'.repeat(20_000)}}}}`, field: '', expect: /invalid JSON: nested more than 64 levels/, located: true },
    { name: 'invalid JSON', text: '{"version":"1","jobs":{"j":{"script":"preprocessing.py",,}}}', field: '', expect: /invalid JSON/, located: true },
    { name: 'version 2', text: JSON.stringify({ version: '2', jobs: { j: BASE_JOB } }, null, 2), field: 'version', expect: /must be one of "1"/ },
    { name: 'jobs is an array', text: JSON.stringify({ version: '1', jobs: [BASE_JOB] }, null, 2), field: 'jobs', expect: /must be an object/ },
    { name: 'unknown field', job: { scrpit: 'x.py' }, field: 'jobs.j.scrpit', expect: /unknown field "scrpit"/ },
    // Roles from every source.
    { name: 'bad role in the file', job: { role: 'admin role!' }, field: 'jobs.j.role', expect: /"admin role!" is not an IAM role ARN/ },
    { name: 'bad role in defaults', defaults: { role: 'arn:aws:iam::123:role/x' }, job: { role: undefined }, field: 'defaults.role', expect: /is not an IAM role ARN/ },
    { name: 'bad --role', job: { role: undefined }, cliArgs: ['--role', 'admin'], submit: { defaultRoleArn: 'admin', defaultRoleSource: '--role' }, field: '--role', expect: /"admin" is not an IAM role ARN/, located: false },
    { name: 'bad SAGEMAKER_ROLE_ARN', job: { role: undefined }, cliEnv: { SAGEMAKER_ROLE_ARN: 'arn:aws:iam::12:role/x' }, submit: { defaultRoleArn: 'arn:aws:iam::12:role/x', defaultRoleSource: 'SAGEMAKER_ROLE_ARN' }, field: 'SAGEMAKER_ROLE_ARN', expect: /is not an IAM role ARN/, located: false },
    { name: 'bad role setting (the CLI: --role)', job: { role: undefined }, cliArgs: ['--role', 'role/x'], submit: { defaultRoleArn: 'role/x' }, field: '(--role|sagemakerProcessing\\.defaultRoleArn)', expect: /"role\/x" is not an IAM role ARN/, located: false },
    { name: 'no role anywhere', job: { role: undefined }, field: 'jobs.j', expect: /no "role"/ },
    // Every value as the API checks it.
    { name: 'unknown instance type', job: { instanceType: 'ml.m5.huge' }, field: 'jobs.j.instanceType', expect: /not a SageMaker Processing instance type/ },
    { name: 'instance type of another service', job: { instanceType: 'ml.inf1.xlarge' }, field: 'jobs.j.instanceType', expect: /not a SageMaker Processing instance type/ },
    { name: 'instance type with a space', job: { instanceType: 'ml.m5.xlarge ' }, field: 'jobs.j.instanceType', expect: /instance type/ },
    { name: 'instanceCount 0', job: { instanceCount: 0 }, field: 'jobs.j.instanceCount', expect: /between 1 and 100/ },
    { name: 'volume too big', job: { volumeSizeGB: 100_000 }, field: 'jobs.j.volumeSizeGB', expect: /between 1 and 16384/ },
    { name: 'runtime too long', job: { maxRuntimeSeconds: 10_000_000 }, field: 'jobs.j.maxRuntimeSeconds', expect: /between 1 and 777600/ },
    { name: 'aws: tag key', job: { tags: { 'aws:cloudformation:stack-name': 'x' } }, field: 'jobs.j.tags.aws:cloudformation:stack-name', expect: /reserved for AWS/ },
    { name: 'AWS: tag key (any case)', job: { tags: { 'AWS:x': 'y' } }, field: 'jobs.j.tags.AWS:x', expect: /reserved for AWS/ },
    { name: 'tag key too long', job: { tags: { [long(129)]: 'y' } }, field: `jobs.j.tags.${long(129)}`, expect: /1 to 128 characters/ },
    { name: 'image starting with -', job: { image: '--privileged' }, field: 'jobs.j.image', expect: /not starting with "-"/ },
    { name: 'image as a docker option', job: { image: '-v/:/host' }, field: 'jobs.j.image', expect: /not starting with "-"/ },
    { name: 'image with a space', job: { image: 'img:1 --rm' }, field: 'jobs.j.image', expect: /no spaces/ },
    { name: '101 arguments', job: { arguments: Array.from({ length: 101 }, () => 'a') }, field: 'jobs.j.arguments', expect: /at most 100/ },
    { name: 'argument too long', job: { arguments: [long(257)] }, field: 'jobs.j.arguments[0]', expect: /at most 256/ },
    { name: '101 environment variables', job: { environment: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, 'x'])) }, field: 'jobs.j.environment', expect: /at most 100/ },
    { name: 'environment value too long', job: { environment: { A: long(257) } }, field: 'jobs.j.environment.A', expect: /at most 256/ },
    { name: 'environment name not a name', job: { environment: { '1BAD': 'x' } }, field: 'jobs.j.environment.1BAD', expect: /not an environment variable name/ },
    { name: 'output destination not S3', job: { outputs: [{ source: '/opt/ml/processing/out', destination: '/tmp/x' }] }, field: 'jobs.j.outputs[0].destination', expect: /not a valid S3 URI/ },
    { name: 'input destination outside /opt/ml/processing', job: { inputs: [{ source: 'data/census-income.csv', destination: '/etc' }] }, field: 'jobs.j.inputs[0].destination', expect: /under \/opt\/ml\/processing/ },
    { name: 'input destination with ..', job: { inputs: [{ source: 'data/census-income.csv', destination: '/opt/ml/processing/../../etc' }] }, field: 'jobs.j.inputs[0].destination', expect: /must not contain "\.\."/ },
    { name: 'input named code', job: { inputs: [{ name: 'code', source: 'data/census-income.csv', destination: '/opt/ml/processing/in' }] }, field: 'jobs.j.inputs[0].name', expect: /reserved/ },
    { name: '11 inputs', job: { inputs: Array.from({ length: 11 }, (_, i) => ({ source: 's3://bucket-x/a', destination: `/opt/ml/processing/in${i}` })) }, field: 'jobs.j.inputs', expect: /at most 10/ },
    { name: 'bad bucket in the file', job: { bucket: 'Bad_Bucket' }, field: 'jobs.j.bucket', expect: /not an S3 bucket name/ },
    { name: 'bad --bucket / bucket setting', cliArgs: ['--bucket', 'Bad_Bucket'], submit: { defaultBucket: 'Bad_Bucket', defaultBucketSource: '--bucket' }, field: '--bucket', expect: /not an S3 bucket name/, located: false },
    { name: 'bad baseJobName', job: { baseJobName: '-x' }, field: 'jobs.j.baseJobName', expect: /is not a job name/ },
    { name: 'empty command', job: { command: [] }, field: 'jobs.j.command', expect: /at least 1/ },
  ];
  return c;
}

/** CLI-only: bad flags (exit 2, no request at all). */
const BAD_FLAGS: { name: string; args: string[]; expect: RegExp }[] = [
  { name: '--poll 5s', args: ['run', 'j', '--poll', '5s'], expect: /--poll takes a number of seconds/ },
  { name: '--max abc', args: ['jobs', '--max', 'abc'], expect: /--max takes a whole number/ },
  { name: 'unknown flag', args: ['run', 'j', '--force'], expect: /Unknown option '--force'/ },
  { name: 'flag of another command', args: ['describe', 'x', '--follow'], expect: /Unknown option '--follow'/ },
  { name: 'missing value', args: ['run', 'j', '--definition'], expect: /--definition needs a value/ },
  { name: 'extra argument', args: ['stop', 'a', 'b'], expect: /unexpected argument "b"/ },
  { name: 'unknown command', args: ['toString'], expect: /unknown command "toString"/ },
];

/** Deadline of each leg of a case: a refused definition ends in about a second; one that uploads /dev/zero never would. */
const LEG_DEADLINE_MS = 30_000;

function cli(args: string[], env: Record<string, string | undefined>, cwd: string): Promise<CliResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env, LC_ALL: 'C', AWS_MAX_ATTEMPTS: '1', ...env }; // English messages
  delete childEnv[MISSING];
  delete childEnv.SAGEMAKER_ROLE_ARN;
  if (env.SAGEMAKER_ROLE_ARN) childEnv.SAGEMAKER_ROLE_ARN = env.SAGEMAKER_ROLE_ARN;
  return runCli(args, { cwd, env: childEnv as NodeJS.ProcessEnv, timeoutMs: LEG_DEADLINE_MS });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The last key of a field path, as it is written in the file (`"source"`), when the path ends with a key. */
function lastKey(field: string): string | undefined {
  const last = field.split('.').pop();
  return !last || /\]$/.test(last) ? undefined : last;
}

describe('hostile definitions are refused before anything is written (CLI and extension submit path)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let ws: string;
  let outside: string;
  let defsDir: string;
  let aws: AwsClients;
  let restore: () => void;
  let table: Case[];

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    const root = scratchDir('hostile');
    ws = path.join(root, 'census');
    outside = path.join(root, 'outside');
    defsDir = path.join(root, 'defs');
    fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
    fs.mkdirSync(outside);
    fs.mkdirSync(defsDir);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'AWS_SECRET_ACCESS_KEY=not-really\n');
    fs.writeFileSync(path.join(outside, 'secret.py'), 'print("outside")\n');
    fs.mkdirSync(path.join(ws, 'srcdir'));
    fs.writeFileSync(path.join(ws, 'srcdir', 'train.py'), 'print(1)\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link-secret'));
    fs.symlinkSync(path.join(outside, 'secret.py'), path.join(ws, 'link-secret-py'));
    fs.symlinkSync(outside, path.join(ws, 'link-outdir'));
    fs.symlinkSync('/proc/self/environ', path.join(ws, 'link-environ'));
    fs.symlinkSync('/dev/zero', path.join(ws, 'link-zero'));
    execFileSync('mkfifo', [path.join(ws, 'fifo')]);
    aws = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    table = cases(ws, outside);
    assert.ok(table.length >= 60, `${table.length} cases`);
  });
  after(async () => {
    aws?.dispose();
    restore?.();
    await proxy?.stop();
    await moto?.stop();
    if (ws) fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('has at least 60 definitions, each refused by both paths, naming the field (and line), with no write', { timeout: 30 * 60_000 }, async () => {
    const failures: string[] = [];
    for (const [n, c] of table.entries()) {
      const text = c.text ?? JSON.stringify({ version: '1', ...(c.defaults ? { defaults: c.defaults } : {}), jobs: { j: { ...BASE_JOB, ...c.job } } }, null, 2);
      const file = path.join(defsDir, `case-${n}.json`);
      fs.writeFileSync(file, text);
      const lines = text.split('\n');
      const key = c.key ?? 'j';
      const located = c.located ?? /^(jobs|defaults|version)/.test(c.field);
      const fieldRe = c.field ? (c.field.startsWith('(') ? c.field : escape(c.field)) : '';
      const wantRe = new RegExp(`${located ? `${escape(file)}:(\\d+):\\d+: ` : ''}${fieldRe ? `${fieldRe}: ` : ''}.*(?:${c.expect.source})`);
      const checkLine = (msg: string, leg: string) => {
        const m = wantRe.exec(msg);
        if (!m) return failures.push(`${c.name} [${leg}]: expected ${wantRe} in:\n${msg}`);
        const k = lastKey(c.field);
        if (located && k && c.field.startsWith('jobs') && !lines[Number(m[1]) - 1]?.includes(JSON.stringify(k))) failures.push(`${c.name} [${leg}]: line ${m[1]} is not the field "${k}": ${lines[Number(m[1]) - 1]}`);
        return undefined;
      };
      const before = proxy.requests.length;

      // The CLI, as a user runs it.
      const r = await cli(['run', key, '--definition', file, '--folder', ws, '--endpoint-url', proxy.url, ...(c.cliArgs ?? [])], { ...moto.env, ...c.env, ...c.cliEnv }, ws);
      if (r.timedOut) failures.push(`${c.name} [cli]: still running after ${LEG_DEADLINE_MS / 1000} s (killed)`);
      else if (r.status === 0) failures.push(`${c.name} [cli]: exit 0`);
      else if (r.status !== 2) failures.push(`${c.name} [cli]: exit ${r.status}, expected 2\n${r.stderr}`);
      checkLine(r.stderr, 'cli');
      if (/^\s+at /m.test(r.stderr) || /\bE[A-Z]{4,}\b/.test(r.stderr.replace(MISSING, '')) || /Warning/.test(r.stderr)) failures.push(`${c.name} [cli]: raw error, stack or warning:\n${r.stderr}`);
      if (!/defaultRoleArn/.test(c.field) && /sagemakerProcessing\.|Create Job Definition/.test(r.stderr)) failures.push(`${c.name} [cli]: VS Code names in a CLI message:\n${r.stderr}`);

      // The extension's submit path (what "Run as Processing job" calls), over the real AWS wrappers.
      const env: Record<string, string | undefined> = { ...process.env, ...c.env };
      delete env[MISSING];
      const deadline = AbortSignal.timeout(LEG_DEADLINE_MS);
      try {
        const done = await submitJob(awsSubmitPorts(aws), { definitionText: text, definitionFile: file, workspaceFolder: ws, jobKey: key, env, signal: deadline, ...c.submit });
        failures.push(`${c.name} [submit]: submitted ${done?.job.jobName}`);
      } catch (err) {
        if (deadline.aborted) failures.push(`${c.name} [submit]: still uploading after ${LEG_DEADLINE_MS / 1000} s (aborted)`);
        else if (!(err instanceof DefinitionError)) failures.push(`${c.name} [submit]: ${(err as Error).name}: ${(err as Error).message}`);
        else checkLine(err.message, 'submit');
      }
      const writes = proxy.requests.slice(before).filter(isWrite);
      if (writes.length) failures.push(`${c.name}: wrote ${writes.map((w) => `${w.action || w.method} ${w.path ?? ''}`).join(', ')}`);
    }
    assert.deepEqual(failures, [], `${failures.length} failures over ${table.length} cases:\n${failures.join('\n')}`);
    assert.equal(proxy.requests.filter(isWrite).length, 0);
  });

  it('bad CLI flags: one message, exit 2, no request at all', async () => {
    const before = proxy.requests.length;
    for (const f of BAD_FLAGS) {
      const r = await cli([...f.args, '--endpoint-url', proxy.url], moto.env, ws);
      assert.equal(r.status, 2, `${f.name}: ${r.stderr}`);
      assert.match(r.stderr, f.expect, f.name);
      assert.equal(r.stderr.trim().split('\n').filter((l) => l.startsWith('error:')).length, 1, f.name);
      assert.equal(r.stdout, '', `${f.name}: no usage dump on stdout`);
    }
    assert.equal(proxy.requests.length, before);
  });

  it('control: the same base definition does reach AWS and writes (so the write detector sees writes)', async () => {
    const text = JSON.stringify({ version: '1', jobs: { j: { ...BASE_JOB, exclude: ['*.log'] } } }, null, 2);
    const before = proxy.requests.length;
    const r = await submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: ws, jobKey: 'j' });
    assert.ok(r?.arn);
    const writes = proxy.requests.slice(before).filter(isWrite);
    assert.ok(writes.some((w) => w.action === 'CreateProcessingJob'));
    assert.ok(writes.filter((w) => w.method === 'PUT').length >= 2, JSON.stringify(writes));
  });
});
