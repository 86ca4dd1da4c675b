import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { codeObjectUris, comparisonText, definitionJobsFor, imageDigest, lastSuccessfulRun, normaliseRequest } from '../../src/core/compare';
import type { ProcessingJobDescriptionLike } from '../../src/core/jobDetails';
import type { JobSummary } from '../../src/core/jobs';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function described(name: string, over: Partial<ProcessingJobDescriptionLike> = {}): ProcessingJobDescriptionLike {
  return {
    ProcessingJobName: name,
    ProcessingJobStatus: 'Completed',
    RoleArn: ROLE,
    AppSpecification: { ImageUri: `1.dkr.ecr.us-east-1.amazonaws.com/census@${DIGEST}`, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'], ContainerArguments: ['--train-test-split-ratio', '0.2'] },
    ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
    ProcessingInputs: [
      { InputName: 'census', S3Input: { S3Uri: 's3://data/census.csv', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
      { InputName: 'code', S3Input: { S3Uri: `s3://b/${name}/input/code/preprocessing.py`, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
    ],
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: `s3://b/${name}/output/train`, LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }] },
    Environment: { Z: '1', A: '2' },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    CreationTime: new Date(),
    ...over,
  };
}

const summary = (name: string, status: JobSummary['status'], minute: number): JobSummary => ({ name, arn: '', status, creationTime: new Date(Date.UTC(2026, 10, 27, 10, minute)) });

describe('compare runs: normalised requests', () => {
  it('two runs of the same definition differ only where they really differ (job names, order and timestamps gone)', () => {
    const a = described('census-2026-11-27-10-00-00-000');
    const b = described('census-2026-11-27-11-00-00-000', { ProcessingInputs: [...a.ProcessingInputs!].reverse().map((i) => ({ ...i, S3Input: { ...i.S3Input, S3Uri: i.S3Input!.S3Uri!.replace('10-00-00', '11-00-00') } })), CreationTime: new Date(0) });
    assert.equal(comparisonText(a), comparisonText(b));
    const changed = described('census-2026-11-27-11-00-00-000', { AppSpecification: { ...a.AppSpecification, ContainerArguments: ['--train-test-split-ratio', '0.3'] } });
    assert.notEqual(comparisonText(a), comparisonText(changed));
    assert.deepEqual(normaliseRequest(changed).arguments, ['--train-test-split-ratio', '0.3']);
  });

  it('keeps what matters: image digest, inputs and outputs by name, environment sorted, resources, code ETags', () => {
    const name = 'census-2026-11-27-10-00-00-000';
    const d = described(name);
    const codeUri = `s3://b/${name}/input/code/preprocessing.py`;
    assert.deepEqual(codeObjectUris(d), [codeUri]);
    const n = normaliseRequest(d, { etags: { [codeUri]: 'abc123' } }) as { image: { digest?: string }; inputs: Record<string, { source?: string; etag?: string }>; outputs: Record<string, { destination?: string }>; environment: Record<string, string>; resources: unknown };
    assert.deepEqual(Object.keys(n), ['image', 'entrypoint', 'arguments', 'inputs', 'outputs', 'environment', 'resources', 'role']);
    assert.equal(n.image.digest, DIGEST);
    assert.deepEqual(Object.keys(n.inputs), ['census', 'code']);
    assert.equal(n.inputs.code.source, 's3://b/${jobName}/input/code/preprocessing.py');
    assert.equal(n.inputs.code.etag, 'abc123');
    assert.equal(n.inputs.census.etag, undefined);
    assert.equal(n.outputs.train.destination, 's3://b/${jobName}/output/train');
    assert.deepEqual(Object.keys(n.environment), ['A', 'Z']);
    assert.deepEqual(n.resources, { instanceType: 'ml.m5.xlarge', instanceCount: 1, volumeSizeGB: 30, maxRuntimeSeconds: 3600 });
    // A changed script shows as a changed ETag.
    assert.notEqual(comparisonText(d, { etags: { [codeUri]: 'abc123' } }), comparisonText(d, { etags: { [codeUri]: 'def456' } }));
  });

  it('a tag is no digest', () => {
    assert.equal(imageDigest('repo:latest'), undefined);
    assert.equal(imageDigest(`repo@${DIGEST}`), DIGEST);
  });
});

describe('compare runs: the last successful run', () => {
  const jobs = [
    summary('census-2026-11-27-10-01-00-000', 'Completed', 1),
    summary('census-2026-11-27-10-02-00-000', 'Completed', 2),
    summary('census-2026-11-27-10-03-00-000', 'Failed', 3),
    summary('census-2026-11-27-10-04-00-000', 'Failed', 4),
    summary('census-2026-11-27-10-05-00-000', 'Completed', 5), // after the failure: not "before it"
    summary('census-eval-2026-11-27-10-03-30-000', 'Completed', 3), // another base name
    summary('other-2026-11-27-10-03-40-000', 'Completed', 3),
  ];

  it('is the newest Completed job with the same base name created before the failed one', () => {
    assert.equal(lastSuccessfulRun(jobs[3], jobs)?.name, 'census-2026-11-27-10-02-00-000');
    assert.equal(lastSuccessfulRun(jobs[2], jobs)?.name, 'census-2026-11-27-10-02-00-000');
  });

  it('is none when nothing of that name worked before', () => {
    assert.equal(lastSuccessfulRun(summary('census-2026-11-27-09-00-00-000', 'Failed', 0), jobs), undefined);
    assert.equal(lastSuccessfulRun(summary('fresh-2026-11-27-11-00-00-000', 'Failed', 30), jobs), undefined);
  });

  it('finds the definition job a run came from by its base name', () => {
    const defJobs = { prep: { baseJobName: 'census' }, evaluation: { baseJobName: 'census-eval' }, other: {} };
    assert.deepEqual(definitionJobsFor('census-2026-11-27-10-01-00-000', defJobs), { keys: ['prep'], exact: true });
    assert.deepEqual(definitionJobsFor('other-2026-11-27-10-01-00-000', defJobs), { keys: ['other'], exact: true });
    assert.deepEqual(definitionJobsFor('unrelated', defJobs), { keys: ['prep', 'evaluation', 'other'], exact: false });
  });
});
