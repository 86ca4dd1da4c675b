import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { seedJobs } from '../support/seed';
import { AwsClients } from '../../src/aws/index';
import { ROOT } from '../support/paths';

describe('SageMaker wrapper against moto', () => {
  let moto: Moto;
  let restoreEnv: () => void;
  before(async () => {
    moto = await startMoto();
    restoreEnv = useMotoEnv(moto);
  });
  after(async () => {
    restoreEnv?.();
    await moto?.stop();
  });
  beforeEach(() => moto.reset());

  it('lists processing jobs created in moto, through the endpoint setting users have', async () => {
    await seedJobs(moto.endpoint, ['census-a', 'census-b', 'census-c']);
    // The explicit endpoint setting (not only AWS_ENDPOINT_URL) reaches moto.
    const aws = new AwsClients({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    try {
      const sm = await aws.sagemaker();
      const page = await sm.listProcessingJobs();
      assert.deepEqual(page.jobs.map((j) => j.name).sort(), ['census-a', 'census-b', 'census-c']);
      assert.ok(page.jobs.every((j) => j.status === 'Completed' && j.arn.includes(':processing-job/')));
      const d = await sm.describeProcessingJob('census-b');
      assert.equal(d.ProcessingJobName, 'census-b');
      assert.equal(d.AppSpecification?.ImageUri?.endsWith('sagemaker-processing-census:latest'), true);
    } finally {
      aws.dispose();
    }
  });

  it('pages with NextToken and filters by name', async () => {
    await seedJobs(moto.endpoint, Array.from({ length: 7 }, (_, i) => `page-job-${i}`).concat(['other-1']));
    const aws = new AwsClients({});
    try {
      const sm = await aws.sagemaker();
      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const p = await sm.listProcessingJobs({}, token, 3);
        names.push(...p.jobs.map((j) => j.name));
        token = p.nextToken;
        pages++;
      } while (token);
      assert.equal(names.length, 8);
      assert.ok(pages >= 3);
      const filtered = [];
      token = undefined;
      do {
        const p = await sm.listProcessingJobs({ nameContains: 'other' }, token, 100);
        filtered.push(...p.jobs.map((j) => j.name));
        token = p.nextToken;
      } while (token);
      assert.deepEqual(filtered, ['other-1']);
    } finally {
      aws.dispose();
    }
  });

  it('the CLI lists the same jobs (built bundle) and exits non-zero on a bad endpoint', async () => {
    await seedJobs(moto.endpoint, ['cli-job-1', 'cli-job-2']);
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const ok = spawnSync(process.execPath, [cli, 'jobs', '--json'], { env: { ...process.env, ...moto.env }, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout).map((j: { name: string }) => j.name).sort(), ['cli-job-1', 'cli-job-2']);
    const bad = spawnSync(process.execPath, [cli, 'jobs', '--endpoint-url', 'http://127.0.0.1:1'], { env: { ...process.env, LC_ALL: 'C', ...moto.env, AWS_MAX_ATTEMPTS: '1' }, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Cannot reach the AWS endpoint/);
  });
});
