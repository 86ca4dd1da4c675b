// Submission against moto: the bytes land at the SDK's keys, the bucket is created, DescribeProcessingJob shows the
// request, sourceDir archives hold the folder, framework URIs per region, validation before any call, cancellation.
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { startProxy, type ScriptedProxy } from '../support/proxy';
import { scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { Cancelled, ImageNotFoundError, submitJob } from '../../src/core/submit';
import { seedEcrImage } from '../support/ecrSeed';
import { DefinitionError } from '../../src/core/definition/types';
import { censusCopy } from '../support/workspace';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const BUCKET = 'sagemaker-us-east-1-123456789012';

function workspace(): string {
  return censusCopy('submit-ws');
}

async function getObject(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('submit a job definition to moto', () => {
  let moto: Moto;
  let restore: () => void;
  let aws: AwsClients;
  let s3: S3Client;
  let ws: string;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    ws = workspace();
  });
  after(async () => {
    restore?.();
    await moto?.stop();
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  });
  beforeEach(async () => {
    await moto.reset();
    aws?.dispose();
    s3?.destroy();
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    s3 = (await aws.s3()).client;
  });

  it('ScriptProcessor: creates the default bucket, uploads code and inputs at the SDK keys, and creates the job as sent', async () => {
    const text = JSON.stringify({
      version: '1',
      defaults: { role: ROLE, instanceType: 'ml.m5.xlarge' },
      jobs: {
        census: {
          script: 'preprocessing.py', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest', baseJobName: 'census',
          inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
          outputs: [{ name: 'train_data', source: '/opt/ml/processing/train' }],
          arguments: ['--train-test-split-ratio', '0.2'],
        },
      },
    });
    await seedEcrImage(moto.endpoint, 'us-east-1', 'sagemaker-processing-census', 'latest');
    const progress: number[] = [];
    const r = await submitJob(awsSubmitPorts(aws), {
      definitionText: text, workspaceFolder: ws, scriptPath: path.join(ws, 'preprocessing.py'),
      onProgress: (p) => p.fraction !== undefined && progress.push(p.fraction),
    });
    assert.ok(r);
    assert.equal(r.createdBucket, true);
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    const name = r.job.jobName;
    assert.match(name, /^census-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/);
    assert.match(r.arn, new RegExp(`processing-job/${name}$`));
    assert.deepEqual(await getObject(s3, BUCKET, `${name}/input/code/preprocessing.py`), fs.readFileSync(path.join(ws, 'preprocessing.py')));
    assert.deepEqual(await getObject(s3, BUCKET, `${name}/input/census/census-income.csv`), fs.readFileSync(path.join(ws, 'data', 'census-income.csv')));
    assert.equal(progress.at(-1), 1);

    const d = await (await aws.sagemaker()).describeProcessingJob(name);
    assert.equal(d.RoleArn, ROLE);
    assert.deepEqual(d.AppSpecification, {
      ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest',
      ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'],
      ContainerArguments: ['--train-test-split-ratio', '0.2'],
    });
    assert.deepEqual(d.ProcessingInputs?.map((i) => [i.InputName, i.S3Input?.S3Uri, i.S3Input?.LocalPath, i.S3Input?.S3InputMode, i.S3Input?.S3DataDistributionType]), [
      ['census', `s3://${BUCKET}/${name}/input/census/census-income.csv`, '/opt/ml/processing/input', 'File', 'FullyReplicated'],
      ['code', `s3://${BUCKET}/${name}/input/code/preprocessing.py`, '/opt/ml/processing/input/code', 'File', 'FullyReplicated'],
    ]);
    assert.deepEqual(d.ProcessingOutputConfig?.Outputs?.map((o) => [o.OutputName, o.S3Output?.S3Uri, o.S3Output?.S3UploadMode]), [
      ['train_data', `s3://${BUCKET}/${name}/output/train_data`, 'EndOfJob'],
    ]);

    // A second run reuses the bucket.
    const again = await submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: ws, jobKey: 'census' });
    assert.equal(again?.createdBucket, false);
  });

  it('FrameworkProcessor sourceDir: sourcedir.tar.gz holds the folder, runproc.sh installs requirements and runs the script', async () => {
    const src = path.join(ws, 'src');
    fs.mkdirSync(path.join(src, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(src, 'main.py'), 'from lib import helper\n');
    fs.writeFileSync(path.join(src, 'lib', 'helper.py'), 'X = 1\n');
    fs.writeFileSync(path.join(src, 'requirements.txt'), 'pandas\n');
    const text = JSON.stringify({ version: '1', jobs: { sd: { script: 'main.py', sourceDir: 'src', framework: { name: 'sklearn', version: '1.2-1' }, role: ROLE, arguments: ['--a'] } } });
    const r = await submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: ws, jobKey: 'sd' });
    assert.ok(r);
    const name = r.job.jobName;
    assert.match(name, /^sklearn-/, 'FrameworkProcessor names the job after its framework, like the SDK');
    const tarFile = path.join(scratchDir('tar'), 'sourcedir.tar.gz');
    fs.writeFileSync(tarFile, await getObject(s3, BUCKET, `${name}/source/sourcedir.tar.gz`));
    const listing = spawnSync('tar', ['-tzf', tarFile], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    assert.deepEqual(listing.stdout.trim().split('\n').sort(), ['lib/helper.py', 'main.py', 'requirements.txt']);
    const out = path.join(path.dirname(tarFile), 'x');
    fs.mkdirSync(out);
    assert.equal(spawnSync('tar', ['-xzf', tarFile, '-C', out]).status, 0);
    assert.equal(fs.readFileSync(path.join(out, 'lib', 'helper.py'), 'utf8'), 'X = 1\n');
    const runproc = (await getObject(s3, BUCKET, `${name}/source/runproc.sh`)).toString('utf8');
    assert.match(runproc, /^ {4}python -m pip install -r requirements\.txt$/m);
    assert.match(runproc, /^python main\.py "\$@"$/m);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${name}/source/sourcedir.tar.gz` }));
    assert.equal(head.ServerSideEncryption, 'aws:kms', 'sourcedir.tar.gz is stored with SSE-KMS like the SDK stores it');
    const d = await (await aws.sagemaker()).describeProcessingJob(name);
    assert.deepEqual(d.AppSpecification?.ContainerEntrypoint, ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh']);
    assert.equal(d.AppSpecification?.ImageUri, '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    assert.deepEqual(d.ProcessingInputs?.map((i) => i.InputName), ['code', 'entrypoint']);
  });

  it('framework images resolve per region (eu-west-1 bucket is created with its location)', async () => {
    const euAws = new AwsClients({ endpointUrl: moto.endpoint, region: 'eu-west-1' });
    try {
      const text = JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { x: { script: 'preprocessing.py', framework: { name: 'xgboost', version: '1.7-1' } }, p: { script: 'preprocessing.py', framework: { name: 'pytorch', version: '2.0.1' } } } });
      const x = await submitJob(awsSubmitPorts(euAws), { definitionText: text, workspaceFolder: ws, jobKey: 'x' });
      const p = await submitJob(awsSubmitPorts(euAws), { definitionText: text, workspaceFolder: ws, jobKey: 'p' });
      const sm = await euAws.sagemaker();
      assert.equal((await sm.describeProcessingJob(x!.job.jobName)).AppSpecification?.ImageUri, '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
      assert.equal((await sm.describeProcessingJob(p!.job.jobName)).AppSpecification?.ImageUri, '763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:2.0.1-cpu-py310');
      const objs = await (await euAws.s3()).listObjects('sagemaker-eu-west-1-123456789012', x!.job.jobName);
      assert.deepEqual(objs.map((o) => o.key), [`${x!.job.jobName}/input/code/preprocessing.py`]);
    } finally {
      euAws.dispose();
    }
  });

  it('a bad definition fails before any API call; a cancelled upload creates no job', async () => {
    const proxy: ScriptedProxy = await startProxy(moto.endpoint);
    const viaProxy = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    try {
      const bad = JSON.stringify({ version: '1', jobs: { census: { script: 'preprocessing.py', image: 'img:1', role: ROLE, inputs: [{ source: 'data/nope.csv', destination: '/opt/ml/processing/input' }] } } });
      await assert.rejects(submitJob(awsSubmitPorts(viaProxy), { definitionText: bad, workspaceFolder: ws, jobKey: 'census' }),
        (e: unknown) => e instanceof DefinitionError && /jobs\.census\.inputs\[0\]\.source: local file not found/.test(e.message));
      assert.equal(proxy.requests.length, 0, "no request reached AWS");

      const big = path.join(ws, 'data', 'big.bin');
      fs.writeFileSync(big, Buffer.alloc(24 * 1024 * 1024, 7));
      const ok = JSON.stringify({ version: '1', jobs: { census: { script: 'preprocessing.py', image: 'img:1', role: ROLE, inputs: [{ name: 'big', source: 'data/big.bin', destination: '/opt/ml/processing/input' }] } } });
      const ac = new AbortController();
      await assert.rejects(submitJob(awsSubmitPorts(viaProxy), {
        definitionText: ok, workspaceFolder: ws, jobKey: 'census', signal: ac.signal,
        onProgress: (p) => { if (p.message.startsWith('Uploading big')) ac.abort(); },
      }), Cancelled);
      fs.rmSync(big);
      assert.equal(proxy.requests.some((r) => r.action === 'CreateProcessingJob'), false);
      assert.deepEqual((await (await aws.sagemaker()).listProcessingJobs()).jobs, []);
    } finally {
      viaProxy.dispose();
      await proxy.stop();
    }
  });

  it('an ECR image whose repository or tag is missing is reported before any upload; a present one submits', async () => {
    const proxy: ScriptedProxy = await startProxy(moto.endpoint);
    const viaProxy = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    const uploads: string[] = [];
    proxy.onRequest = (r) => r.method === 'PUT' && /^\/[^/?]+\/[^?]/.test(r.path) && uploads.push(r.path);
    const def = (image: string) => JSON.stringify({ version: '1', jobs: { j: { script: 'preprocessing.py', image, role: ROLE } } });
    try {
      const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/team-image';
      await assert.rejects(submitJob(awsSubmitPorts(viaProxy), { definitionText: def(`${repo}:v1`), workspaceFolder: ws, jobKey: 'j' }),
        (e: unknown) => e instanceof ImageNotFoundError && /no repository "team-image" in account 123456789012/.test(e.message));
      await seedEcrImage(moto.endpoint, 'us-east-1', 'team-image', 'v0');
      await assert.rejects(submitJob(awsSubmitPorts(viaProxy), { definitionText: def(`${repo}:v1`), workspaceFolder: ws, jobKey: 'j' }),
        (e: unknown) => e instanceof ImageNotFoundError && /has no image tagged "v1"/.test(e.message));
      assert.deepEqual(uploads, [], 'nothing was uploaded for a missing image');
      assert.equal(proxy.count('CreateProcessingJob'), 0);
      assert.ok(proxy.count('DescribeImages') >= 2, 'the product asks ECR (DescribeImages)');
      const digest = await seedEcrImage(moto.endpoint, 'us-east-1', 'team-image', 'v1');
      const ok = await submitJob(awsSubmitPorts(viaProxy), { definitionText: def(`${repo}@${digest}`), workspaceFolder: ws, jobKey: 'j' });
      assert.equal(ok?.request.AppSpecification.ImageUri, `${repo}@${digest}`);
      assert.equal(proxy.count('CreateProcessingJob'), 1);
    } finally {
      viaProxy.dispose();
      await proxy.stop();
    }
  });

  it('the big file goes up in parts (multipart) and lands intact', async () => {
    const big = path.join(ws, 'data', 'big2.bin');
    const data = Buffer.alloc(17 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    fs.writeFileSync(big, data);
    try {
      const text = JSON.stringify({ version: '1', jobs: { census: { script: 'preprocessing.py', image: 'img:1', role: ROLE, inputs: [{ name: 'big', source: 'data/big2.bin', destination: '/opt/ml/processing/input' }] } } });
      const r = await submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: ws, jobKey: 'census' });
      const got = await getObject(s3, BUCKET, `${r!.job.jobName}/input/big/big2.bin`);
      assert.equal(got.length, data.length);
      assert.ok(got.equals(data));
      const head = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${r!.job.jobName}/input/big/` }));
      assert.match(head.Contents?.[0].ETag ?? '', /-\d+"?$/, 'a multipart ETag');
    } finally {
      fs.rmSync(big);
    }
  });
});
