// A new user's first run against the demo (scripts/demo.ts without code-server: moto, the TLS registry, the private
// dockerd, the local SageMaker backend), with real parts only:
//  - the CLI beside the demo: the block `npm run demo -- --env` prints, pasted into a clean environment, runs the
//    census job with `npx sagemaker-processing` (built, pushed, checked in ECR, run, Completed), each upload line once,
//    docker's login kept inside the demo's DOCKER_CONFIG (nothing under $HOME);
//  - a push to the demo's registry is registered in moto's ECR (tag and digest, as `docker push` reports them), so a
//    job whose image is the pushed URI is accepted and runs, and an image never pushed is still refused;
//  - a sourceDir job (sourcedir.tar.gz + runproc.sh, unpacked in /opt/ml/processing/input/code) runs on 2 instances;
//  - "Install debugpy with pip" (src/local/debugpyInstaller.ts) installs debugpy with the host's python3 from the
//    wheel setup keeps (offline), says exactly what failed otherwise, and a debug run stops at a breakpoint with it.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { startDemo, type Demo } from '../../scripts/demo';
import { AwsClients } from '../../src/aws/index';
import { ContainerCli } from '../../src/local/containerCli';
import { startLocalRun, type DebugEndpoint } from '../../src/local/localRunner';
import { resolveLocalJob } from '../../src/core/local/definitionLite';
import { attachArguments } from '../../src/core/local/debug';
import { installDebugpy } from '../../src/local/debugpyInstaller';
import { DEBUGPY_VERSION } from '../../src/core/local/debugpyInstall';
import { DOCKER_CLI } from '../support/dockerd';
import { DapClient } from '../support/dap';
import { TEST_CREDENTIALS, TEST_REGION, useMotoEnv } from '../support/moto';
import { waitFor } from '../support/net';
import { BASE_IMAGE, CACHE, ROOT, requireFile, scratchDir } from '../support/paths';
import { ECR_HOST, ECR_PASSWORD } from '../support/localSageMaker/stack';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const WHEELS = path.join(CACHE, 'debugpy', 'wheels');

interface Ran { code: number | null; stdout: string; stderr: string }

/** Runs a command with exactly `env` (no inherited variables), to its end or the deadline. */
function runWith(cmd: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not end in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `export K='v'` lines, read as a shell would (single quotes, '\'' inside). */
function parseBlock(block: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of block.split('\n').filter(Boolean)) {
    const m = /^export ([A-Z_][A-Z0-9_]*)=('(?:[^']|'\\'')*')$/.exec(line);
    assert.ok(m, `not a shell export line: ${line}`);
    env[m[1]] = m[2].slice(1, -1).replace(/'\\''/g, "'");
  }
  return env;
}

