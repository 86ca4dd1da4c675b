// "Debug Locally in Docker" against a real private dockerd and debugpy from PyPI (cached by `setup.sh --only debugpy`):
// the census script waits in debugpy, a DAP client attaches through the host's 127.0.0.1 port, stops at a breakpoint
// set on the workspace file (path mappings), reads a local variable, continues, and the run's outputs are the same as
// a plain local run's. The container keeps the plain run's network (none).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { CACHE, requireFile, scratchDir } from '../support/paths';
import { DapClient } from '../support/dap';
import { waitFor } from '../support/net';
import { ContainerCli } from '../../src/local/containerCli';
import { startLocalRun, type DebugEndpoint, type LocalRunOptions } from '../../src/local/localRunner';
import { resolveLocalJob } from '../../src/core/local/definitionLite';
import { attachArguments } from '../../src/core/local/debug';
import { main as cliMain } from '../../src/cli';
import { scratchSet } from '../support/workspace';

export const DEBUGPY_DIR = path.join(CACHE, 'debugpy', 'libs', 'debugpy');

/** Scratch folders of this file, removed at the end. */
const scratches = scratchSet();
const scratch = (prefix: string): string => scratches.make(prefix);
const copyCensus = (): string => scratches.census('debug-ws');

function lineOf(file: string, text: string): number {
  const n = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(n >= 0, `"${text}" not in ${file}`);
  return n + 1;
}

function outputsOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const f = path.join(dir, rel);
    if (fs.statSync(f).isFile()) out[rel.split(path.sep).join('/')] = fs.readFileSync(f, 'utf8');
  }
  return out;
}

/** The DAP session a debugger runs: initialize, attach, breakpoints, configurationDone; resolves at the first stop. */
async function attachAndStop(dap: DapClient, port: number, e: Pick<DebugEndpoint, 'pathMappings'>, file: string, line: number) {
  await dap.request('initialize', { clientID: 'smp-test', adapterID: 'debugpy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  const attached = dap.request('attach', { name: 'test', type: 'debugpy', request: 'attach', ...attachArguments(port, e.pathMappings) }, 60_000);
  await dap.waitEvent('initialized', 60_000);
  const bp = await dap.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line }] });
  await dap.request('configurationDone');
  await attached;
  const stopped = await dap.waitEvent('stopped', 120_000);
  return { bp, stopped };
}

