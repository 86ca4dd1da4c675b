// The rules that keep hostile or broken definitions from reaching AWS (issue 12), one by one, without AWS:
// variables, nesting, own job keys, instance types, tags, images, confinement, exclusions, the streamed archive, the CLI.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { ProcessingInstanceType } from '@aws-sdk/client-sagemaker';
import { checkDefinitionText, loadDefinition, resolveJob } from '../../src/core/definition/resolve';
import { substitute } from '../../src/core/definition/variables';
import { parseJsonc } from '../../src/core/definition/parse';
import { PROCESSING_INSTANCE_TYPES } from '../../src/core/definition/instanceTypes';
import { INSTANCE_TYPES } from '../../src/core/definition/limits';
import { confinePaths } from '../../src/core/definition/confine';
import { excludeMatcher, listFilesAsync, packSourceDirStream, sourceDirFiles, tarGz } from '../../src/core/definition/files';
import { DefinitionError } from '../../src/core/definition/types';
import { prepareJob, type SubmitPorts } from '../../src/core/submit';
import { parseArgs, UsageError } from '../../src/cli';
import { definitionWorkspace } from '../support/workspace';

const ROLE = 'arn:aws:iam::123456789012:role/R';
let ws: string;
let outside: string;
before(() => {
  ws = definitionWorkspace({ sourceDir: true });
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
});
after(() => {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const text = (job: Record<string, unknown>) => JSON.stringify({ version: '1', jobs: { j: { script: 'preprocessing.py', image: 'img:1', role: ROLE, ...job } } }, null, 2);
const errors = (t: string, env: Record<string, string> = {}) =>
  checkDefinitionText(t, { workspaceFolder: ws, fileExists: (p) => fs.existsSync(p), variables: { env } }).problems.filter((p) => p.severity === 'error');

describe('variables', () => {
  it('an unset or empty ${env:X} is an error naming it; ${env:X:-default} and ${env:X:-} give defaults', () => {
    assert.deepEqual(substitute('${env:A}', { env: { A: 'x' } }), { value: 'x', problems: [] });
    assert.match(substitute('${env:NOPE}', { env: {} }).problems[0], /environment variable NOPE is not set/);
    assert.match(substitute('${env:EMPTY}', { env: { EMPTY: '' } }).problems[0], /EMPTY is not set or empty/);
    assert.deepEqual(substitute('${env:NOPE:-dflt}/x', { env: {} }), { value: 'dflt/x', problems: [] });
    assert.deepEqual(substitute('${env:NOPE:-}', { env: {} }), { value: '', problems: [] });
    assert.deepEqual(substitute('${env:A:-dflt}', { env: { A: 'set' } }), { value: 'set', problems: [] });
    assert.match(substitute('${env:toString}', { env: {} }).problems[0], /toString is not set/, 'looked up as an own property');
  });

  it('a missing variable as input source, script or destination names the variable, the field and the line', () => {
    const t = text({ script: '${env:SCRIPT}', inputs: [{ source: '${env:DATA}', destination: '/opt/ml/processing/input' }], outputs: [{ source: '/opt/ml/processing/out', destination: 's3://b-ucket/${env:DEST}' }] });
    const es = errors(t);
    const byPath = (p: string) => es.find((e) => e.path === p);
    assert.match(byPath('jobs.j.script')?.message ?? '', /SCRIPT is not set/);
    assert.match(byPath('jobs.j.inputs[0].source')?.message ?? '', /DATA is not set/);
    assert.match(byPath('jobs.j.outputs[0].destination')?.message ?? '', /DEST is not set/);
    assert.equal(byPath('jobs.j.inputs[0].source')?.line, t.split('\n').findIndex((l) => l.includes('${env:DATA}')));
  });

  it('checks run on substituted values (a pattern is not skipped because the raw value had ${…})', () => {
    const es = errors(text({ role: '${env:ROLE}', instanceType: '${env:IT}' }), { ROLE: 'not a role!', IT: 'ml.nope.huge' });
    assert.ok(es.some((e) => e.path === 'jobs.j.role' && /"not a role!" is not an IAM role ARN/.test(e.message)), JSON.stringify(es));
    assert.ok(es.some((e) => e.path === 'jobs.j.instanceType' && /not a SageMaker Processing instance type/.test(e.message)), JSON.stringify(es));
  });
});

describe('structure', () => {
  it('deep nesting is a located error, not a RangeError', () => {
    const t = '{"version":"1","jobs":{"j":{"tags":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}}}';
    const r = parseJsonc(t);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /nested more than 64 levels/);
    assert.equal(r.problems[0].line, 0);
    assert.throws(() => loadDefinition(t, { workspaceFolder: ws }, 'defs.json'), (e: unknown) => e instanceof DefinitionError && /^defs\.json:1:\d+: invalid JSON: nested/.test(e.message));
  });

  it('job keys are own properties: "toString" and "__proto__" are not inherited', () => {
    const def = loadDefinition(text({}), { workspaceFolder: ws });
    const ctx = { workspaceFolder: ws, region: 'us-east-1', account: '123456789012' };
    for (const k of ['toString', 'constructor', 'hasOwnProperty']) {
      assert.throws(() => resolveJob(def, k, ctx), (e: unknown) => e instanceof DefinitionError && new RegExp(`no job "${k}"`).test(e.message));
    }
    const proto = parseJsonc('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(proto, '__proto__'));
    assert.equal((proto as { polluted?: boolean }).polluted, undefined);
  });
});

describe('every value validated', () => {
  it('instance types are the API model\'s list (botocore\'s service model; the JS SDK\'s enum is inside it)', () => {
    const sdk = [...new Set(Object.values(ProcessingInstanceType) as string[])];
    assert.deepEqual(sdk.filter((t) => !PROCESSING_INSTANCE_TYPES.includes(t)), []);
    assert.deepEqual(INSTANCE_TYPES.filter((t) => !PROCESSING_INSTANCE_TYPES.includes(t)), [], 'the quick pick offers only real types');
    const cache = process.env.SMP_CACHE ?? path.join(__dirname, '..', '..', '.cache');
    const lib = path.join(cache, 'venv', 'lib');
    if (fs.existsSync(lib)) {
      const site = path.join(lib, fs.readdirSync(lib).find((d) => d.startsWith('python'))!, 'site-packages');
      const model = JSON.parse(gunzipSync(fs.readFileSync(path.join(site, 'botocore', 'data', 'sagemaker', '2017-07-24', 'service-2.json.gz'))).toString('utf8'));
      assert.deepEqual([...PROCESSING_INSTANCE_TYPES].sort(), [...model.shapes.ProcessingInstanceType.enum].sort());
    }
    assert.deepEqual(errors(text({ instanceType: 'ml.m5.xlarge' })), []);
    assert.match(errors(text({ instanceType: 'ml.m5.huge' }))[0].message, /"ml\.m5\.huge" is not a SageMaker Processing instance type/);
  });

  it('no aws: tag keys, tag text as the API takes it; no image starting with "-"; env names at most 256', () => {
    assert.match(errors(text({ tags: { 'aws:createdBy': 'x' } }))[0].message, /reserved for AWS/);
    assert.match(errors(text({ tags: { 'AWS:x': 'x' } }))[0].message, /reserved for AWS/);
    assert.match(errors(text({ tags: { ok: 'bad\u0000value' } }))[0].message, /not a tag value/);
    assert.deepEqual(errors(text({ tags: { team: 'ml', 'cost-center': 'a b/c' } })), []);
    assert.match(errors(text({ image: '--privileged' }))[0].message, /not starting with "-"/);
    assert.match(errors(text({ image: '-v/:/host' }))[0].message, /not starting with "-"/);
    assert.match(errors(text({ environment: { ['A'.repeat(257)]: 'x' } }))[0].message, /at most 256/);
    assert.match(errors(text({ arguments: ['x'.repeat(257)] }))[0].message, /at most 256/);
    assert.match(errors(text({ arguments: Array.from({ length: 101 }, () => 'a') }))[0].message, /at most 100/);
  });

  it('a role or bucket from outside the file is checked and named by its source, before any AWS call', async () => {
    const ports: Pick<SubmitPorts, 'region' | 'account'> = {
      region: async () => assert.fail('no AWS call for a bad role'),
      account: async () => assert.fail('no AWS call for a bad role'),
    };
    const noRole = JSON.stringify({ version: '1', jobs: { j: { script: 'preprocessing.py', image: 'img:1' } } });
    await assert.rejects(prepareJob(ports, { definitionText: noRole, workspaceFolder: ws, jobKey: 'j', defaultRoleArn: 'nope', defaultRoleSource: '--role' }),
      (e: unknown) => e instanceof DefinitionError && /^--role: "nope" is not an IAM role ARN/.test(e.message));
    await assert.rejects(prepareJob(ports, { definitionText: noRole, workspaceFolder: ws, jobKey: 'j', defaultRoleArn: 'arn:aws:iam::1:role/x' }),
      (e: unknown) => e instanceof DefinitionError && /^sagemakerProcessing\.defaultRoleArn: /.test(e.message));
    await assert.rejects(prepareJob(ports, { definitionText: noRole, workspaceFolder: ws, jobKey: 'j', defaultRoleArn: ROLE, defaultBucket: 'Bad_Bucket', defaultBucketSource: '--bucket' }),
      (e: unknown) => e instanceof DefinitionError && /^--bucket: "Bad_Bucket" is not an S3 bucket name/.test(e.message));
    await assert.rejects(prepareJob(ports, { definitionText: noRole, workspaceFolder: ws, jobKey: 'toString', defaultRoleArn: ROLE }),
      (e: unknown) => e instanceof DefinitionError && /no job "toString"/.test(e.message));
  });
});

describe('confinement', () => {
  const ref = (p: string, expect: 'file' | 'dir' | 'any' = 'any') => [{ segments: ['jobs', 'j', 'inputs', 0, 'source'], path: p, expect }];
  it('inside the workspace: allowed; outside, through .., absolute or by a symbolic link: refused unless opted in', async () => {
    assert.deepEqual(await confinePaths(ref(path.join(ws, 'data')), { workspaceFolder: ws }), []);
    assert.deepEqual(await confinePaths(ref(path.join(ws, 'data', 'census.csv'), 'file'), { workspaceFolder: ws }), []);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link-out'));
    fs.symlinkSync(path.join(ws, 'data', 'census.csv'), path.join(ws, 'link-in'));
    try {
      for (const p of [path.join(ws, '..', path.basename(outside), 'secret.txt'), path.join(outside, 'secret.txt'), path.join(ws, 'link-out'), outside]) {
        const [pr] = await confinePaths(ref(p), { workspaceFolder: ws, optInHint: 'the --allow-outside-workspace flag' });
        assert.equal(pr?.path, 'jobs.j.inputs[0].source', p);
        assert.match(pr.message, /outside the workspace folder .*turn on the --allow-outside-workspace flag/);
        assert.deepEqual(await confinePaths(ref(p), { workspaceFolder: ws, allowOutside: true }), [], `opted in: ${p}`);
      }
      assert.match((await confinePaths(ref(path.join(ws, 'link-out')), { workspaceFolder: ws }))[0].message, /really .*secret\.txt/);
      assert.deepEqual(await confinePaths(ref(path.join(ws, 'link-in')), { workspaceFolder: ws }), [], 'a link that stays inside is fine');
    } finally {
      fs.rmSync(path.join(ws, 'link-out'));
      fs.rmSync(path.join(ws, 'link-in'));
    }
  });

  it('devices, FIFOs, sockets and /proc are refused even when opted in', async () => {
    const fifo = path.join(ws, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const sockPath = path.join(ws, 'sock');
    const server = net.createServer().listen(sockPath);
    await new Promise((r) => server.once('listening', r));
    fs.symlinkSync('/dev/zero', path.join(ws, 'zero'));
    try {
      const cases: [string, RegExp][] = [
        [fifo, /a FIFO/], [sockPath, /a socket/], ['/dev/zero', /system file/], [path.join(ws, 'zero'), /system file/],
        ['/proc/self/environ', /system file/], ['/sys/kernel', /system file/],
      ];
      for (const [p, re] of cases) {
        const [pr] = await confinePaths(ref(p), { workspaceFolder: ws, allowOutside: true });
        assert.match(pr?.message ?? 'accepted', re, p);
      }
      assert.match((await confinePaths(ref(path.join(ws, 'data'), 'file'), { workspaceFolder: ws }))[0].message, /is a folder, not a file/);
      assert.match((await confinePaths(ref(path.join(ws, 'nope')), { workspaceFolder: ws }))[0].message, /not found/);
    } finally {
      server.close();
      fs.rmSync(fifo);
      fs.rmSync(path.join(ws, 'zero'));
    }
  });

  it('a script outside its sourceDir is refused', async () => {
    const [pr] = await confinePaths([{ segments: ['jobs', 'j', 'script'], path: path.join(ws, 'preprocessing.py'), expect: 'file', within: path.join(ws, 'src') }], { workspaceFolder: ws });
    assert.match(pr.message, /outside sourceDir/);
  });
});

describe('folder uploads', () => {
  it('leave out .git, symbolic links, special files and the exclude globs', async () => {
    const d = path.join(ws, 'up');
    fs.mkdirSync(path.join(d, '.git', 'objects'), { recursive: true });
    fs.mkdirSync(path.join(d, 'raw', 'deep'), { recursive: true });
    fs.mkdirSync(path.join(d, 'keep'), { recursive: true });
    for (const f of ['.git/config', '.git/objects/x', 'raw/deep/a.csv', 'keep/b.csv', 'keep/.env', 'top.csv', 'top.log']) fs.writeFileSync(path.join(d, f), f);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(d, 'keep', 'link.txt'));
    execFileSync('mkfifo', [path.join(d, 'keep', 'fifo')]);
    assert.deepEqual(await listFilesAsync(d), ['keep/.env', 'keep/b.csv', 'raw/deep/a.csv', 'top.csv', 'top.log']);
    assert.deepEqual(await listFilesAsync(d, excludeMatcher(['.git', 'raw/**', '*.log', '.env'])), ['keep/b.csv', 'top.csv']);
    assert.deepEqual(await sourceDirFiles(d, ['keep']), ['raw/deep/a.csv', 'top.csv', 'top.log']);
    const m = excludeMatcher(['data/*.csv', '**/tmp', 'a?c']);
    assert.deepEqual(['data/x.csv', 'data/sub/x.csv', 'x/tmp', 'tmp', 'abc', 'x/abc', 'abbc'].map(m), [true, false, true, true, true, true, false]);
  });

  it('sourcedir.tar.gz is streamed and holds the same archive the in-memory writer makes', async () => {
    const dir = path.join(ws, 'src');
    const files = await sourceDirFiles(dir);
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 7, 1));
    try {
      const all = await sourceDirFiles(dir);
      const chunks: Buffer[] = [];
      for await (const c of packSourceDirStream(dir, all)) chunks.push(c as Buffer);
      const streamed = gunzipSync(Buffer.concat(chunks));
      const expected = gunzipSync(tarGz(all.map((f) => ({ name: f, data: fs.readFileSync(path.join(dir, f)) }))));
      assert.ok(streamed.equals(expected));
      assert.deepEqual(files, ['pkg/__init__.py', 'requirements.txt', 'train.py']);
    } finally {
      fs.rmSync(path.join(dir, 'big.bin'));
    }
  });
});

