import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { connectionReset, onAction, serverError, throttling } from '../support/proxy';
import { seedJobs } from '../support/seed';
import { awsSuite } from '../support/suite';

describe('scripted proxy in front of moto', () => {
  const s = awsSuite({ proxy: true, resetEach: true, seed: (x) => seedJobs(x.moto.endpoint, ['proxied-job']) });

  it('the SDK retries through throttling, a 5xx and a reset, and gets the real answer', async () => {
    s.proxy.add({ match: onAction('ListProcessingJobs'), action: throttling(), times: 1 });
    s.proxy.add({ match: onAction('ListProcessingJobs'), action: serverError(503), times: 1 });
    s.proxy.add({ match: onAction('ListProcessingJobs'), action: connectionReset(), times: 1 });
    const page = await (await s.aws.sagemaker()).listProcessingJobs();
    assert.deepEqual(page.jobs.map((j) => j.name), ['proxied-job']);
    assert.deepEqual(s.proxy.requests.filter((r) => r.action === 'ListProcessingJobs').map((r) => r.outcome), ['status', 'status', 'reset', 'forward']);
  });

  it('rewrites a response to play a lifecycle (InProgress, then the real Completed)', async () => {
    s.proxy.add({ match: onAction('DescribeProcessingJob'), times: 2, action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobStatus: 'InProgress' }) } });
    const sm = await s.aws.sagemaker();
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await sm.describeProcessingJob('proxied-job')).ProcessingJobStatus);
    assert.deepEqual(seen, ['InProgress', 'InProgress', 'Completed']);
  });

  it('each test starts from an empty moto with the seed, no rule and an empty log (the harness\'s reset)', async () => {
    assert.deepEqual(s.proxy.requests, []);
    const sm = await s.direct.sagemaker();
    assert.deepEqual((await sm.listProcessingJobs()).jobs.map((j) => j.name), ['proxied-job'], 'one seeded job, not one per test');
    assert.equal((await (await s.aws.sagemaker()).describeProcessingJob('proxied-job')).ProcessingJobStatus, 'Completed', 'no rewrite left from the test before');
  });
});