describe('first run beside the demo: the CLI, pushed images, sourceDir jobs, debugpy from pip', () => {
  let demo: Demo;
  let stateDir: string;
  let aws: AwsClients;
  let restoreEnv: (() => void) | undefined;
  const scratches: string[] = [];
  const scratch = (p: string) => {
    const d = scratchDir(p);
    scratches.push(d);
    return d;
  };

  before(async () => {
    requireFile(path.join(ROOT, 'dist', 'cli.js'), 'the built CLI (npm run build)');
    stateDir = scratch('demo-state');
    process.env.SMP_DEMO_STATE_DIR = stateDir;
    demo = await startDemo({ codeServer: false, say: () => undefined });
    assert.ok(demo.cloud, 'the demo runs the local backend (root with dockerd)');
    restoreEnv = useMotoEnv(demo.moto);
    aws = new AwsClients({ endpointUrl: demo.endpoint, region: TEST_REGION });
  });
  after(async () => {
    aws?.dispose();
    restoreEnv?.();
    await demo?.stop();
    delete process.env.SMP_DEMO_STATE_DIR;
    for (const d of scratches) fs.rmSync(d, { recursive: true, force: true });
  });

  /** The environment a user gets by pasting the printed block into a fresh shell (PATH and a scratch HOME only). */
  async function pastedEnv(home: string): Promise<Record<string, string>> {
    const printed = await runWith(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--env'], { PATH: process.env.PATH!, HOME: home, SMP_DEMO_STATE_DIR: stateDir, SMP_CACHE: CACHE }, ROOT, 60_000);
    assert.equal(printed.code, 0, printed.stderr);
    return { PATH: process.env.PATH!, HOME: home, LC_ALL: 'C', ...parseBlock(printed.stdout) };
  }

  it('`npm run demo -- --env` prints the block the banner shows; pasted, `npx sagemaker-processing` runs the census job, each upload line once, docker login inside DOCKER_CONFIG', { timeout: 900_000 }, async () => {
    const home = scratch('home');
    const env = await pastedEnv(home);
    // What the block must say, from the demo's own parts (not from the code that printed it).
    assert.equal(env.AWS_ENDPOINT_URL, demo.cloud!.backend.url);
    assert.equal(env.DOCKER_HOST, demo.cloud!.dockerd.env.DOCKER_HOST);
    assert.equal(env.SMP_BASE_IMAGE, BASE_IMAGE);
    assert.equal(env.AWS_REGION, TEST_REGION);
    assert.equal(env.AWS_ACCESS_KEY_ID, TEST_CREDENTIALS.AWS_ACCESS_KEY_ID);
    assert.ok(env.DOCKER_CONFIG.startsWith(path.dirname(demo.workspace) + path.sep), `DOCKER_CONFIG ${env.DOCKER_CONFIG} is inside the demo's folder ${path.dirname(demo.workspace)}`);

    const help = await runWith('npx', ['sagemaker-processing', '--help'], env, ROOT, 120_000);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: sagemaker-processing <command>/);

    const r = await runWith('npx', ['sagemaker-processing', 'run', 'census-preprocessing', '--folder', demo.workspace, '--wait', '--poll', '1'], env, ROOT, 840_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const name = r.stdout.trim();
    assert.match(name, /^census-preprocessing-\d{4}(-\d{2}){5}-\d{3}$/);
    assert.match(r.stderr, new RegExp(`${name}: Completed`));
    // The uploads the definition implies: its script, and each local input file as "<input>: <file>".
    const def = fs.readFileSync(path.join(demo.workspace, '.vscode', 'sagemaker-processing.json'), 'utf8');
    const script = /"script":\s*"([^"]+)"/.exec(def)![1];
    const input = /"name":\s*"([^"]+)",\s*"source":\s*"([^"]+)"/.exec(def)!;
    const expected = [`Uploading ${path.basename(script)}`, `Uploading ${input[1]}: ${path.basename(input[2])}`].sort();
    const uploads = r.stderr.split('\n').filter((l) => l.startsWith('Uploading '));
    assert.deepEqual([...uploads].sort(), expected, r.stderr);
    // docker login wrote the demo's DOCKER_CONFIG, and nothing appeared in the home folder.
    const cfg = JSON.parse(fs.readFileSync(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8')) as { auths?: Record<string, unknown> };
    assert.ok(cfg.auths && ECR_HOST in cfg.auths, JSON.stringify(Object.keys(cfg.auths ?? {})));
    assert.ok(!fs.existsSync(path.join(home, '.docker')), 'nothing under $HOME/.docker');
    const d = await (await aws.sagemaker()).describeProcessingJob(name);
    assert.equal(d.ProcessingJobStatus, 'Completed', d.FailureReason);
    assert.match(d.AppSpecification!.ImageUri!, new RegExp(`^${ECR_HOST.replace(/\./g, '\\.')}/sagemaker-processing-census@sha256:[0-9a-f]{64}$`));
  });

  it('a push to the registry is registered in moto\'s ECR with its tag and digest; a job with the pushed URI runs, one never pushed is refused', { timeout: 600_000 }, async () => {
    const cfgDir = scratch('push-cfg');
    const docker = new ContainerCli({ cli: DOCKER_CLI, env: { DOCKER_HOST: demo.cloud!.dockerd.env.DOCKER_HOST }, dockerConfig: cfgDir });
    const repo = `firstrun-pushed-${Date.now().toString(36)}`;
    const ref = `${ECR_HOST}/${repo}:v1`;
    assert.equal((await docker.login(ECR_HOST, 'AWS', ECR_PASSWORD, { allowFailure: true })).code, 0);
    await docker.exec(['tag', BASE_IMAGE, ref]);
    await docker.exec(['push', ref]);
    const repoDigest = (await docker.exec(['image', 'inspect', '--format', '{{join .RepoDigests "\\n"}}', ref])).stdout.split('\n').find((l) => l.startsWith(`${ECR_HOST}/${repo}@`));
    assert.ok(repoDigest, 'docker knows the pushed digest');
    const digest = repoDigest.split('@')[1];
    // Straight to moto (not through the backend): the registry's notification put it there.
    const ecr = new ECRClient({ endpoint: demo.moto.endpoint, region: TEST_REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      const img = await waitFor('moto\'s ECR to list the pushed image', async () => {
        const out = await ecr.send(new DescribeImagesCommand({ repositoryName: repo })).catch(() => undefined);
        return out?.imageDetails?.find((i) => i.imageTags?.includes('v1'));
      }, 30_000, 200);
      assert.equal(img.imageDigest, digest);
    } finally {
      ecr.destroy();
    }
    // The CLI's pre-submit ECR check accepts the pushed URI (by tag) and the job runs it.
    const ws = demo.workspace;
    const defFile = path.join(scratch('pushed-def'), 'defs.json');
    fs.writeFileSync(defFile, JSON.stringify({
      version: '1',
      jobs: {
        pushed: { script: 'preprocessing.py', image: ref, role: ROLE, instanceType: 'ml.m5.xlarge', inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'train_data', source: '/opt/ml/processing/train' }], arguments: ['--train-test-split-ratio', '0.2'] },
        never: { script: 'preprocessing.py', image: `${ECR_HOST}/${repo}:never-pushed`, role: ROLE, instanceType: 'ml.m5.xlarge' },
      },
    }));
    const env = await pastedEnv(scratch('home2'));
    const r = await runWith(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', 'pushed', '--definition', defFile, '--folder', ws, '--wait', '--poll', '1'], env, ws, 540_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const d = await (await aws.sagemaker()).describeProcessingJob(r.stdout.trim());
    assert.equal(d.ProcessingJobStatus, 'Completed', d.FailureReason);
    assert.equal(d.AppSpecification?.ImageUri, ref);
    const never = await runWith(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', 'never', '--definition', defFile, '--folder', ws], env, ws, 120_000);
    assert.notEqual(never.code, 0, never.stderr);
    assert.match(never.stderr, /never-pushed/);
    assert.doesNotMatch(never.stderr, /^Uploading /m, 'refused before anything is uploaded');
  });

  it('a sourceDir job unpacks its code (sourcedir.tar.gz with a lib/ folder) in its writable input on each of 2 instances', { timeout: 600_000 }, async () => {
    const ws = scratch('sourcedir-ws');
    fs.mkdirSync(path.join(ws, 'src', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'src', 'lib', '__init__.py'), '');
    fs.writeFileSync(path.join(ws, 'src', 'lib', 'helper.py'), 'def answer(x):\n    return x * 2\n');
    fs.writeFileSync(path.join(ws, 'src', 'main.py'), [
      'import json, os',
      'from lib.helper import answer',
      'host = json.load(open("/opt/ml/config/resourceconfig.json"))["current_host"]',
      'os.makedirs("/opt/ml/processing/out", exist_ok=True)',
      'open(f"/opt/ml/processing/out/{host}.txt", "w").write(f"{host} {answer(21)}\\n")',
      'print("done on", host)',
    ].join('\n') + '\n');
    fs.mkdirSync(path.join(ws, '.vscode'));
    const bucket = `firstrun-sd-${Date.now().toString(36)}`;
    fs.writeFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify({
      version: '1',
      jobs: { sd: { sourceDir: 'src', script: 'main.py', command: ['python3'], image: BASE_IMAGE, role: ROLE, instanceType: 'ml.m5.xlarge', instanceCount: 2, bucket, outputs: [{ name: 'out', source: '/opt/ml/processing/out', destination: `s3://${bucket}/sd-out` }] } },
    }));
    const env = await pastedEnv(scratch('home3'));
    const r = await runWith(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', 'sd', '--wait', '--poll', '1'], env, ws, 540_000);
    const name = r.stdout.trim();
    const d = name ? await (await aws.sagemaker()).describeProcessingJob(name) : undefined;
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}\n${d?.FailureReason ?? ''}\n${d?.ExitMessage ?? ''}`);
    const s3 = await aws.s3();
    const objs = (await s3.listObjects(bucket, 'sd-out/')).map((o) => o.key).sort();
    assert.deepEqual(objs, ['sd-out/algo-1.txt', 'sd-out/algo-2.txt']);
    const dir = scratch('sd-dl');
    for (const h of ['algo-1', 'algo-2']) {
      await s3.downloadToFile(bucket, `sd-out/${h}.txt`, path.join(dir, h));
      assert.equal(fs.readFileSync(path.join(dir, h), 'utf8'), `${h} 42\n`);
    }
  });

  it('"Install debugpy with pip" installs debugpy with the host\'s python3 (offline, from the wheel setup keeps); a failure says the command and pip\'s error; a debug run stops at a breakpoint with it', { timeout: 600_000 }, async () => {
    requireFile(path.join(WHEELS, `debugpy-${DEBUGPY_VERSION}-py2.py3-none-any.whl`), 'the debugpy wheel (scripts/setup.sh --only debugpy)');
    const storage = scratch('global-storage');
    const target = path.join(storage, 'debugpy');
    // pip refuses: no such version in the wheel folder.
    const bad = await installDebugpy({ python: 'python3', target, version: '0.0.1', findLinks: WHEELS });
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.match(bad.error, /^python3 -m pip install .*--target .*debugpy==0\.0\.1 exited with code 1: ERROR: /);
      assert.match(bad.error, /debugpy==0\.0\.1/);
    }
    assert.ok(!fs.existsSync(target) && !fs.existsSync(`${target}.partial`), 'nothing left behind');
    const missing = await installDebugpy({ python: 'no-such-python3', target, findLinks: WHEELS });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.error, /no-such-python3.*not found/);

    const ok = await installDebugpy({ python: 'python3', target, findLinks: WHEELS });
    assert.ok(ok.ok, ok.ok ? '' : ok.error);
    assert.equal(ok.dir, path.join(target, 'debugpy'));
    assert.ok(fs.existsSync(path.join(target, `debugpy-${DEBUGPY_VERSION}.dist-info`)), fs.readdirSync(target).join(', '));

    // The local debug run with the installed copy: the census script stops at a breakpoint.
    const ws = demo.workspace;
    const text = fs.readFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), 'utf8');
    const { spec, allowNetwork } = resolveLocalJob(text, 'census-preprocessing', { workspaceDir: ws, env: { SMP_BASE_IMAGE: BASE_IMAGE } });
    const spec2 = { ...spec, image: BASE_IMAGE, imageSource: 'image' as const };
    const cli = new ContainerCli({ cli: DOCKER_CLI, env: { DOCKER_HOST: demo.cloud!.dockerd.env.DOCKER_HOST } });
    const ready: DebugEndpoint[] = [];
    const lines: string[] = [];
    const run = startLocalRun({ spec: spec2, jobKey: 'census-preprocessing', workspaceDir: ws, allowNetwork, cli, storageDir: scratch('debug-storage'), debug: { debugpyDir: ok.dir, onReady: (e) => ready.push(e) }, onLine: (l) => lines.push(l) });
    let dap: DapClient | undefined;
    try {
      const e = await waitFor('debugpy to listen', () => ready[0], 180_000).catch((err) => assert.fail(`${err}\n${lines.join('\n')}`));
      dap = await DapClient.connect(e.port);
      const file = path.join(ws, 'preprocessing.py');
      const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('Received arguments')) + 1;
      assert.ok(line > 0);
      await dap.request('initialize', { clientID: 'smp-test', adapterID: 'debugpy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
      const attached = dap.request('attach', { name: 'test', type: 'debugpy', request: 'attach', ...attachArguments(e.port, e.pathMappings) }, 60_000);
      await dap.waitEvent('initialized', 60_000);
      const bp = await dap.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line }] });
      await dap.request('configurationDone');
      await attached;
      const stopped = await dap.waitEvent('stopped', 120_000);
      assert.equal(stopped.body?.reason, 'breakpoint');
      assert.equal((bp.body?.breakpoints as { verified?: boolean }[] | undefined)?.[0]?.verified, true);
      const threadId = stopped.body?.threadId as number;
      const st = await dap.request('stackTrace', { threadId });
      const top = (st.body?.stackFrames as { line: number; source?: { path?: string } }[])[0];
      assert.equal(top.line, line);
      assert.equal(top.source?.path, file);
      await dap.request('continue', { threadId });
      const rec = await run.done;
      assert.equal(rec.status, 'Completed', lines.join('\n'));
    } finally {
      dap?.close();
      await run.stop().catch(() => undefined);
    }
  });
});
