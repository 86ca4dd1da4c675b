// End-to-end for two rough edges of #17, in code-server + Chromium against moto (and a private dockerd):
// - "Copy Job ARN" says so in the status bar, and the clipboard holds the job's ARN (as moto reports it);
// - "Upload Outputs to S3" after a local run started from the UI, with no bucket setting: the outputs land in the
//   SDK's default bucket (sagemaker-<region>-<account>, which exists already, as in the issue) under
//   <job>/output/<name>/, read back with the S3 API.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeProcessingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startMoto, TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { clickMenuItem, notification, openFile, runCommand, showViewContainer, type Workbench } from '../support/workbench';
import { seedJobs } from '../support/seed';
import { openCensusSession, type CensusSession } from '../support/session';

const JOB = 'census-preprocessing-2026-11-27-11-00-00-000';
const DEFAULT_BUCKET = `sagemaker-${TEST_REGION}-${TEST_ACCOUNT}`;
/** The browser's clipboard (the tsconfig has no DOM types: the page's globals are typed here). */
type BrowserClipboard = { navigator: { clipboard: { readText(): Promise<string>; writeText(t: string): Promise<void> } } };
const credentials = { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY };

describe('rough edges in the workbench: Copy Job ARN, Upload Outputs to the default bucket', () => {
  let moto: Moto;
  let docker: Dockerd;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let s3: S3Client;

  before(async () => {
    docker = await startDockerd({ baseImage: true });
    await loadBaseImage(docker);
    moto = await startMoto();
    s3 = new S3Client({ region: TEST_REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
    // The default bucket exists already (a cloud run made it): the upload must use it.
    await s3.send(new CreateBucketCommand({ Bucket: DEFAULT_BUCKET }));
    session = await openCensusSession({
      moto,
      scratch: 'ws-rough-edges',
      env: { ...docker.env, SMP_BASE_IMAGE: 'local/python-base' },
      // No `defaultBucket` setting: the extension finds the account (STS) and so the SDK's default bucket.
      settings: { 'sagemakerProcessing.containerCli': DOCKER_CLI },
    });
    wb = session.wb;
    await wb.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.cs.url });
  });
  afterEach(async (t) => {
    if (wb && (t as unknown as { passed?: boolean }).passed === false) await wb.screenshot(`rough-failed-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  after(async () => {
    s3?.destroy();
    await session?.stop();
    await moto?.stop();
    await docker?.stop();
  });

  it('Copy Job ARN: a confirmation in the status bar, and the ARN in the clipboard', async () => {
    const { page } = wb;
    await seedJobs(moto.endpoint, [JOB]);
    const sm = new SageMakerClient({ region: TEST_REGION, endpoint: moto.endpoint, credentials });
    const arn = (await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: JOB }))).ProcessingJobArn!;
    sm.destroy();
    assert.match(arn, new RegExp(`^arn:aws:sagemaker:${TEST_REGION}:${TEST_ACCOUNT}:processing-job/${JOB}$`));
    // Something else in the clipboard first, so the test sees the copy happen.
    await page.evaluate(() => (globalThis as unknown as BrowserClipboard).navigator.clipboard.writeText('before'));
    await showViewContainer(page, 'SageMaker Processing');
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const row = page.getByRole('treeitem', { name: new RegExp(JOB) }).first();
    await row.waitFor();
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Copy Job ARN');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: `Copied job ARN ${arn}` }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as BrowserClipboard).navigator.clipboard.readText()), arn);
    await wb.screenshot('90-copied-job-arn');
  });

  it('a local run from the code lens, then "Upload Outputs to S3": the outputs are in the default bucket', { timeout: 300_000 }, async () => {
    const { page } = wb;
    await page.locator('.part.sidebar').first().click();
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    const toast = notification(page, /Local run census-preprocessing-[0-9-]+ completed/);
    await toast.waitFor({ timeout: 240_000 });
    const job = /Local run (census-preprocessing-[0-9-]+) completed/.exec((await toast.textContent()) ?? '')?.[1];
    assert.ok(job);
    await toast.locator('.monaco-button', { hasText: 'Upload Outputs to S3' }).click();
    await notification(page, new RegExp(`Uploaded 4 files, [0-9.]+ [kKM]?B of ${job}'s outputs to S3\\.`)).waitFor({ timeout: 60_000 });
    await wb.screenshot('91-local-outputs-uploaded-default-bucket');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: DEFAULT_BUCKET, Prefix: `${job}/output/` }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
    assert.deepEqual(keys, ['test_data/test_features.csv', 'test_data/test_labels.csv', 'train_data/train_features.csv', 'train_data/train_labels.csv'].map((k) => `${job}/output/${k}`));
    // The uploaded object is the local output, byte for byte.
    const body = await s3.send(new GetObjectCommand({ Bucket: DEFAULT_BUCKET, Key: `${job}/output/test_data/test_labels.csv` }));
    const local = fs.readFileSync(path.join(session!.ws, '.sagemaker-local', job, 'test_data', 'test_labels.csv'), 'utf8');
    assert.equal(await body.Body!.transformToString(), local);
    assert.ok(local.trim().split('\n').length > 100);
  });
});
