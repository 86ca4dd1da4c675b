// Re-run goes through core/submit (rerunJob): the described job's request under a new name, checked before it is sent,
// created once with the same lost-answer recovery as a submission. Against moto behind the scripted proxy.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { answerLost, onAction } from '../support/proxy';
import { CreatedRequests } from '../support/describeFidelity';
import { censusDefinition, proxiedSubmitSuite, resourceInUse } from '../support/proxiedSubmit';
import { ACCOUNT, REGION, ROLE } from '../support/constants';
import { SageMakerClient, CreateProcessingJobCommand, type CreateProcessingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { Cancelled, rerunJob, submitJob } from '../../src/core/submit';
import { DefinitionError } from '../../src/core/definition/types';

const definition = censusDefinition({
  outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
  arguments: ['--train-test-split-ratio', '0.2'],
  environment: { MODE: 'full' },
});

/**
 * The old job, written here by hand as a CreateProcessingJob request (SageMaker's API reference): the oracle of the
 * first test. It is created straight in moto (not through our code), and SageMaker's Describe of it returns the
 * cluster and environment it was given (moto drops them: describeFidelity.ts puts back these, from this request).
 */
const OLD = 'census-2026-11-27-10-00-00-000';
const BUCKET = `sagemaker-${REGION}-${ACCOUNT}`;
const OLD_REQUEST: CreateProcessingJobCommandInput = {
  ProcessingJobName: OLD,
  RoleArn: ROLE,
  AppSpecification: {
    ImageUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/census:latest`,
    ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'],
    ContainerArguments: ['--train-test-split-ratio', '0.2'],
  },
  ProcessingInputs: [
    { InputName: 'census', AppManaged: false, S3Input: { S3Uri: `s3://${BUCKET}/${OLD}/input/census/census-income.csv`, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
    { InputName: 'code', AppManaged: false, S3Input: { S3Uri: `s3://${BUCKET}/${OLD}/input/code/preprocessing.py`, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
  ],
  ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', AppManaged: false, S3Output: { S3Uri: `s3://${BUCKET}/${OLD}/output/train`, LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }] },
  ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
  StoppingCondition: { MaxRuntimeInSeconds: 86400 },
  Environment: { MODE: 'full' },
};

describe('Re-run through core/submit (moto behind the proxy)', () => {
  // SageMaker's Describe returns the cluster and environment it was given (moto drops them).
  let created: CreatedRequests;
  const s = proxiedSubmitSuite('rerun', (proxy) => {
    created = new CreatedRequests();
    proxy.add(created.recordRule());
    proxy.add(created.describeRule());
  });
  /** The CreateProcessingJob bodies as sent on the wire. */
  const sent: Record<string, unknown>[] = [];
  const recordSent = () => {
    sent.length = 0;
    s.proxy.onRequest = (r) => { if (r.action === 'CreateProcessingJob' && r.json) sent.push(r.json); };
  };

  async function firstJob(): Promise<string> {
    const r = await submitJob(awsSubmitPorts(s.aws), { definitionText: definition, workspaceFolder: s.ws, jobKey: 'census', now: new Date('2026-11-27T10:00:00.000Z') });
    assert.ok(r);
    s.proxy.requests.length = 0;
    return r.job.jobName;
  }

  it('a Re-run sends the described job\'s request (written by hand) under a new name made the SDK\'s way; the old job is untouched', async () => {
    const seed = new SageMakerClient({ endpoint: s.moto.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      await seed.send(new CreateProcessingJobCommand(OLD_REQUEST));
    } finally {
      seed.destroy();
    }
    created.remember(OLD, OLD_REQUEST as unknown as Record<string, unknown>);
    const described = await (await s.aws.sagemaker()).describeProcessingJob(OLD);
    s.proxy.requests.length = 0;
    recordSent();
    const r = await rerunJob(awsSubmitPorts(s.aws), described, { now: new Date('2026-11-30T01:02:03.456Z') });
    // The new name: the base name and the time to the millisecond, as the SageMaker Python SDK's name_from_base makes it.
    const NEW = 'census-2026-11-30-01-02-03-456';
    assert.equal(r.request.ProcessingJobName, NEW);
    assert.match(r.arn, /processing-job\/census-2026-11-30-01-02-03-456$/i);
    assert.equal(sent.length, 1, 'one CreateProcessingJob');
    assert.deepEqual(sent[0], { ...OLD_REQUEST, ProcessingJobName: NEW }, 'the hand-written request, renamed');
    const sm = await s.direct.sagemaker();
    assert.deepEqual((await sm.listProcessingJobs()).jobs.map((j) => j.name).sort(), [OLD, NEW].sort());
    assert.equal((await sm.describeProcessingJob(OLD)).AppSpecification?.ContainerArguments?.join(' '), '--train-test-split-ratio 0.2', 'the old job is untouched');
    assert.equal(s.proxy.count('CreateProcessingJob'), 1);
    assert.equal(s.proxy.requests.filter((q) => q.service === 's3' && q.method !== 'GET' && q.method !== 'HEAD').length, 0, 'nothing uploaded: the code and inputs are in S3 already');
  });

  it('the Create answer is lost and the retry meets ResourceInUse: one new job, reported once (DescribeProcessingJob showed it ours)', async () => {
    const old = await firstJob();
    const described = await (await s.aws.sagemaker()).describeProcessingJob(old);
    s.proxy.requests.length = 0;
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: answerLost(), times: 1 });
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: resourceInUse(), times: 1 });
    const progress: string[] = [];
    const r = await rerunJob(awsSubmitPorts(s.aws), described, { onProgress: (p) => progress.push(p.message) });
    assert.equal(r.recovered, true);
    assert.deepEqual(s.proxy.requests.filter((q) => q.action === 'CreateProcessingJob').map((q) => q.outcome), ['forwardThenReset', 'respond']);
    assert.equal(s.proxy.count('DescribeProcessingJob'), 1);
    assert.ok(progress.some((m) => /answer to CreateProcessingJob was lost/.test(m)), progress.join('\n'));
    const names = (await (await s.direct.sagemaker()).listProcessingJobs()).jobs.map((j) => j.name).sort();
    assert.deepEqual(names, [old, r.request.ProcessingJobName].sort(), 'exactly one new job');
  });

  it('a Re-run cancelled before its Create sends nothing and creates no job', async () => {
    const old = await firstJob();
    const described = await (await s.aws.sagemaker()).describeProcessingJob(old);
    s.proxy.requests.length = 0;
    const ac = new AbortController();
    ac.abort();
    const err = await rerunJob(awsSubmitPorts(s.aws), described, { signal: ac.signal }).then(() => assert.fail('should be cancelled'), (e: unknown) => e);
    assert.ok(err instanceof Cancelled, String(err));
    assert.equal(s.proxy.count('CreateProcessingJob'), 0);
    assert.equal((await (await s.direct.sagemaker()).listProcessingJobs()).jobs.length, 1);
  });

  it('a described job whose copy is not a valid request (a role that is no ARN, an input that is no S3 URI) is refused before any Create', async () => {
    const old = await firstJob();
    const described = await (await s.aws.sagemaker()).describeProcessingJob(old);
    s.proxy.requests.length = 0;
    const broken = { ...described, RoleArn: 'SageMakerRole', ProcessingInputs: described.ProcessingInputs?.map((i, n) => (n === 0 ? { ...i, S3Input: { ...i.S3Input!, S3Uri: '/home/me/data' } } : i)) };
    const err = await rerunJob(awsSubmitPorts(s.aws), broken).then(() => assert.fail('should be refused'), (e: unknown) => e);
    assert.ok(err instanceof DefinitionError, String(err));
    assert.deepEqual(err.problems.map((p) => p.path).sort(), ['ProcessingInputs[0].S3Input.S3Uri', 'RoleArn']);
    assert.match(err.message, /DescribeProcessingJob census-2026-11-27-10-00-00-000/);
    assert.equal(s.proxy.count('CreateProcessingJob'), 0);
    assert.equal((await (await s.direct.sagemaker()).listProcessingJobs()).jobs.length, 1);
  });
});
