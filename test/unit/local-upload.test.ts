import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { outputUploadTarget } from '../../src/core/local/plan';
import { resolveLocalJob } from '../../src/core/local/definitionLite';

test('outputUploadTarget: destination prefix + the file path in the output folder', () => {
  assert.deepEqual(outputUploadTarget('s3://b/out/run-1', 'sub/x.csv'), { bucket: 'b', key: 'out/run-1/sub/x.csv' });
  assert.deepEqual(outputUploadTarget('s3://b/out/run-1/', 'x.csv'), { bucket: 'b', key: 'out/run-1/x.csv' });
  assert.deepEqual(outputUploadTarget('s3://b', 'x.csv'), { bucket: 'b', key: 'x.csv' });
  assert.deepEqual(outputUploadTarget('s3://b/p', './a//b.txt'), { bucket: 'b', key: 'p/a/b.txt' });
  assert.equal(outputUploadTarget('/local/path', 'x'), undefined);
});

test('resolveLocalJob: which outputs have a destination known locally', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-upload-'));
  try {
    fs.writeFileSync(path.join(ws, 'p.py'), 'print(1)\n');
    const def = (job: Record<string, unknown>) => JSON.stringify({ version: '1', defaults: { instanceType: 'ml.m5.xlarge' }, jobs: { j: { script: 'p.py', image: 'img:1', baseJobName: 'j', ...job } } });
    const outputs = [
      { name: 'explicit', source: '/opt/ml/processing/a', destination: 's3://mine/a' },
      { name: 'default', source: '/opt/ml/processing/b' },
      { name: 'account', source: '/opt/ml/processing/c', destination: 's3://x-${accountId}/c' },
      { name: 'bucketvar', source: '/opt/ml/processing/d', destination: 's3://${defaultBucket}/d' },
    ];
    const none = resolveLocalJob(def({ outputs }), 'j', { workspaceDir: ws, env: {} });
    assert.deepEqual(none.localOnlyOutputs, ['default', 'account', 'bucketvar']);
    const withBucket = resolveLocalJob(def({ outputs }), 'j', { workspaceDir: ws, env: {}, defaultBucket: 'bkt' });
    assert.deepEqual(withBucket.localOnlyOutputs, ['account']);
    const name = withBucket.spec.jobName;
    assert.deepEqual(withBucket.spec.outputs.map((o) => o.destination), ['s3://mine/a', `s3://bkt/${name}/output/default`, 's3://x-000000000000/c', 's3://bkt/d']);
    // The job's own bucket is known without the setting.
    const jobBucket = resolveLocalJob(def({ outputs: outputs.slice(0, 2), bucket: 'jobs-bucket' }), 'j', { workspaceDir: ws, env: {} });
    assert.deepEqual(jobBucket.localOnlyOutputs, []);
    assert.equal(jobBucket.spec.outputs[1].destination, `s3://jobs-bucket/${jobBucket.spec.jobName}/output/default`);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
