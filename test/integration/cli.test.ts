// The CLI over the same core, against moto: run (with --wait, --dry-run), describe, stop, and its exit codes.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { onAction, startProxy, type ScriptedProxy } from '../support/proxy';
import { scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { seedEcrImage } from '../support/ecrSeed';
import { censusCopy } from '../support/workspace';
import { cliIn } from '../support/proc';

const cli = cliIn;

describe('sagemaker-processing CLI', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let ws: string;
  let aws: AwsClients;
  let restore: () => void;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    ws = censusCopy('cli-ws');
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    // The example's image is looked up in ECR before submitting: it is there.
    await seedEcrImage(moto.endpoint, 'us-east-1', 'sagemaker-processing-census', 'latest');
  });
  after(async () => {
    aws?.dispose();
    restore?.();
    await proxy?.stop();
    await moto?.stop();
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('runs the example job by name from its folder, waits, and the job is in SageMaker as sent', async () => {
    const r = await cli(['run', '--no-build', 'census-preprocessing', '--wait', '--poll', '0.1'], moto.env, ws);
    assert.equal(r.status, 0, r.stderr);
    const name = r.stdout.trim();
    assert.match(name, /^census-preprocessing-\d{4}(-\d{2}){5}-\d{3}$/);
    assert.match(r.stderr, /Uploading preprocessing\.py/);
    assert.match(r.stderr, /: Completed/);
    const d = await (await aws.sagemaker()).describeProcessingJob(name);
    assert.equal(d.AppSpecification?.ImageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest');
    assert.deepEqual(d.AppSpecification?.ContainerArguments, ['--train-test-split-ratio', '0.2']);
    const described = await cli(['describe', name], moto.env);
    assert.equal(described.status, 0, described.stderr);
    assert.equal(JSON.parse(described.stdout).ProcessingJobName, name);
  });

  it('runs by script path with --definition, prints JSON; --dry-run only prints the request', async () => {
    const def = path.join(ws, '.vscode', 'sagemaker-processing.json');
    const dry = await cli(['run', path.join(ws, 'preprocessing.py'), '--definition', def, '--dry-run'], moto.env);
    assert.equal(dry.status, 0, dry.stderr);
    const req = JSON.parse(dry.stdout);
    assert.deepEqual(req.AppSpecification.ContainerEntrypoint, ['python3', '/opt/ml/processing/input/code/preprocessing.py']);
    const listed = await (await aws.sagemaker()).listProcessingJobs({ nameContains: req.ProcessingJobName });
    assert.deepEqual(listed.jobs, [], 'dry run submits nothing');
    const r = await cli(['run', '--no-build', path.join(ws, 'preprocessing.py'), '--definition', def, '--json'], moto.env);
    assert.equal(r.status, 0, r.stderr);
    const { name, arn } = JSON.parse(r.stdout);
    assert.match(arn, new RegExp(`processing-job/${name}$`));
  });

  it('exits 1 with the failure reason when the job fails', async () => {
    proxy.add({ match: onAction('DescribeProcessingJob'), action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobStatus: 'Failed', FailureReason: 'AlgorithmError: ValueError: bad ratio' }) } });
    try {
      const r = await cli(['run', '--no-build', 'census-preprocessing', '--wait', '--poll', '0.1', '--endpoint-url', proxy.url], moto.env, ws);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /Failed: AlgorithmError: ValueError: bad ratio/);
    } finally {
      proxy.clearRules();
    }
  });

  it('--wait polls through the SDK waiter while the job runs (InProgress, Stopping) and reports how it ended', async () => {
    // moto ends a job at once; the proxy plays a lifecycle: three InProgress answers, one Stopping, then Stopped.
    const phases = ['InProgress', 'InProgress', 'InProgress', 'Stopping'];
    proxy.add({ match: onAction('DescribeProcessingJob'), times: phases.length, action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobStatus: phases.shift() }) } });
    proxy.add({ match: onAction('DescribeProcessingJob'), action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobStatus: 'Stopped' }) } });
    try {
      const before = proxy.requests.length;
      const r = await cli(['run', '--no-build', 'census-preprocessing', '--wait', '--poll', '0.05', '--endpoint-url', proxy.url], moto.env, ws);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /: Stopped\n/);
      const describes = proxy.requests.slice(before).filter((q) => q.action === 'DescribeProcessingJob').length;
      assert.equal(describes, 5, 'one describe per phase, then the one that saw it end');
    } finally {
      proxy.clearRules();
    }
  });

  it('exits 2 naming the field for a bad definition (no API call), 1 for AWS errors, 2 for usage', async () => {
    const bad = path.join(scratchDir('cli-bad'), 'defs.json');
    fs.writeFileSync(bad, JSON.stringify({ version: '1', jobs: { j: { script: 'preprocessing.py', image: 'img:1', role: 'no pe', instanceCount: 0 } } }, null, 2));
    const before = proxy.requests.length;
    const r = await cli(['run', 'j', '--definition', bad, '--folder', ws, '--endpoint-url', proxy.url], moto.env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /defs\.json:\d+:\d+: jobs\.j\.role: "no pe" is not an IAM role ARN/);
    assert.match(r.stderr, /jobs\.j\.instanceCount: must be between 1 and 100 \(got 0\)/);
    assert.equal(proxy.requests.length, before);
    const missing = await cli(['describe', 'no-such-job'], moto.env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /error: /);
    const noName = await cli(['stop'], moto.env);
    assert.equal(noName.status, 2);
    const unknownJob = await cli(['run', 'nope'], moto.env, ws);
    assert.equal(unknownJob.status, 2);
    assert.match(unknownJob.stderr, /no job "nope"; defined: census-preprocessing/);
  });

  it('stop reaches StopProcessingJob', async () => {
    const r = await cli(['run', '--no-build', 'census-preprocessing', '--endpoint-url', proxy.url], moto.env, ws);
    assert.equal(r.status, 0, r.stderr);
    const stop = await cli(['stop', r.stdout.trim(), '--endpoint-url', proxy.url], moto.env);
    assert.equal(proxy.requests.at(-1)?.action, 'StopProcessingJob');
    // moto refuses to stop a job that is already Completed; either way the CLI reports it.
    assert.ok(stop.status === 0 ? /Stopping/.test(stop.stdout) : /error: /.test(stop.stderr), stop.stdout + stop.stderr);
  });
});