describe('CLI arguments', () => {
  it('strict: unknown flags, bad numbers, missing values and unknown choices are usage errors', () => {
    const bad: [string[], RegExp][] = [
      [['run', 'j', '--poll', '5s'], /--poll takes a number of seconds/],
      [['run', 'j', '--poll', '0'], /--poll takes a number of seconds/],
      [['jobs', '--max', 'abc'], /--max takes a whole number/],
      [['jobs', '--max', '1.5'], /--max takes a whole number/],
      [['jobs', '--bogus'], /Unknown option '--bogus'/],
      [['jobs', '--poll', '5'], /Unknown option '--poll'/],
      [['run', 'j', '--definition'], /--definition needs a value/],
      [['run', 'j', '--definition', '--wait'], /--definition needs a value/],
      [['jobs', '--status', 'Nope'], /--status takes one of/],
      [['run', 'j', '--wait=yes'], /--wait/],
    ];
    for (const [argv, re] of bad) assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof UsageError && re.test(e.message), argv.join(' '));
    const ok = parseArgs(['--region', 'eu-west-1', 'run', 'j', '--poll', '0.5', '--allow-outside-workspace']);
    assert.equal(ok.command, 'run');
    assert.deepEqual(ok.positional, ['j']);
    assert.equal(ok.flags.get('poll'), '0.5');
    assert.equal(ok.flags.get('region'), 'eu-west-1');
    assert.equal(ok.flags.get('allow-outside-workspace'), true);
  });
});
