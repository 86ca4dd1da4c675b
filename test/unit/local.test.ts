import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  effectiveBuildArgs, envFileText, hostNames, localImageTag, mountArg, outputCopyPlan, planLocalRun, planMounts,
  processingJobConfig, resourceConfig, s3CacheName, s3RelativePath,
} from '../../src/core/local/plan';
import { applyEvent, exitMessageFrom, LineSplitter, restoreRecords, toJobSummary, type LocalJobRecord } from '../../src/core/local/record';
import { resolveLocalJob } from '../../src/core/local/definitionLite';
import type { ContainerSpec } from '../../src/core/definition/containerSpec';

interface JobConfig {
  ProcessingJobName: string;
  AppSpecification: { ContainerEntrypoint: string[]; ContainerArguments: string[] };
  ProcessingInputs: { S3Input: { LocalPath: string } }[];
  ProcessingOutputConfig: { Outputs: { S3Output: { LocalPath: string } }[] };
  ProcessingResources: { ClusterConfig: { InstanceCount: number } };
  RoleArn: string;
}

const ROOT = path.resolve(__dirname, '..', '..');

function spec(over: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    jobName: 'census-2026-11-27-10-00-00-000',
    image: 'img:1',
    imageSource: 'image',
    entrypoint: ['python3', '/opt/ml/processing/input/code/p.py'],
    arguments: ['--ratio', '0.2'],
    environment: { A: '1' },
    inputs: [],
    outputs: [{ name: 'train', source: '/opt/ml/processing/train', destination: 's3://b/train' }],
    instanceType: 'ml.m5.xlarge',
    instanceCount: 1,
    networkIsolation: false,
    ...over,
  };
}

test('resourceconfig.json has SageMaker\'s shape', () => {
  assert.deepEqual(hostNames(3), ['algo-1', 'algo-2', 'algo-3']);
  const rc = resourceConfig('algo-2', ['algo-1', 'algo-2'], 'ml.m5.xlarge');
  assert.equal(rc.current_host, 'algo-2');
  assert.deepEqual(rc.hosts, ['algo-1', 'algo-2']);
  assert.equal(rc.network_interface_name, 'eth0');
});

