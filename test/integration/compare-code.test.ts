// Issue 22 item 10: Compare shows what changed in the code, not only the code object's ETag — the script text of each
// side (a job's uploaded code object read back from S3; the definition's local file) against moto.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { AwsClients } from '../../src/aws/index';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { prepareJob, submitJob } from '../../src/core/submit';
import { comparisonText, jobScriptText, scriptCodeObject } from '../../src/core/compare';
import { censusCopy } from '../support/workspace';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const definition = JSON.stringify({
  version: '1',
  defaults: { role: ROLE, instanceType: 'ml.m5.xlarge', framework: { name: 'sklearn', version: '1.2-1' } },
  jobs: {
    census: { script: 'preprocessing.py', baseJobName: 'census' },
    packaged: { script: 'main.py', sourceDir: 'src', baseJobName: 'packaged' },
  },
});

describe('Compare: the code itself', () => {
  let moto: Moto;
  let restore: () => void;
  let aws: AwsClients;
  let ws: string;
  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    ws = censusCopy('compare-code');
    fs.mkdirSync(path.join(ws, 'src'));
    fs.writeFileSync(path.join(ws, 'src', 'main.py'), 'print("packaged")\n');
  });
  after(async () => {
    aws?.dispose();
    restore?.();
    await moto?.stop();
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('two runs of a changed script: each side reads back its own script from S3; the definition side is the local file', async () => {
    const script = path.join(ws, 'preprocessing.py');
    const v1 = fs.readFileSync(script, 'utf8');
    const first = await submitJob(awsSubmitPorts(aws), { definitionText: definition, workspaceFolder: ws, jobKey: 'census' });
    const v2 = v1.replace('import argparse', 'import argparse  # changed for the second run');
    assert.notEqual(v2, v1, 'the edit took');
    fs.writeFileSync(script, v2);
    const second = await submitJob(awsSubmitPorts(aws), { definitionText: definition, workspaceFolder: ws, jobKey: 'census' });
    assert.ok(first && second);
    const sm = await aws.sagemaker();
    const s3 = await aws.s3();
    const [a, b] = [await sm.describeProcessingJob(first.job.jobName), await sm.describeProcessingJob(second.job.jobName)];
    const codeA = await jobScriptText(s3, a);
    const codeB = await jobScriptText(s3, b);
    assert.deepEqual(codeA, { fileName: 'preprocessing.py', text: v1 });
    assert.deepEqual(codeB, { fileName: 'preprocessing.py', text: v2 });
    // The request diff alone: the same text once the job names are generic (only an ETag would tell them apart).
    assert.equal(comparisonText(a), comparisonText(b));
    // The definition side: the local script at the code object's URI, as it would be uploaded.
    fs.writeFileSync(script, v2 + '# not yet run\n');
    const prepared = await prepareJob(awsSubmitPorts(aws), { definitionText: definition, workspaceFolder: ws, jobKey: 'census' });
    const code = scriptCodeObject(prepared!.request);
    const upload = prepared!.uploads.find((u) => `s3://${u.bucket}/${u.key}` === code?.uri);
    assert.ok(upload && 'file' in upload.body, 'the script is uploaded from its file');
    assert.equal(fs.readFileSync((upload.body as { file: string }).file, 'utf8'), v2 + '# not yet run\n');
  });

  it('a sourceDir job\'s code is an archive: no text side (the ETag in the request diff says it changed)', async () => {
    const r = await submitJob(awsSubmitPorts(aws), { definitionText: definition, workspaceFolder: ws, jobKey: 'packaged' });
    const d = await (await aws.sagemaker()).describeProcessingJob(r!.job.jobName);
    assert.equal(scriptCodeObject(d), undefined);
    assert.equal(await jobScriptText(await aws.s3(), d), undefined);
  });

  it('a code object that is gone: no text side, no error', async () => {
    const r = await submitJob(awsSubmitPorts(aws), { definitionText: definition, workspaceFolder: ws, jobKey: 'census' });
    const s3 = await aws.s3();
    const d = await (await aws.sagemaker()).describeProcessingJob(r!.job.jobName);
    const key = `${r!.job.jobName}/input/code/preprocessing.py`;
    assert.deepEqual(await s3.deleteObjects(r!.job.bucket, [key]), []);
    assert.equal(await jobScriptText(s3, d), undefined);
  });
});
