// Submission when CreateProcessingJob goes wrong, against moto behind the scripted proxy: an answer lost on the way
// back (the SDK retries; real SageMaker then says ResourceInUse for the name we just sent) is one job, reported as
// submitted once; a rejected Create leaves no uploaded objects behind; when it cannot tell, the message says where.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { answerLost, onAction } from '../support/proxy';
import { censusDefinition, proxiedSubmitSuite, resourceInUse } from '../support/proxiedSubmit';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { explainAwsError } from '../../src/aws/errors';
import { submitJob } from '../../src/core/submit';
import { runCli } from '../support/proc';

const BUCKET = 'sagemaker-us-east-1-123456789012';
const definition = (args: string[] = ['--x', '1']) => censusDefinition({ arguments: args });

async function keysUnder(s3: S3Client, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe('submit: lost answers and rejected creates (moto behind the proxy)', () => {
  const s = proxiedSubmitSuite('submit-faults');

  it('the first Create answer is lost, the retry gets ResourceInUse: reported as submitted once, and one job exists', async () => {
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: answerLost(), times: 1 });
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: resourceInUse(), times: 1 });
    const progress: string[] = [];
    const r = await submitJob(awsSubmitPorts(s.aws), {
      definitionText: definition(), workspaceFolder: s.ws, jobKey: 'census', onProgress: (p) => progress.push(p.message),
    });
    assert.ok(r);
    assert.equal(r.recovered, true);
    assert.match(r.arn, new RegExp(`processing-job/${r.job.jobName}$`, 'i'));
    assert.deepEqual(s.proxy.requests.filter((q) => q.action === 'CreateProcessingJob').map((q) => q.outcome), ['forwardThenReset', 'respond']);
    assert.equal(s.proxy.count('DescribeProcessingJob'), 1);
    assert.ok(progress.some((m) => /answer to CreateProcessingJob was lost/.test(m)), progress.join('\n'));
    const jobs = (await (await s.direct.sagemaker()).listProcessingJobs()).jobs;
    assert.deepEqual(jobs.map((j) => j.name), [r.job.jobName], 'exactly one job in moto');
    // The uploads the job needs are still there.
    assert.deepEqual(await keysUnder((await s.direct.s3()).client, `${r.job.jobName}/`), [
      `${r.job.jobName}/input/census/census-income.csv`, `${r.job.jobName}/input/code/preprocessing.py`,
    ]);
  });

  it('ResourceInUse for a job of that name that is not ours (other arguments) is a failure, and its objects are left in place, named', async () => {
    // Someone else's job already has the name (moto keeps it); our Create is refused on its first try.
    const first = await submitJob(awsSubmitPorts(s.direct), { definitionText: definition(['--other']), workspaceFolder: s.ws, jobKey: 'census', now: new Date('2026-01-02T03:04:05.678Z') });
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: resourceInUse(), times: 1 });
    const err = await submitJob(awsSubmitPorts(s.aws), { definitionText: definition(), workspaceFolder: s.ws, jobKey: 'census', now: new Date('2026-01-02T03:04:05.678Z') }).then(
      () => assert.fail('should have been refused'), (e: unknown) => e);
    const msg = explainAwsError(err);
    assert.match(msg, /ResourceInUse/);
    assert.match(msg, new RegExp(`left in place \\(a different job named ${first!.job.jobName} exists\\): s3://${BUCKET}/${first!.job.jobName}/input/`));
    assert.equal((await (await s.direct.sagemaker()).describeProcessingJob(first!.job.jobName)).AppSpecification?.ContainerArguments?.[0], '--other');
    assert.equal(s.proxy.count('DeleteObjects'), 0);
  });

  it('a rejected Create removes the objects this attempt uploaded, and says so', async () => {
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: { kind: 'status', status: 400, body: { __type: 'ValidationException', message: 'injected: the role cannot be assumed' } } });
    let name = '';
    const err = await submitJob(awsSubmitPorts(s.aws), {
      definitionText: definition(), workspaceFolder: s.ws, jobKey: 'census',
      onProgress: (p) => { name = /^Creating (\S+)/.exec(p.message)?.[1] ?? name; },
    }).then(() => assert.fail('should have been rejected'), (e: unknown) => e);
    assert.ok(name, 'reached Create');
    const msg = explainAwsError(err);
    assert.match(msg, /ValidationException: injected: the role cannot be assumed/);
    assert.match(msg, /The 2 objects uploaded for it were removed\./);
    assert.deepEqual(await keysUnder((await s.direct.s3()).client, `${name}/`), [], 'nothing left in moto\'s S3');
    assert.deepEqual((await (await s.direct.sagemaker()).listProcessingJobs()).jobs, []);
  });

  it('the CLI: `run` with a lost Create answer prints the job once and exits 0; one job exists', async () => {
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: answerLost(), times: 1 });
    s.proxy.add({ match: onAction('CreateProcessingJob'), action: resourceInUse(), times: 1 });
    fs.mkdirSync(path.join(s.ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(s.ws, '.vscode', 'sagemaker-processing.json'), definition());
    const { status: code, stdout, stderr, timedOut } = await runCli(['run', 'census', '--json'], { cwd: s.ws, env: { ...process.env, ...s.moto.env, AWS_ENDPOINT_URL: s.proxy.url }, timeoutMs: 60_000 });
    assert.ok(!timedOut, `CLI did not end in 60 s: ${stderr}`);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, stdout);
    const printed = JSON.parse(lines[0]) as { name: string; arn: string };
    const jobs = (await (await s.direct.sagemaker()).listProcessingJobs()).jobs;
    assert.deepEqual(jobs.map((j) => j.name), [printed.name]);
    assert.match(printed.arn, /processing-job\//);
  });
});
