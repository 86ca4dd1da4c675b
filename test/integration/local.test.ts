// Local runs against a real private dockerd with the offline base image: the census example end to end, compared with
// the same script run by a plain `docker run` in a different layout; failures, stops, faults and two instances.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { startMoto, type Moto } from '../support/moto';
import { scratchDir } from '../support/paths';
import { waitFor } from '../support/net';
import { ContainerCli } from '../../src/local/containerCli';
import { startLocalRun, type LocalRunOptions } from '../../src/local/localRunner';
import { engineHostOf, resolveAttacher } from '../../src/local/engineAttach';
import { resolveLocalJob } from '../../src/core/local/definitionLite';
import type { ContainerSpec } from '../../src/core/definition/containerSpec';
import { S3Api } from '../../src/aws/s3';
import { main as cliMain } from '../../src/cli';
import { scratchSet } from '../support/workspace';

/** Scratch folders of this file, removed at the end. */
const scratches = scratchSet();
const scratch = (prefix: string): string => scratches.make(prefix);
const copyCensus = (): string => scratches.census('local-ws');

function listTree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

/** A spec for a small script run on the base image directly. */
function scriptSpec(ws: string, name: string, script: string, over: Partial<ContainerSpec> = {}): ContainerSpec {
  const file = path.join(ws, `${name}.py`);
  fs.writeFileSync(file, script);
  return {
    jobName: `${name}-${Date.now()}`,
    image: 'local/python-base:latest',
    imageSource: 'image',
    entrypoint: ['python3', `/opt/ml/processing/input/code/${name}.py`],
    arguments: [],
    environment: {},
    inputs: [{ name: 'code', source: { kind: 'local', path: file }, destination: '/opt/ml/processing/input/code' }],
    outputs: [],
    instanceType: 'ml.m5.xlarge',
    instanceCount: 1,
    networkIsolation: false,
    ...over,
  };
}