describe('Debug Locally in Docker: debugpy in the container, a DAP client on the host', () => {
  let docker: Dockerd;
  let cli: ContainerCli;
  let storageDir: string;

  before(async () => {
    requireFile(path.join(DEBUGPY_DIR, '__main__.py'), 'debugpy (scripts/setup.sh --only debugpy)');
    docker = await startDockerd({ baseImage: true });
    await loadBaseImage(docker);
    cli = new ContainerCli({ cli: DOCKER_CLI, env: docker.env });
    storageDir = scratchDir('debug-storage');
  });
  after(async () => {
    await docker?.stop();
    fs.rmSync(storageDir, { recursive: true, force: true });
    scratches.removeAll();
  });

  function run(o: Omit<LocalRunOptions, 'cli' | 'storageDir'>) {
    const lines: string[] = [];
    const r = startLocalRun({ cli, storageDir, ...o, onLine: (l, src, host) => lines.push(`${src}${host ? `[${host}]` : ''}: ${l}`) });
    return { r, lines };
  }

  it('stops at a breakpoint in the census script, shows a local variable, continues, and the outputs match a plain run', { timeout: 300_000 }, async () => {
    const ws = copyCensus();
    const script = path.join(ws, 'preprocessing.py');
    const text = fs.readFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), 'utf8');
    const env = { SMP_BASE_IMAGE: 'local/python-base' };

    // The plain local run, for the outputs to compare with.
    const plain = resolveLocalJob(text, 'census-preprocessing', { workspaceDir: ws, env });
    const p = run({ spec: plain.spec, jobKey: 'census-preprocessing', workspaceDir: ws, allowNetwork: plain.allowNetwork });
    const plainRec = await p.r.done;
    assert.equal(plainRec.status, 'Completed', p.lines.join('\n'));

    const { spec, allowNetwork } = resolveLocalJob(text, 'census-preprocessing', { workspaceDir: ws, env, now: new Date(Date.now() + 5000) });
    assert.notEqual(spec.jobName, plain.spec.jobName);
    const ready: DebugEndpoint[] = [];
    const { r, lines } = run({ spec, jobKey: 'census-preprocessing', workspaceDir: ws, allowNetwork, debug: { debugpyDir: DEBUGPY_DIR, onReady: (e) => ready.push(e) } });
    const e = await waitFor('debugpy to listen', () => ready[0], 180_000).catch((err) => assert.fail(`${err}\n${lines.join('\n')}`));
    assert.equal(e.host, 'algo-1');
    assert.deepEqual(e.pathMappings, [{ localRoot: ws, remoteRoot: '/opt/ml/processing/input/code' }]);
    assert.ok(lines.includes(`system: algo-1: debugpy is waiting for a debugger on 127.0.0.1:${e.port}`), lines.join('\n'));
    // It waits for the client: the script has not started.
    assert.ok(!lines.some((l) => l.includes('Received arguments')), lines.join('\n'));
    // The container has no network at all (as a plain run); the debugger's port is on the host's loopback only.
    const container = `smp-${r.runId}-algo-1`;
    assert.equal((await docker.docker(['inspect', '-f', '{{.HostConfig.NetworkMode}} {{json .NetworkSettings.Ports}}', container])).stdout.trim(), 'none {}');
    const external = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (external) {
      const refused = await new Promise<string>((res) => net.connect({ host: external, port: e.port }).on('connect', () => res('connected')).on('error', (err: NodeJS.ErrnoException) => res(err.code ?? 'error')));
      assert.equal(refused, 'ECONNREFUSED', `the debug port answers on ${external}`);
    }

    const line = lineOf(script, 'print(f"Splitting data into train and test sets');
    const dap = await DapClient.connect(e.port);
    try {
      const { bp, stopped } = await attachAndStop(dap, e.port, e, script, line);
      assert.equal((bp.body!.breakpoints as { verified: boolean }[])[0].verified, true);
      assert.equal(stopped.body!.reason, 'breakpoint');
      const threadId = stopped.body!.threadId as number;
      const st = await dap.request('stackTrace', { threadId, startFrame: 0, levels: 5 });
      const top = (st.body!.stackFrames as { id: number; line: number; name: string; source?: { path?: string } }[])[0];
      // The frame is reported in the workspace file (the path mapping), at the breakpoint's line.
      assert.deepEqual({ path: top.source?.path, line: top.line, name: top.name }, { path: script, line, name: 'main' });
      const scopes = await dap.request('scopes', { frameId: top.id });
      const locals = (scopes.body!.scopes as { name: string; variablesReference: number }[]).find((s) => s.name === 'Locals')!;
      const vars = await dap.request('variables', { variablesReference: locals.variablesReference });
      const byName = new Map((vars.body!.variables as { name: string; value: string }[]).map((v) => [v.name, v.value]));
      assert.equal(byName.get('split_ratio'), '0.2');
      assert.match(byName.get('positive') ?? '', /^\d+$/);
      // The lines before the breakpoint went to the run's output; the ones after have not.
      assert.ok(lines.some((l) => /^stdout: Data after cleaning: /.test(l)), lines.join('\n'));
      assert.ok(!lines.some((l) => l.includes('Splitting data')));
      await dap.request('continue', { threadId });
      await dap.waitEvent('terminated', 120_000);
    } finally {
      dap.close();
    }
    const rec = await r.done;
    assert.equal(rec.status, 'Completed', `${rec.failureReason}\n${lines.join('\n')}`);
    assert.ok(lines.some((l) => /^stdout: Test data shape after preprocessing: /.test(l)));
    const debugOut = outputsOf(path.join(ws, '.sagemaker-local', spec.jobName));
    assert.deepEqual(Object.keys(debugOut), ['test_data', 'test_data/test_features.csv', 'test_data/test_labels.csv', 'train_data', 'train_data/train_features.csv', 'train_data/train_labels.csv'].filter((k) => k.endsWith('.csv')));
    assert.deepEqual(debugOut, outputsOf(path.join(ws, '.sagemaker-local', plain.spec.jobName)));
    assert.equal((await docker.docker(['ps', '-aq', '--filter', 'label=sagemaker-processing.local'])).stdout.trim(), '');
  });

  it('a debugger that connects before the container exists waits for debugpy (fixed port); every instance can wait', { timeout: 240_000 }, async () => {
    const ws = scratch('debug-two');
    const file = path.join(ws, 'two.py');
    fs.writeFileSync(file, ['import json, socket', 'host = json.load(open("/opt/ml/config/resourceconfig.json"))["current_host"]', 'print("hello from", host)', ''].join('\n'));
    const port = await freePort();
    const ready: DebugEndpoint[] = [];
    const { r, lines } = run({
      spec: {
        jobName: `debug-two-${Date.now()}`, image: 'local/python-base:latest', imageSource: 'image',
        entrypoint: ['python3', '-u', '/opt/ml/processing/input/code/two.py'], arguments: [], environment: {},
        inputs: [{ name: 'code', source: { kind: 'local', path: file }, destination: '/opt/ml/processing/input/code' }],
        outputs: [], instanceType: 'ml.m5.xlarge', instanceCount: 2, networkIsolation: false,
      },
      jobKey: 'two', workspaceDir: ws,
      debug: { debugpyDir: path.dirname(DEBUGPY_DIR), instances: 'all', port, onReady: (e) => ready.push(e) },
    });
    // Connect at once: the image check and staging have not even finished; the bridge holds the connection.
    const first = await connectRetry(port, 30_000);
    const second = await connectRetry(port + 1, 30_000);
    try {
      for (const [dap, p] of [[first, port], [second, port + 1]] as const) {
        const { stopped } = await attachAndStop(dap, p, { pathMappings: [{ localRoot: ws, remoteRoot: '/opt/ml/processing/input/code' }] }, file, 3);
        const st = await dap.request('stackTrace', { threadId: stopped.body!.threadId as number, levels: 1 });
        const top = (st.body!.stackFrames as { id: number; line: number; source?: { path?: string } }[])[0];
        assert.deepEqual({ path: top.source?.path, line: top.line }, { path: file, line: 3 });
        const ev = await dap.request('evaluate', { expression: 'host', frameId: top.id, context: 'watch' });
        assert.equal(ev.body!.result, p === port ? "'algo-1'" : "'algo-2'");
        await dap.request('continue', { threadId: stopped.body!.threadId as number });
      }
      const rec = await r.done;
      assert.equal(rec.status, 'Completed', lines.join('\n'));
      assert.deepEqual(ready.map((e) => e.host).sort(), ['algo-1', 'algo-2']);
      assert.deepEqual(ready.map((e) => e.port).sort(), [port, port + 1]);
      assert.ok(lines.includes('stdout[algo-1]: hello from algo-1') && lines.includes('stdout[algo-2]: hello from algo-2'), lines.join('\n'));
    } finally {
      first.close();
      second.close();
    }
  });

  it('stopping the run while the script waits for the debugger ends it Stopped; a job that is not a Python script is refused', { timeout: 180_000 }, async () => {
    const ws = scratch('debug-stop');
    const file = path.join(ws, 'wait.py');
    fs.writeFileSync(file, 'print("never")\n');
    const base = {
      image: 'local/python-base:latest', imageSource: 'image' as const, arguments: [], environment: {},
      inputs: [{ name: 'code', source: { kind: 'local' as const, path: file }, destination: '/opt/ml/processing/input/code' }],
      outputs: [], instanceType: 'ml.m5.xlarge', instanceCount: 1, networkIsolation: false,
    };
    const ready: DebugEndpoint[] = [];
    const { r, lines } = run({ spec: { ...base, jobName: `debug-stop-${Date.now()}`, entrypoint: ['python3', '/opt/ml/processing/input/code/wait.py'] }, jobKey: 'w', workspaceDir: ws, debug: { debugpyDir: DEBUGPY_DIR, onReady: (e) => ready.push(e) } });
    await waitFor('debugpy to listen', () => ready[0], 120_000);
    await r.stop();
    const rec = await r.done;
    assert.equal(rec.status, 'Stopped', lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('never')));
    assert.equal((await docker.docker(['ps', '-aq', '--filter', 'label=sagemaker-processing.local'])).stdout.trim(), '');
    // The bridge is closed with the run.
    assert.equal(await new Promise<string>((res) => net.connect({ host: '127.0.0.1', port: ready[0].port }).on('connect', () => res('connected')).on('error', (err: NodeJS.ErrnoException) => res(err.code ?? 'error'))), 'ECONNREFUSED');

    const bash = run({ spec: { ...base, jobName: `debug-bash-${Date.now()}`, entrypoint: ['/bin/sh', '-c', 'echo hi'] }, jobKey: 'b', workspaceDir: ws, debug: { debugpyDir: DEBUGPY_DIR } });
    const bad = await bash.r.done;
    assert.equal(bad.status, 'Failed');
    assert.match(bad.failureReason ?? '', /Cannot debug this job: the job's entrypoint \(\/bin\/sh -c echo hi\) does not run a Python script/);
    const nodebugpy = run({ spec: { ...base, jobName: `debug-none-${Date.now()}`, entrypoint: ['python3', '/opt/ml/processing/input/code/wait.py'] }, jobKey: 'n', workspaceDir: ws, debug: { debugpyDir: ws } });
    assert.match((await nodebugpy.r.done).failureReason ?? '', /No debugpy package at /);
  });

  it('the CLI: `run <job> --local --debug --debug-port N` prints how to attach, and a debugger attaches there', { timeout: 300_000 }, async () => {
    const ws = copyCensus();
    const script = path.join(ws, 'preprocessing.py');
    const port = await freePort();
    const saved = { ...process.env };
    const printed: string[] = [];
    const origErr = process.stderr.write.bind(process.stderr);
    Object.assign(process.env, { ...docker.env, SMP_CONTAINER_CLI: DOCKER_CLI, SMP_BASE_IMAGE: 'local/python-base', XDG_CACHE_HOME: storageDir });
    process.stderr.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stderr.write;
    let code: number;
    try {
      const done = cliMain(['run', 'census-preprocessing', '--local', '--debug', '--debug-port', String(port), '--debugpy', DEBUGPY_DIR, '--folder', ws], (l) => printed.push(l));
      await waitFor('the attach instructions', () => (printed.some((l) => l.includes('"request": "attach"')) ? true : undefined), 180_000).catch((err) => assert.fail(`${err}\n${printed.join('\n')}`));
      const text = printed.join('\n');
      assert.ok(text.includes(`algo-1: debugpy is waiting for a debugger on 127.0.0.1:${port}. Attach with this launch configuration`), text);
      // The printed configuration is valid JSON a user can paste into launch.json.
      const json = JSON.parse(/\{\n[\s\S]*\n {2}\}/.exec(text)![0]);
      assert.deepEqual(json.connect, { host: '127.0.0.1', port });
      assert.deepEqual(json.pathMappings, [{ localRoot: ws, remoteRoot: '/opt/ml/processing/input/code' }]);
      const dap = await DapClient.connect(port);
      try {
        const line = lineOf(script, 'print(f"Train data shape after preprocessing');
        const { stopped } = await attachAndStop(dap, port, json, script, line);
        await dap.request('continue', { threadId: stopped.body!.threadId as number });
      } finally {
        dap.close();
      }
      code = await done;
    } finally {
      process.stderr.write = origErr;
      for (const k of ['DOCKER_HOST', 'DOCKER_CONFIG', 'SMP_CONTAINER_CLI', 'SMP_BASE_IMAGE', 'XDG_CACHE_HOME']) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
    assert.equal(code, 0, printed.join('\n'));
    assert.ok(printed.includes('[local] Completed'), printed.join('\n'));
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  // The next one is used too (a second instance): make sure it is free as well.
  const t = net.createServer();
  const ok = await new Promise<boolean>((r) => t.once('error', () => r(false)).listen(p + 1, '127.0.0.1', () => r(true)));
  if (ok) await new Promise((r) => t.close(r));
  return ok ? p : freePort();
}

function connectRetry(port: number, timeoutMs: number): Promise<DapClient> {
  return waitFor(`the debugger on port ${port}`, () => DapClient.connect(port), timeoutMs, 50);
}
