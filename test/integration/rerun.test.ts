// Re-run goes through core/submit (rerunJob): the described job's request under a new name, checked before it is sent,
// created once with the same lost-answer recovery as a submission. Against moto behind the scripted proxy.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { answerLost, onAction } from '../support/proxy';
import { CreatedRequests } from '../support/describeFidelity';
import { censusDefinition, proxiedSubmitSuite, resourceInUse } from '../support/proxiedSubmit';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { rerunJob, submitJob } from '../../src/core/submit';
import { DefinitionError } from '../../src/core/definition/types';

const definition = censusDefinition({
  outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
  arguments: ['--train-test-split-ratio', '0.2'],
  environment: { MODE: 'full' },
});

/** What a Re-run must keep: everything moto stores of the request but the name (it ignores resources and environment). */
function requestShape(d: Record<string, unknown>): unknown {
  const { ProcessingJobName: _n, ProcessingJobArn: _a, ProcessingJobStatus: _s, CreationTime: _c, LastModifiedTime: _l, ProcessingEndTime: _e, ProcessingStartTime: _p, $metadata: _m, ...rest } = d;
  return JSON.parse(JSON.stringify(rest));
}

describe('Re-run through core/submit (moto behind the proxy)', () => {
  // SageMaker's Describe returns the cluster and environment it was given (moto drops them).
  const s = proxiedSubmitSuite('rerun', (proxy) => {
    const created = new CreatedRequests();
    proxy.add(created.recordRule());
    proxy.add(created.describeRule());
  });

  async function firstJob(): Promise<string> {
    const r = await submitJob(awsSubmitPorts(s.aws), { definitionText: definition, workspaceFolder: s.ws, jobKey: 'census', now: new Date('2026-11-27T10:00:00.000Z') });
    assert.ok(r);
    s.proxy.requests.length = 0;
    return r.job.jobName;
  }

  it('a Re-run submits the same request under a new name made the SDK\'s way; the old job is untouched', async () => {
    const old = await firstJob();
    const sm = await s.direct.sagemaker();
    const described = await (await s.aws.sagemaker()).describeProcessingJob(old);
    s.proxy.requests.length = 0;
    const r = await rerunJob(awsSubmitPorts(s.aws), described, { now: new Date('2026-11-30T01:02:03.456Z') });
    assert.equal(old, 'census-2026-11-27-10-00-00-000');
    assert.equal(r.request.ProcessingJobName, 'census-2026-11-30-01-02-03-456');
    assert.match(r.arn, /processing-job\/census-2026-11-30-01-02-03-456$/i);
    assert.deepEqual((await sm.listProcessingJobs()).jobs.map((j) => j.name).sort(), [old, r.request.ProcessingJobName].sort());
    const again = await (await s.aws.sagemaker()).describeProcessingJob(r.request.ProcessingJobName);
    assert.deepEqual(requestShape(again as never), requestShape(described as never), 'the same request');
    assert.deepEqual((again as { Environment?: unknown }).Environment, { MODE: 'full' });
    assert.equal(again.ProcessingResources?.ClusterConfig?.InstanceType, 'ml.m5.xlarge');
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
