// The plan of a debug-mode local run: the entrypoint under debugpy (script and sourceDir jobs), which hosts wait,
// the read-only debugpy mount, the network left as in a plain run, and the path mappings.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { attachArguments, attachInstructions, debugEntrypoint, debugHosts, debugPathMappings, debugpyMount, debugSpec, DEBUGPY_MOUNT, RUNPROC_DEBUG } from '../../src/core/local/debug';
import { planLocalRun } from '../../src/core/local/plan';
import { runprocScript } from '../../src/core/definition/layout';
import type { ContainerSpec } from '../../src/core/definition/containerSpec';

const CODE = '/opt/ml/processing/input/code';

function scriptSpec(over: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    jobName: 'j-1', image: 'img', imageSource: 'image',
    entrypoint: ['python3', `${CODE}/prep.py`], arguments: ['--ratio', '0.2'], environment: {},
    inputs: [
      { name: 'data', source: { kind: 'local', path: '/ws/data' }, destination: '/opt/ml/processing/input/data' },
      { name: 'code', source: { kind: 'local', path: '/ws/src/prep.py' }, destination: CODE },
    ],
    outputs: [{ name: 'out', source: '/opt/ml/processing/output', destination: 's3://b/o' }],
    instanceType: 'ml.m5.xlarge', instanceCount: 1, networkIsolation: false,
    ...over,
  };
}

function sourceDirSpec(command: string[], script: string): ContainerSpec {
  return scriptSpec({
    entrypoint: ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh'],
    inputs: [
      { name: 'code', source: { kind: 'local', path: '/ws/pkg' }, destination: CODE },
      { name: 'entrypoint', source: { kind: 'content', files: { 'runproc.sh': runprocScript(command, script, 'requirements.txt', false) } }, destination: '/opt/ml/processing/input/entrypoint' },
    ],
  });
}

describe('debug-mode local runs (plan)', () => {
  it('starts a script job under debugpy by its folder, listening on the container\'s loopback, waiting for the client', () => {
    const d = debugEntrypoint(scriptSpec());
    assert.deepEqual(d.entrypoint, ['python3', DEBUGPY_MOUNT, '--listen', '127.0.0.1:5678', '--wait-for-client', `${CODE}/prep.py`]);
    assert.equal(d.python, 'python3');
    // Interpreter options stay with the interpreter.
    assert.deepEqual(debugEntrypoint(scriptSpec({ entrypoint: ['/usr/bin/python3.11', '-u', `${CODE}/prep.py`] })).entrypoint,
      ['/usr/bin/python3.11', '-u', DEBUGPY_MOUNT, '--listen', '127.0.0.1:5678', '--wait-for-client', `${CODE}/prep.py`]);
    assert.throws(() => debugEntrypoint(scriptSpec({ entrypoint: ['/bin/sh', '-c', 'run'] })), /does not run a Python script with python/);
    assert.throws(() => debugEntrypoint(scriptSpec({ entrypoint: ['node', `${CODE}/prep.py`] })), /does not run a Python script/);
  });

  it('gives a sourceDir job a runproc variant whose last line runs the script under debugpy', () => {
    const spec = sourceDirSpec(['python3'], 'jobs/my job.py');
    const d = debugEntrypoint(spec);
    assert.deepEqual(d.entrypoint, ['/bin/bash', `/opt/ml/processing/input/entrypoint/${RUNPROC_DEBUG}`]);
    const text = d.extraFile!.text;
    assert.equal(text.trimEnd().split('\n').pop(), `python3 ${DEBUGPY_MOUNT} --listen 127.0.0.1:5678 --wait-for-client 'jobs/my job.py' "$@"`);
    // Everything else of the script (requirements, set -e) is the same.
    assert.ok(text.includes('pip install -r requirements.txt') && text.includes('set -e'));
    const ds = debugSpec(spec, d);
    const files = (ds.inputs[1].source as { files: Record<string, string> }).files;
    assert.deepEqual(Object.keys(files).sort(), ['runproc-debug.sh', 'runproc.sh']);
    assert.equal(files['runproc.sh'], (spec.inputs[1].source as { files: Record<string, string> }).files['runproc.sh']);
    assert.throws(() => debugEntrypoint(sourceDirSpec(['Rscript'], 'x.R')), /is not python/);
  });

  it('plans the debugpy mount and entrypoint for the debugged hosts only; the network stays as in a plain run', () => {
    const spec = scriptSpec({ instanceCount: 3 });
    const d = debugEntrypoint(spec);
    const hosts = debugHosts(['algo-1', 'algo-2', 'algo-3'], 'first');
    assert.deepEqual(hosts, ['algo-1']);
    assert.deepEqual(debugHosts(['algo-1', 'algo-2'], 'all'), ['algo-1', 'algo-2']);
    const opts = { runId: 'r1', image: 'img', stageDir: '/stage', inputs: [], allowNetwork: false };
    const plain = planLocalRun(spec, opts);
    const plan = planLocalRun(spec, { ...opts, debug: { hosts, entrypoint: d.entrypoint, mounts: [debugpyMount('/host/debugpy')] } });
    const [a1, a2] = plan.hosts.map((h) => h.runArgs);
    assert.ok(a1.includes('type=bind,source=/host/debugpy,target=/opt/smp-debug/debugpy,readonly'));
    assert.deepEqual(a1.slice(a1.indexOf('--entrypoint')), ['--entrypoint', 'python3', 'img', DEBUGPY_MOUNT, '--listen', '127.0.0.1:5678', '--wait-for-client', `${CODE}/prep.py`, '--ratio', '0.2']);
    assert.deepEqual(a2, plain.hosts[1].runArgs);
    assert.deepEqual(plan.network, plain.network);
    assert.equal(a1[a1.indexOf('--network') + 1], 'smp-r1');
    assert.ok(!a1.some((a) => a === '-p' || a === '--publish' || a.startsWith('--publish')));
    const single = planLocalRun(scriptSpec(), { ...opts, debug: { hosts: ['algo-1'], entrypoint: debugEntrypoint(scriptSpec()).entrypoint, mounts: [] } });
    assert.deepEqual(single.hosts[0].runArgs.slice(single.hosts[0].runArgs.indexOf('--network'), single.hosts[0].runArgs.indexOf('--network') + 2), ['--network', 'none']);
  });

  it('maps the script\'s folder (or the sourceDir) to the code folder, and local folder inputs to their destinations', () => {
    assert.deepEqual(debugPathMappings(scriptSpec()), [
      { localRoot: '/ws/src', remoteRoot: CODE },
      { localRoot: '/ws/data', remoteRoot: '/opt/ml/processing/input/data' },
    ]);
    assert.deepEqual(debugPathMappings(sourceDirSpec(['python3'], 'a.py')), [{ localRoot: '/ws/pkg', remoteRoot: CODE }]);
  });

  it('prints a launch configuration a user can paste (valid JSON) for the CLI', () => {
    const lines = attachInstructions('algo-1', 41234, [{ localRoot: '/ws', remoteRoot: CODE }]);
    assert.match(lines[0], /^algo-1: debugpy is waiting for a debugger on 127\.0\.0\.1:41234\./);
    assert.deepEqual(JSON.parse(lines.slice(1).join('\n')), { name: 'Attach to algo-1', type: 'debugpy', request: 'attach', ...attachArguments(41234, [{ localRoot: '/ws', remoteRoot: CODE }]) });
  });
});