test('processingjobconfig.json describes the job like DescribeProcessingJob', () => {
  const s = spec({ inputs: [{ name: 'code', source: { kind: 'local', path: '/w/p.py' }, destination: '/opt/ml/processing/input/code' }] });
  const c = processingJobConfig(s, { region: 'us-east-1', account: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/R' }) as unknown as JobConfig;
  assert.equal(c.ProcessingJobName, s.jobName);
  assert.deepEqual(c.AppSpecification.ContainerEntrypoint, s.entrypoint);
  assert.deepEqual(c.AppSpecification.ContainerArguments, ['--ratio', '0.2']);
  assert.equal(c.ProcessingInputs[0].S3Input.LocalPath, '/opt/ml/processing/input/code');
  assert.equal(c.ProcessingOutputConfig.Outputs[0].S3Output.LocalPath, '/opt/ml/processing/train');
  assert.equal(c.ProcessingResources.ClusterConfig.InstanceCount, 1);
  assert.equal(c.RoleArn, 'arn:aws:iam::123456789012:role/R');
});

test('planMounts: a file lands in destination/<basename>; a user folder with a mount inside is mounted entry by entry', () => {
  const { mounts, mkdirs, warnings } = planMounts([
    { name: 'data', destination: '/opt/ml/processing/input', kind: 'dir', hostPath: '/w/data', owned: false, entries: ['a.csv', 'code', 'sub'] },
    { name: 'code', destination: '/opt/ml/processing/input/code', kind: 'file', hostPath: '/w/p.py', owned: false },
    { name: 'gen', destination: '/opt/ml/processing/gen', kind: 'dir', hostPath: '/s/gen', owned: true },
    { name: 'inner', destination: '/opt/ml/processing/gen/inner', kind: 'file', hostPath: '/w/x.txt', owned: false },
  ], [{ target: '/opt/ml/processing/out', source: '/s/out' }], '/s/config');
  assert.deepEqual(mounts.map((m) => `${m.source}>${m.target}${m.readonly ? ':ro' : ''}`).sort(), [
    '/s/config>/opt/ml/config:ro',
    '/s/gen>/opt/ml/processing/gen:ro',
    '/s/out>/opt/ml/processing/out',
    '/w/data/a.csv>/opt/ml/processing/input/a.csv:ro',
    '/w/data/sub>/opt/ml/processing/input/sub:ro',
    '/w/p.py>/opt/ml/processing/input/code/p.py:ro',
    '/w/x.txt>/opt/ml/processing/gen/inner/x.txt:ro',
  ]);
  assert.deepEqual(mkdirs, ['/s/gen/inner/x.txt']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"code" is hidden/);
  assert.throws(() => planMounts([
    { name: 'a', destination: '/opt/ml/processing/x', kind: 'dir', hostPath: '/a', owned: false },
    { name: 'b', destination: '/opt/ml/processing/x/', kind: 'dir', hostPath: '/b', owned: false },
  ], [], '/c'), /two mounts land at \/opt\/ml\/processing\/x \(a and b\)/);
});

test('planLocalRun: run arguments, env file, no network, and N instances on a private internal network', () => {
  const one = planLocalRun(spec(), { runId: 'r1', image: 'img:1', stageDir: '/stage', inputs: [], allowNetwork: false });
  const a = one.hosts[0].runArgs;
  assert.deepEqual(a.slice(0, 9), ['run', '--rm', '--name', 'smp-r1-algo-1', '--label', 'sagemaker-processing.local=r1', '--hostname', 'algo-1', '--network']);
  assert.equal(a[9], 'none');
  assert.deepEqual(a.slice(-6), ['--entrypoint', 'python3', 'img:1', '/opt/ml/processing/input/code/p.py', '--ratio', '0.2']);
  assert.ok(a.includes('--env-file') && !a.some((x) => x.includes('A=1')), 'values stay out of argv');
  assert.equal(one.files['/stage/env'], 'A=1\n');
  assert.match(one.files['/stage/config/algo-1/resourceconfig.json'], /"current_host": "algo-1"/);

  const three = planLocalRun(spec({ instanceCount: 3 }), { runId: 'r2', image: 'img:1', stageDir: '/stage', inputs: [], allowNetwork: false });
  assert.deepEqual(three.network, { mode: 'private', name: 'smp-r2', internal: true });
  assert.deepEqual(three.hosts.map((h) => h.host), ['algo-1', 'algo-2', 'algo-3']);
  const h2 = three.hosts[1].runArgs;
  assert.equal(h2[h2.indexOf('--network') + 1], 'smp-r2');
  assert.equal(h2[h2.indexOf('--network-alias') + 1], 'algo-2');
  assert.equal(three.hosts[1].outputDirs.train, '/stage/output/algo-2/train');
  const copies = outputCopyPlan(three, spec({ instanceCount: 3 }), '/ws');
  assert.deepEqual(new Set(copies.map((c) => c.to)), new Set(['/ws/.sagemaker-local/census-2026-11-27-10-00-00-000/train']));
  assert.equal(copies.length, 3);

  const net = planLocalRun(spec(), { runId: 'r3', image: 'i', stageDir: '/s', inputs: [], allowNetwork: true });
  assert.ok(!net.hosts[0].runArgs.includes('--network'));
});

test('env file and mount quoting', () => {
  assert.equal(envFileText({ A: 'x = y', B: '' }), 'A=x = y\nB=\n');
  assert.throws(() => envFileText({ A: 'two\nlines' }), /line break/);
  assert.throws(() => envFileText({ 'A-B': '1' }), /not a valid variable name/);
  assert.equal(mountArg({ source: '/a,b', target: '/t', readonly: true }), 'type=bind,"source=/a,b",target=/t,readonly');
});

test('S3 input paths and cache names', () => {
  assert.equal(s3RelativePath('data/train', 'data/train/a.csv'), 'a.csv');
  assert.equal(s3RelativePath('data/train/', 'data/train/x/b.csv'), 'x/b.csv');
  assert.equal(s3RelativePath('data/one.csv', 'data/one.csv'), 'one.csv');
  assert.throws(() => s3RelativePath('d', 'd/../../etc/passwd'), /outside/);
  assert.notEqual(s3CacheName('b', 'k', '"e1"'), s3CacheName('b', 'k', '"e2"'));
  assert.match(s3CacheName('b', 'dir/file.csv', '"abc"'), /^[0-9a-f]{24}-abc-file\.csv$/);
});

test('local image tags and build args', () => {
  assert.equal(localImageTag('Census Preprocessing'), 'sagemaker-local/census-preprocessing:latest');
  assert.deepEqual(effectiveBuildArgs({ BASE_IMAGE: '', X: '1' }), { X: '1' });
});

test('status transitions: completed, failed with exit message, stop, terminal states stay', () => {
  const t = new Date('2026-11-27T10:00:00Z');
  const r: LocalJobRecord = { name: 'j', key: 'k', workspaceDir: '/w', runId: 'r', instanceCount: 1, status: 'InProgress', createdAt: t.toISOString() };
  const failed = applyEvent(r, { type: 'exited', code: 1, stderrTail: ['Traceback', '  File "x"', 'ValueError: bad', ''] }, t);
  assert.equal(failed.status, 'Failed');
  assert.equal(failed.exitMessage, 'Traceback\n  File "x"\nValueError: bad');
  assert.match(failed.failureReason!, /exited with code 1/);
  assert.equal(applyEvent(failed, { type: 'completed' }, t), failed);
  const stopping = applyEvent(r, { type: 'stopRequested' }, t);
  assert.equal(stopping.status, 'Stopping');
  assert.equal(applyEvent(stopping, { type: 'exited', code: 137, stderrTail: [] }, t).status, 'Stopped');
  assert.equal(applyEvent(r, { type: 'exited', code: 137, stderrTail: [] }, t).failureReason, 'Container was killed (exit code 137, SIGKILL)');
  const done = applyEvent(applyEvent(r, { type: 'exited', code: 0, stderrTail: [] }, t), { type: 'completed', outputDir: '/w/o' }, t);
  assert.equal(done.status, 'Completed');
  const sum = toJobSummary(done);
  assert.equal(sum.arn, 'local:j');
  assert.equal(sum.endTime?.toISOString(), t.toISOString());
  assert.equal(exitMessageFrom(['x'.repeat(3000)])!.length, 1024);
});

test('restored history: running records become Stopped (interrupted), junk is dropped', () => {
  const t = new Date();
  const restored = restoreRecords([
    { name: 'a', status: 'InProgress', createdAt: t.toISOString() },
    { name: 'b', status: 'Completed', createdAt: t.toISOString() },
    { junk: true },
  ], t);
  assert.deepEqual(restored.map((r) => [r.name, r.status]), [['a', 'Stopped'], ['b', 'Completed']]);
  assert.match(restored[0].failureReason!, /reloaded/);
  assert.deepEqual(restoreRecords(undefined, t), []);
});

test('LineSplitter joins chunks into lines', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push('ab');
  s.push('c\r\nde\nf');
  s.end();
  assert.deepEqual(lines, ['abc', 'de', 'f']);
});

test('the census definition resolves for a local run with the same entrypoint and arguments as the cloud job', () => {
  const ws = path.join(ROOT, 'examples', 'census');
  const text = fs.readFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), 'utf8');
  const { spec: s, allowNetwork } = resolveLocalJob(text, 'census-preprocessing', { workspaceDir: ws, env: {}, now: new Date('2026-11-27T10:00:00Z') });
  assert.equal(s.jobName, 'census-preprocessing-2026-11-27-10-00-00-000');
  assert.deepEqual(s.entrypoint, ['python3', '/opt/ml/processing/input/code/preprocessing.py']);
  assert.deepEqual(s.arguments, ['--train-test-split-ratio', '0.2']);
  assert.equal(s.imageSource, 'build');
  assert.equal(s.build?.dockerfile, path.join(ws, 'Dockerfile'));
  assert.deepEqual(effectiveBuildArgs(s.build?.buildArgs), {}, 'unset ${env:SMP_BASE_IMAGE} keeps the Dockerfile default');
  assert.deepEqual(s.inputs.map((i) => [i.name, i.destination]), [['census', '/opt/ml/processing/input'], ['code', '/opt/ml/processing/input/code']]);
  assert.deepEqual(s.outputs.map((o) => o.name), ['train_data', 'test_data']);
  assert.equal(allowNetwork, false);
  const withBase = resolveLocalJob(text, 'census-preprocessing', { workspaceDir: ws, env: { SMP_BASE_IMAGE: 'local/python-base' } });
  assert.deepEqual(effectiveBuildArgs(withBase.spec.build?.buildArgs), { BASE_IMAGE: 'local/python-base' });
  assert.throws(() => resolveLocalJob(text, 'nope', { workspaceDir: ws, env: {} }), /no job "nope"/);
});

test('planMounts: a private writable copy (the local backend\'s downloaded inputs) is mounted read-write; user folders and shared copies stay read-only', () => {
  const { mounts } = planMounts([
    { name: 'code', destination: '/opt/ml/processing/input/code', kind: 'dir', hostPath: '/s/code', owned: true, writable: true },
    { name: 'cached', destination: '/opt/ml/processing/input/data', kind: 'dir', hostPath: '/s/data', owned: true },
    { name: 'user', destination: '/opt/ml/processing/input/user', kind: 'dir', hostPath: '/w/user', owned: false, writable: true },
  ], [], '/s/config');
  assert.deepEqual(mounts.map((m) => `${m.source}>${m.target}${m.readonly ? ':ro' : ''}`).sort(), [
    '/s/code>/opt/ml/processing/input/code',
    '/s/config>/opt/ml/config:ro',
    '/s/data>/opt/ml/processing/input/data:ro',
    '/w/user>/opt/ml/processing/input/user:ro',
  ]);
});