describe('local runs in Docker', () => {
  let docker: Dockerd;
  let cli: ContainerCli;
  let storageDir: string;

  before(async () => {
    docker = await startDockerd({ baseImage: true });
    await loadBaseImage(docker);
    cli = new ContainerCli({ cli: DOCKER_CLI, env: docker.env });
    storageDir = scratchDir('local-storage');
  });
  after(async () => {
    await docker?.stop();
    fs.rmSync(storageDir, { recursive: true, force: true });
    scratches.removeAll();
  });

  function run(o: Omit<LocalRunOptions, 'cli' | 'storageDir'> & Partial<Pick<LocalRunOptions, 'cli'>>) {
    const lines: string[] = [];
    const statuses: string[] = [];
    const r = startLocalRun({
      cli, storageDir, ...o,
      onLine: (l, src, host) => lines.push(`${src}${host ? `[${host}]` : ''}: ${l}`),
      onRecord: (rec) => statuses.push(rec.status),
    });
    return { r, lines, statuses };
  }

  async function leftovers(): Promise<{ containers: string; runs: string[] }> {
    const containers = (await docker.docker(['ps', '-aq', '--filter', 'label=sagemaker-processing.local'])).stdout.trim();
    const runsDir = path.join(storageDir, 'runs');
    return { containers, runs: fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [] };
  }

  it('runs the census example from its definition, and its outputs match the script run outside our runner', { timeout: 180_000 }, async () => {
    const ws = copyCensus();
    const text = fs.readFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), 'utf8');
    const { spec, allowNetwork } = resolveLocalJob(text, 'census-preprocessing', { workspaceDir: ws, env: { SMP_BASE_IMAGE: 'local/python-base' } });
    assert.equal(spec.build?.buildArgs?.BASE_IMAGE, 'local/python-base');
    const { r, lines, statuses } = run({ spec, jobKey: 'census-preprocessing', workspaceDir: ws, allowNetwork });
    const rec = await r.done;
    assert.equal(rec.status, 'Completed', `${rec.failureReason}\n${lines.join('\n')}`);
    assert.deepEqual(statuses, ['Completed']); // InProgress is the initial state; one change at the end
    assert.ok(lines.some((l) => /^stdout: Received arguments \{'train_test_split_ratio': 0.2/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^stdout: Reading input data from \/opt\/ml\/processing\/input\/census-income.csv/.test(l)));
    const outDir = path.join(ws, '.sagemaker-local', spec.jobName);
    assert.equal(rec.outputDir, outDir);
    assert.deepEqual(listTree(outDir), ['test_data', 'test_data/test_features.csv', 'test_data/test_labels.csv', 'train_data', 'train_data/train_features.csv', 'train_data/train_labels.csv']);

    // The same script on the same input, run by a plain `docker run` of the base image with a different layout
    // (--base-dir, a writable bind of one folder, no /opt/ml/config): the outputs are byte for byte the same.
    const ref = scratch('census-ref');
    fs.mkdirSync(path.join(ref, 'input'));
    fs.copyFileSync(path.join(ws, 'data', 'census-income.csv'), path.join(ref, 'input', 'census-income.csv'));
    await docker.docker(['run', '--rm', '--network', 'none', '-v', `${ref}:/work`, '-v', `${ws}/preprocessing.py:/preprocessing.py:ro`,
      'local/python-base', 'python3', '/preprocessing.py', '--base-dir', '/work', '--train-test-split-ratio', '0.2']);
    for (const [out, split] of [['train_data', 'train'], ['test_data', 'test']]) {
      for (const kind of ['features', 'labels']) {
        const ours = fs.readFileSync(path.join(outDir, out, `${split}_${kind}.csv`));
        const theirs = fs.readFileSync(path.join(ref, split, `${split}_${kind}.csv`));
        assert.ok(ours.length > 100);
        assert.ok(ours.equals(theirs), `${out}/${split}_${kind}.csv differs from the plain run`);
      }
    }
    // The user's files are untouched; nothing of ours is left behind.
    assert.ok(fs.existsSync(path.join(ws, 'data', 'census-income.csv')));
    assert.deepEqual(await leftovers(), { containers: '', runs: [] });
    // The image was built locally from the definition's build block.
    await docker.docker(['image', 'inspect', 'sagemaker-local/census-preprocessing:latest']);
  });

  it('runs the same job from the CLI: `sagemaker-processing run <script.py> --local`', { timeout: 180_000 }, async () => {
    const ws = copyCensus();
    const saved = { ...process.env };
    const printed: string[] = [];
    const errs: string[] = [];
    const origErr = process.stderr.write.bind(process.stderr);
    Object.assign(process.env, { ...docker.env, SMP_CONTAINER_CLI: DOCKER_CLI, SMP_BASE_IMAGE: 'local/python-base', XDG_CACHE_HOME: storageDir });
    process.stderr.write = ((chunk: string) => (errs.push(String(chunk)), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await cliMain(['run', path.join(ws, 'preprocessing.py'), '--local', '--folder', ws], (l) => printed.push(l));
    } finally {
      process.stderr.write = origErr;
      for (const k of ['DOCKER_HOST', 'DOCKER_CONFIG', 'SMP_CONTAINER_CLI', 'SMP_BASE_IMAGE', 'XDG_CACHE_HOME']) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
    assert.equal(code, 0, [...printed, ...errs].join('\n'));
    assert.ok(printed.some((l) => /^Test data shape after preprocessing: \(\d+, \d+\)$/.test(l)), printed.join('\n'));
    assert.ok(printed.includes('[local] Completed'));
    const runs = fs.readdirSync(path.join(ws, '.sagemaker-local'));
    assert.equal(runs.length, 1);
    assert.match(runs[0], /^census-preprocessing-\d{4}-/);
    assert.ok(fs.statSync(path.join(ws, '.sagemaker-local', runs[0], 'train_data', 'train_features.csv')).size > 100);
  });

  it('provides SageMaker\'s layout: config files, environment, read-only inputs, nested code mount, no network', { timeout: 180_000 }, async () => {
    const ws = scratch('layout-ws');
    fs.mkdirSync(path.join(ws, 'data', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'data', 'a.txt'), 'A');
    fs.writeFileSync(path.join(ws, 'data', 'sub', 'b.txt'), 'B');
    const spec = scriptSpec(ws, 'layout', [
      'import json, os, socket',
      'base = "/opt/ml/processing"',
      'res = {"resource": json.load(open("/opt/ml/config/resourceconfig.json")),',
      '       "job": json.load(open("/opt/ml/config/processingjobconfig.json")),',
      '       "env": os.environ.get("GREETING"), "files": sorted(os.listdir(base + "/input")),',
      '       "b": open(base + "/input/sub/b.txt").read()}',
      'try:',
      '    open(base + "/input/a.txt", "w")',
      '    res["ro"] = False',
      'except OSError:',
      '    res["ro"] = True',
      'try:',
      '    socket.create_connection(("10.255.255.1", 9), timeout=1)',
      '    res["net"] = True',
      'except OSError as e:',
      '    res["net"] = str(e)',
      'json.dump(res, open(base + "/out/result.json", "w"))',
    ].join('\n'), {
      environment: { GREETING: 'hello = world; $HOME' },
      inputs: [
        { name: 'data', source: { kind: 'local', path: path.join(ws, 'data') }, destination: '/opt/ml/processing/input' },
        { name: 'code', source: { kind: 'local', path: path.join(ws, 'layout.py') }, destination: '/opt/ml/processing/input/code' },
      ],
      outputs: [{ name: 'out', source: '/opt/ml/processing/out', destination: 's3://b/out' }],
      networkIsolation: true,
    });
    const { r, lines } = run({ spec, jobKey: 'layout', workspaceDir: ws });
    const rec = await r.done;
    assert.equal(rec.status, 'Completed', `${rec.failureReason}\n${lines.join('\n')}`);
    const res = JSON.parse(fs.readFileSync(path.join(ws, '.sagemaker-local', spec.jobName, 'out', 'result.json'), 'utf8'));
    assert.deepEqual(res.resource.hosts, ['algo-1']);
    assert.equal(res.resource.current_host, 'algo-1');
    assert.equal(res.job.ProcessingJobName, spec.jobName);
    assert.deepEqual(res.job.AppSpecification.ContainerEntrypoint, spec.entrypoint);
    assert.equal(res.env, 'hello = world; $HOME');
    assert.deepEqual(res.files, ['a.txt', 'code', 'sub']);
    assert.equal(res.b, 'B');
    assert.equal(res.ro, true);
    assert.notEqual(res.net, true);
    assert.equal(fs.readFileSync(path.join(ws, 'data', 'a.txt'), 'utf8'), 'A');
  });

  it('ends a failing script as Failed with the exit code and the last stderr lines', { timeout: 180_000 }, async () => {
    const ws = scratch('fail-ws');
    const spec = scriptSpec(ws, 'boom', 'import sys\nprint("working", flush=True)\nraise ValueError("the census file has no income column")\n');
    const { r, lines } = run({ spec, jobKey: 'boom', workspaceDir: ws });
    const rec = await r.done;
    assert.equal(rec.status, 'Failed');
    assert.equal(rec.exitCode, 1);
    assert.match(rec.failureReason!, /exited with code 1/);
    assert.match(rec.exitMessage!, /ValueError: the census file has no income column$/);
    assert.match(rec.exitMessage!, /Traceback/);
    assert.ok(lines.includes('stdout: working'));
    assert.deepEqual(await leftovers(), { containers: '', runs: [] });
  });

  it('stops a running job: the container is killed and the run ends Stopped', { timeout: 180_000 }, async () => {
    const ws = scratch('stop-ws');
    const spec = scriptSpec(ws, 'slow', 'import time\nfor i in range(600):\n    print(f"tick {i}", flush=True)\n    time.sleep(0.2)\n', {
      outputs: [{ name: 'out', source: '/opt/ml/processing/out', destination: 's3://b/out' }],
    });
    const { r, lines, statuses } = run({ spec, jobKey: 'slow', workspaceDir: ws });
    await waitFor('the script\'s third tick', async () => lines.includes('stdout: tick 2'), 60_000);
    assert.equal(r.record.status, 'InProgress');
    await r.stop();
    const rec = await r.done;
    assert.equal(rec.status, 'Stopped');
    assert.deepEqual(statuses, ['Stopping', 'Stopped']);
    assert.equal(rec.failureReason, 'Stopped by the user');
    assert.ok(!lines.includes('stdout: tick 599'));
    assert.deepEqual(await leftovers(), { containers: '', runs: [] });
    // No outputs are copied for a stopped run (the folder made for them stays empty).
    assert.deepEqual(listTree(path.join(ws, '.sagemaker-local', spec.jobName)), []);
  });

  it('runs two instances algo-1 and algo-2 on a private network; each sees both in resourceconfig.json and they talk over TCP by host name', { timeout: 180_000 }, async () => {
    const ws = scratch('multi-ws');
    const spec = scriptSpec(ws, 'multi', [
      'import json, socket, time',
      'cfg = json.load(open("/opt/ml/config/resourceconfig.json"))',
      'me = cfg["current_host"]',
      'other = [h for h in cfg["hosts"] if h != me][0]',
      'if me == "algo-1":',
      '    srv = socket.create_server(("0.0.0.0", 7777))',
      '    srv.settimeout(60)',
      '    conn, _ = srv.accept()',
      '    heard = conn.recv(100).decode()',
      '    conn.sendall(me.encode())',
      '    conn.close()',
      'else:',
      '    deadline = time.time() + 60',
      '    while True:',
      '        try:',
      '            c = socket.create_connection((other, 7777), timeout=2)',
      '            break',
      '        except OSError:',
      '            if time.time() > deadline: raise',
      '            time.sleep(0.2)',
      '    c.sendall(me.encode())',
      '    heard = c.recv(100).decode()',
      'print(f"{me} heard from {heard}", flush=True)',
      'json.dump({"cfg": cfg, "heard": heard, "hostname": socket.gethostname()}, open(f"/opt/ml/processing/out/{me}.json", "w"))',
    ].join('\n'), {
      instanceCount: 2,
      outputs: [{ name: 'out', source: '/opt/ml/processing/out', destination: 's3://b/out' }],
    });
    const { r, lines } = run({ spec, jobKey: 'multi', workspaceDir: ws });
    const rec = await r.done;
    assert.equal(rec.status, 'Completed', `${rec.failureReason}\n${lines.join('\n')}`);
    const out = path.join(ws, '.sagemaker-local', spec.jobName, 'out');
    assert.deepEqual(fs.readdirSync(out).sort(), ['algo-1.json', 'algo-2.json']);
    for (const [me, other] of [['algo-1', 'algo-2'], ['algo-2', 'algo-1']]) {
      const res = JSON.parse(fs.readFileSync(path.join(out, `${me}.json`), 'utf8'));
      assert.equal(res.cfg.current_host, me);
      assert.deepEqual(res.cfg.hosts, ['algo-1', 'algo-2']);
      assert.equal(res.hostname, me);
      assert.equal(res.heard, other);
      assert.ok(lines.includes(`stdout[${me}]: ${me} heard from ${other}`), lines.join('\n'));
    }
    assert.deepEqual(await leftovers(), { containers: '', runs: [] });
    const nets = (await docker.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout;
    assert.doesNotMatch(nets, /smp-/);
  });

  it('reports faults clearly and cleans up: missing input, missing image, no engine, unwritable output, killed container', { timeout: 180_000 }, async () => {
    const ws = scratch('faults-ws');
    const out = [{ name: 'out', source: '/opt/ml/processing/out', destination: 's3://b/out' }];
    // Input path missing.
    let spec = scriptSpec(ws, 'ok', 'print("hi")\n', { inputs: [{ name: 'data', source: { kind: 'local', path: path.join(ws, 'nope') }, destination: '/opt/ml/processing/input' }] });
    let rec = await run({ spec, jobKey: 'ok', workspaceDir: ws }).r.done;
    assert.equal(rec.status, 'Failed');
    assert.equal(rec.failureReason, `Input "data": ${path.join(ws, 'nope')} does not exist.`);
    // Image missing (and not pullable: no registry reachable).
    spec = scriptSpec(ws, 'ok', 'print("hi")\n', { image: 'localhost:1/missing/image:latest' });
    rec = await run({ spec, jobKey: 'ok', workspaceDir: ws }).r.done;
    assert.equal(rec.status, 'Failed');
    assert.match(rec.failureReason!, /^Image localhost:1\/missing\/image:latest is not available locally and could not be pulled/);
    // No engine behind the CLI.
    spec = scriptSpec(ws, 'ok', 'print("hi")\n');
    const dead = new ContainerCli({ cli: DOCKER_CLI, env: { DOCKER_HOST: `unix://${path.join(ws, 'no.sock')}` } });
    rec = await run({ spec, jobKey: 'ok', workspaceDir: ws, cli: dead }).r.done;
    assert.equal(rec.status, 'Failed');
    assert.match(rec.failureReason!, /^No container engine: .*not running or not reachable/s);
    // No CLI at all.
    rec = await run({ spec, jobKey: 'ok', workspaceDir: ws, cli: new ContainerCli({ cli: path.join(ws, 'no-docker') }) }).r.done;
    assert.match(rec.failureReason!, /^No container engine: The container CLI .* was not found/);
    // Output folder not writable: a file where .sagemaker-local should be (a user file: it stays).
    const ws2 = scratch('faults-ws2');
    fs.writeFileSync(path.join(ws2, '.sagemaker-local'), 'mine');
    spec = scriptSpec(ws2, 'ok', 'print("hi")\n', { outputs: out });
    rec = await run({ spec, jobKey: 'ok', workspaceDir: ws2 }).r.done;
    assert.equal(rec.status, 'Failed');
    assert.match(rec.failureReason!, /^The output folder .*\.sagemaker-local.* is not writable/);
    assert.equal(fs.readFileSync(path.join(ws2, '.sagemaker-local'), 'utf8'), 'mine');
    // Container killed from outside (not by us): Failed, "killed".
    spec = scriptSpec(ws, 'victim', 'import time\nprint("ready", flush=True)\ntime.sleep(120)\n');
    const { r, lines } = run({ spec, jobKey: 'victim', workspaceDir: ws });
    await waitFor('the script to say ready', async () => lines.includes('stdout: ready'), 60_000);
    await docker.docker(['kill', `smp-${r.runId}-algo-1`]);
    rec = await r.done;
    assert.equal(rec.status, 'Failed');
    assert.equal(rec.exitCode, 137);
    assert.match(rec.failureReason!, /Container was killed \(exit code 137, SIGKILL\)/);
    assert.deepEqual(await leftovers(), { containers: '', runs: [] });
    assert.ok(fs.existsSync(path.join(ws, 'ok.py')) && fs.existsSync(path.join(ws, 'victim.py')));
  });

  // A script that switches between stdout and stderr, a few lines at a time, then fails: the order below is written
  // by hand from the script (the engine reads its two pipes apart, so only writes apart in time have an order it keeps:
  // the script paces its switches 50 ms apart, as a script's log lines around a traceback usually are).
  const ORDER_SCRIPT = [
    'import os, sys, time',
    'deadline = time.time() + 120  # the test\'s start signal (docker exec touch /tmp/go), within a deadline',
    'while not os.path.exists("/tmp/go") and time.time() < deadline:',
    '    time.sleep(0.01)',
    'print("reading input", flush=True)',
    'time.sleep(0.05)  # the workload\'s pacing: writes apart in time (the property tested), not a wait of the test',
    'sys.stderr.write("warning: column 3 has blanks\\n"); sys.stderr.flush()',
    'time.sleep(0.05)',
    'print("step 1 done", flush=True)',
    'print("step 2 done", flush=True)',
    'time.sleep(0.05)',
    'sys.stderr.write("warning: bins too small\\n"); sys.stderr.flush()',
    'time.sleep(0.05)',
    'print("about to fail", flush=True)',
    'time.sleep(0.05)',
    'raise ValueError("bad row 42")',
    '',
  ].join('\n');
  const ORDER_EXPECTED = [
    'stdout: reading input',
    'stderr: warning: column 3 has blanks',
    'stdout: step 1 done',
    'stdout: step 2 done',
    'stderr: warning: bins too small',
    'stdout: about to fail',
    'stderr: Traceback (most recent call last):',
    'stderr:   File "/opt/ml/processing/input/code/order.py", line 16, in <module>',
    'stderr:     raise ValueError("bad row 42")',
    'stderr: ValueError: bad row 42',
  ];

  /** Runs ORDER_SCRIPT while this process reads nothing for 2.5 s (a loaded window): the container lines it got. */
  async function runOrderScript(runCli: ContainerCli): Promise<{ lines: string[]; all: string[]; status: string }> {
    const ws = scratch('order-ws');
    const spec = scriptSpec(ws, 'order', ORDER_SCRIPT);
    const { r, lines } = run({ spec, jobKey: 'order', workspaceDir: ws, cli: runCli, resolveAttach: resolveAttacher });
    const name = await waitFor('the order container running', async () => {
      const ps = await docker.docker(['ps', '--filter', `label=sagemaker-processing.local=${r.runId}`, '--filter', 'status=running', '--format', '{{.Names}}']);
      return ps.stdout.trim().split('\n')[0] || undefined;
    }, 120_000, 50);
    // The script waits for this signal before its first line: every line is written while the test is watching.
    await docker.docker(['exec', name, 'touch', '/tmp/go']);
    const until = Date.now() + 2500;
    while (Date.now() < until) { /* busy on purpose: the output is read late, as in a busy extension host */ }
    const rec = await r.done;
    return { lines: lines.filter((l) => !l.startsWith('system: ')), all: lines, status: rec.status };
  }

  it('a local run reads stdout and stderr as one ordered stream: lines printed around the traceback keep the script\'s order', { timeout: 180_000 }, async () => {
    // The runner finds the engine the CLI uses (DOCKER_HOST here, a unix socket) and attaches through its API.
    assert.equal(typeof (await resolveAttacher(cli)), 'function');
    const got = await runOrderScript(cli);
    assert.equal(got.status, 'Failed');
    assert.deepEqual(got.lines, ORDER_EXPECTED, got.all.join('\n'));
    assert.ok(!got.all.some((l) => /warning/.test(l) && l.startsWith('system: ')), got.all.join('\n'));
    assert.deepEqual(await leftovers(), { containers: '', runs: [] });
  });

  it('finds the engine API socket of the CLI\'s current context when DOCKER_HOST is unset', { timeout: 60_000 }, async () => {
    const config = scratch('docker-config');
    const noHost = { ...docker.env, DOCKER_HOST: undefined, DOCKER_CONFIG: config } as unknown as NodeJS.ProcessEnv;
    const ctxCli = new ContainerCli({ cli: DOCKER_CLI, env: noHost });
    await ctxCli.exec(['context', 'create', 'smp-private', '--docker', `host=${docker.env.DOCKER_HOST}`]);
    await ctxCli.exec(['context', 'use', 'smp-private']);
    assert.equal(await engineHostOf(ctxCli), docker.env.DOCKER_HOST);
    assert.equal(typeof (await resolveAttacher(ctxCli)), 'function');
    // A unix socket nobody answers on: no attacher (the run reads the two pipes).
    const gone = new ContainerCli({ cli: DOCKER_CLI, env: { ...docker.env, DOCKER_HOST: `unix://${path.join(config, 'nobody.sock')}` } });
    assert.equal(await resolveAttacher(gone), undefined);
    // Another engine's CLI has no socket of its own to attach to.
    assert.equal(await engineHostOf(new ContainerCli({ cli: 'podman' })), undefined);
  });

  it('falls back cleanly to the CLI\'s two pipes when the engine is not a local socket (DOCKER_HOST=tcp://…)', { timeout: 180_000 }, async () => {
    // The same private engine, reached over TCP (a plain forwarder to its socket), as a remote DOCKER_HOST would be.
    const sock = docker.env.DOCKER_HOST.replace(/^unix:\/\//, '');
    const server = net.createServer({ allowHalfOpen: true }, (c) => {
      const u = net.connect({ path: sock, allowHalfOpen: true });
      c.pipe(u).on('error', () => c.destroy());
      u.pipe(c).on('error', () => u.destroy());
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const host = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const tcpCli = new ContainerCli({ cli: DOCKER_CLI, env: { ...docker.env, DOCKER_HOST: host } });
      assert.equal(await engineHostOf(tcpCli), host);
      assert.equal(await resolveAttacher(tcpCli), undefined);
      const ws = scratch('fallback-ws');
      const spec = scriptSpec(ws, 'fallback', 'import sys\nprint("to stdout", flush=True)\nsys.stderr.write("to stderr\\n")\nsys.exit(3)\n');
      const { r, lines } = run({ spec, jobKey: 'fallback', workspaceDir: ws, cli: tcpCli, resolveAttach: resolveAttacher });
      const rec = await r.done;
      assert.equal(rec.status, 'Failed');
      assert.match(rec.failureReason ?? '', /\b3\b/);
      // Every line still arrives (each stream in its own order), with no warning about the attach.
      assert.ok(lines.includes('stdout: to stdout'), lines.join('\n'));
      assert.ok(lines.includes('stderr: to stderr'), lines.join('\n'));
      assert.ok(!lines.some((l) => /warning|attach/i.test(l)), lines.join('\n'));
      assert.deepEqual(await leftovers(), { containers: '', runs: [] });
    } finally {
      server.close();
    }
  });

  describe('s3:// inputs', () => {
    let moto: Moto;
    before(async () => {
      moto = await startMoto();
    });
    after(async () => moto?.stop());

    it('downloads s3:// inputs first, then serves them from a cache keyed by ETag', { timeout: 180_000 }, async () => {
      const s3 = new S3Api({ endpointUrl: moto.endpoint, region: 'us-east-1' });
      const saved = { ...process.env };
      Object.assign(process.env, moto.env);
      try {
        await s3.ensureBucket('local-inputs', 'us-east-1');
        await s3.upload('local-inputs', 'data/train/a.csv', 'x,y\n1,2\n');
        await s3.upload('local-inputs', 'data/train/nested/b.csv', 'x,y\n3,4\n');
        const ws = scratch('s3-ws');
        const spec = scriptSpec(ws, 'reads3', [
          'import os',
          'for root, _, files in sorted(os.walk("/opt/ml/processing/input/data")):',
          '    for f in sorted(files):',
          '        p = os.path.join(root, f)',
          '        print(p, open(p).read().replace("\\n", "|"), flush=True)',
        ].join('\n'), { inputs: [{ name: 'data', source: { kind: 's3', uri: 's3://local-inputs/data/train' }, destination: '/opt/ml/processing/input/data' }] });
        spec.inputs.push({ name: 'code', source: { kind: 'local', path: path.join(ws, 'reads3.py') }, destination: '/opt/ml/processing/input/code' });
        const first = run({ spec, jobKey: 'reads3', workspaceDir: ws, s3: async () => s3 });
        let rec = await first.r.done;
        assert.equal(rec.status, 'Completed', `${rec.failureReason}\n${first.lines.join('\n')}`);
        assert.ok(first.lines.includes('stdout: /opt/ml/processing/input/data/a.csv x,y|1,2|'), first.lines.join('\n'));
        assert.ok(first.lines.includes('stdout: /opt/ml/processing/input/data/nested/b.csv x,y|3,4|'));
        assert.ok(first.lines.some((l) => /^system: Downloading s3:\/\/local-inputs\/data\/train\/a.csv/.test(l)));
        // Second run: same ETags → from the cache; a changed object is downloaded again.
        await s3.upload('local-inputs', 'data/train/a.csv', 'x,y\n5,6\n');
        const second = run({ spec: { ...spec, jobName: `${spec.jobName}-2` }, jobKey: 'reads3', workspaceDir: ws, s3: async () => s3 });
        rec = await second.r.done;
        assert.equal(rec.status, 'Completed');
        assert.ok(second.lines.includes('stdout: /opt/ml/processing/input/data/a.csv x,y|5,6|'), second.lines.join('\n'));
        assert.ok(second.lines.some((l) => /1 from the cache/.test(l)), second.lines.join('\n'));
        assert.ok(!second.lines.some((l) => /Downloading .*nested\/b.csv/.test(l)));
      } finally {
        s3.destroy();
        for (const k of Object.keys(moto.env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
      }
    });
  });
});
