// "Re-run Locally" from a job's own request (a job not from this workspace's definition): the local run's spec and
// what it says it cannot reproduce, for requests written by hand (the SDK's ScriptProcessor and FrameworkProcessor
// shapes, and the features a local container cannot have).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { replayPlan, workspaceRootFor } from '../../src/core/local/replay';
import type { ProcessingJobDescriptionLike } from '../../src/core/jobDetails';

const ROLE = 'arn:aws:iam::111122223333:role/Proc';
const s3In = (name: string, uri: string, localPath: string, over: Record<string, string> = {}) =>
  ({ InputName: name, S3Input: { S3Uri: uri, LocalPath: localPath, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', ...over } });

// What the SageMaker Python SDK's ScriptProcessor sends (by hand, from its documented request shape).
const script: ProcessingJobDescriptionLike = {
  ProcessingJobName: 'prep-2026-12-08-03-00-00-000',
  RoleArn: ROLE,
  AppSpecification: { ImageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/prep:1', ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/prep.py'], ContainerArguments: ['--split', '0.2'] },
  Environment: { MODE: 'x' },
  ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 } },
  ProcessingInputs: [
    s3In('data', 's3://b/in/data', '/opt/ml/processing/input/data/'),
    s3In('code', 's3://b/prep/input/code/prep.py', '/opt/ml/processing/input/code'),
  ],
  ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://b/out/train', LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }] },
};

describe('a local run from a job\'s own request', () => {
  it('carries the image, entrypoint, arguments, environment, S3 inputs at their paths, outputs and instance count', () => {
    const p = replayPlan(script, 'prep-local');
    assert.deepEqual(p.spec, {
      jobName: 'prep-local',
      image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/prep:1',
      imageSource: 'image',
      entrypoint: ['python3', '/opt/ml/processing/input/code/prep.py'],
      arguments: ['--split', '0.2'],
      environment: { MODE: 'x' },
      inputs: [
        { name: 'data', source: { kind: 's3', uri: 's3://b/in/data' }, destination: '/opt/ml/processing/input/data' },
        { name: 'code', source: { kind: 's3', uri: 's3://b/prep/input/code/prep.py' }, destination: '/opt/ml/processing/input/code' },
      ],
      outputs: [{ name: 'train', source: '/opt/ml/processing/train', destination: 's3://b/out/train' }],
      instanceType: 'ml.m5.xlarge',
      instanceCount: 2,
      networkIsolation: false,
    });
    assert.deepEqual(p.codeInputs, ['code']);
    assert.equal(p.allowNetwork, true);
    assert.equal(p.roleArn, ROLE);
    const notes = p.notes.join('\n');
    assert.match(notes, /not on ml\.m5\.xlarge × 2/);
    assert.match(notes, /not the job's role arn:aws:iam::111122223333:role\/Proc/);
    assert.match(notes, /not uploaded to the job's S3 destinations/);
  });

  it('the FrameworkProcessor shape: runproc.sh\'s input and the code input are both code', () => {
    const p = replayPlan({
      ...script,
      AppSpecification: { ImageUri: 'img', ContainerEntrypoint: ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh'] },
      ProcessingInputs: [s3In('code', 's3://b/j/source/sourcedir.tar.gz', '/opt/ml/processing/input/code/'), s3In('entrypoint', 's3://b/j/source/runproc.sh', '/opt/ml/processing/input/entrypoint')],
    }, 'j-local');
    assert.deepEqual(p.codeInputs, ['code', 'entrypoint']);
  });

  it('says each thing a local container cannot reproduce, and leaves out what it cannot fetch', () => {
    const p = replayPlan({
      ...script,
      ProcessingInputs: [
        s3In('piped', 's3://b/p', '/opt/ml/processing/input/p', { S3InputMode: 'Pipe', S3CompressionType: 'Gzip' }),
        s3In('fast', 's3://b/f', '/opt/ml/processing/input/f', { S3InputMode: 'FastFile', S3DataDistributionType: 'ShardedByS3Key' }),
        s3In('listed', 's3://b/manifest.json', '/opt/ml/processing/input/m', { S3DataType: 'ManifestFile' }),
        { InputName: 'athena', DatasetDefinition: { AthenaDatasetDefinition: {} } },
      ],
      ProcessingOutputConfig: { KmsKeyId: 'k', Outputs: [
        { OutputName: 'live', S3Output: { S3Uri: 's3://b/live', LocalPath: '/opt/ml/processing/live', S3UploadMode: 'Continuous' } },
        { OutputName: 'fs', FeatureStoreOutput: { FeatureGroupName: 'g' } },
      ] },
      NetworkConfig: { EnableNetworkIsolation: true, VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } },
      StoppingCondition: { MaxRuntimeInSeconds: 900 },
    }, 'x');
    assert.deepEqual(p.spec.inputs.map((i) => i.name), ['piped', 'fast']);
    assert.deepEqual(p.spec.outputs.map((o) => o.name), ['live']);
    assert.equal(p.spec.networkIsolation, true);
    assert.equal(p.allowNetwork, false);
    const notes = p.notes.join('\n');
    for (const re of [/"piped" is read in Pipe mode/, /"piped" is Gzip-compressed/, /"fast" is streamed \(FastFile\)/, /"fast" is sharded by S3 key/, /"listed" is a manifest file/,
      /"athena" is a dataset definition/, /"live" is uploaded continuously/, /"fs" goes to a Feature Store/, /in a VPC \(subnets subnet-1\)/, /KMS keys/, /maximum runtime \(900 s\)/]) {
      assert.match(notes, re);
    }
  });

  it('refuses a request with no image', () => {
    assert.throws(() => replayPlan({ ProcessingJobName: 'n' }, 'n-local'), /names no image/);
  });

  it('the workspace root of a code input: every object found under one root, else none', () => {
    const ws = path.resolve('/ws');
    const files: Record<string, string> = { 'prep.py': path.join(ws, 'src', 'prep.py'), 'lib/util.py': path.join(ws, 'src', 'lib', 'util.py') };
    assert.equal(workspaceRootFor([{ relative: 'prep.py', size: 1 }, { relative: 'lib/util.py', size: 2 }], (r) => files[r]), path.join(ws, 'src'));
    assert.equal(workspaceRootFor([{ relative: 'prep.py', size: 1 }, { relative: 'lib/missing.py', size: 2 }], (r) => files[r]), undefined);
    // Found, but not at the same relative place (another folder): not one root.
    assert.equal(workspaceRootFor([{ relative: 'prep.py', size: 1 }, { relative: 'lib/util.py', size: 2 }], (r) => (r === 'prep.py' ? path.join(ws, 'other', 'prep.py') : files[r])), undefined);
    assert.equal(workspaceRootFor([{ relative: 'lib/util.py', size: 2 }], () => path.join(ws, 'util.py')), undefined);
  });
});
