import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { connectionReset, onAction, serverError, startProxy, throttling, type ScriptedProxy } from '../support/proxy';
import { seedJobs } from '../support/seed';
import { AwsClients } from '../../src/aws/index';

describe('scripted proxy in front of moto', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let restore: () => void;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    await seedJobs(moto.endpoint, ['proxied-job']);
  });
  after(async () => {
    restore?.();
    await proxy?.stop();
    await moto?.stop();
  });

  it('the SDK retries through throttling, a 5xx and a reset, and gets the real answer', async () => {
    proxy.add({ match: onAction('ListProcessingJobs'), action: throttling(), times: 1 });
    proxy.add({ match: onAction('ListProcessingJobs'), action: serverError(503), times: 1 });
    proxy.add({ match: onAction('ListProcessingJobs'), action: connectionReset(), times: 1 });
    const aws = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    try {
      const page = await (await aws.sagemaker()).listProcessingJobs();
      assert.deepEqual(page.jobs.map((j) => j.name), ['proxied-job']);
      assert.deepEqual(proxy.requests.filter((r) => r.action === 'ListProcessingJobs').map((r) => r.outcome), ['status', 'status', 'reset', 'forward']);
    } finally {
      aws.dispose();
      proxy.clearRules();
    }
  });

  it('rewrites a response to play a lifecycle (InProgress, then the real Completed)', async () => {
    proxy.add({ match: onAction('DescribeProcessingJob'), times: 2, action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobStatus: 'InProgress' }) } });
    const aws = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    try {
      const sm = await aws.sagemaker();
      const seen = [];
      for (let i = 0; i < 3; i++) seen.push((await sm.describeProcessingJob('proxied-job')).ProcessingJobStatus);
      assert.deepEqual(seen, ['InProgress', 'InProgress', 'Completed']);
    } finally {
      aws.dispose();
      proxy.clearRules();
    }
  });
});
