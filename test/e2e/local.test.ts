// End-to-end: "Run Locally in Docker" on preprocessing.py in code-server, with a private dockerd behind DOCKER_HOST:
// live container lines in the job's output channel → the status bar counts the run and notifies when it ends →
// Completed under "Local runs" in the explorer → outputs in the workspace.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { notification, runCommand, type Workbench, openFile, showViewContainer } from '../support/workbench';
import { openCensusSession, type CensusSession } from '../support/session';
import { waitFor } from '../support/net';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

const OUTPUT_BUCKET = 'e2e-local-outputs';

describe('local runs in the workbench (code-server + Chromium + private dockerd)', () => {
  let moto: Moto;
  let docker: Dockerd;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let ws: string;

  before(async () => {
    docker = await startDockerd({ baseImage: true });
    await loadBaseImage(docker);
    moto = await startMoto();
    await withS3(moto, (s3) => s3.send(new CreateBucketCommand({ Bucket: OUTPUT_BUCKET })));
    session = await openCensusSession({
      moto,
      // The extension host reaches the private daemon through DOCKER_HOST; the census build uses the offline base.
      env: { ...docker.env, SMP_BASE_IMAGE: 'local/python-base' },
      settings: {
        'sagemakerProcessing.containerCli': DOCKER_CLI,
        // Outputs without a destination go where the SDK would put them: s3://<default bucket>/<job>/output/<name>.
        'sagemakerProcessing.defaultBucket': OUTPUT_BUCKET,
      },
    });
    ({ wb, ws } = session);
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
    await docker?.stop();
  });

  it('code lens "Run Locally in Docker" → live lines in the output panel → Completed in the explorer → outputs in the workspace', { timeout: 240_000 }, async () => {
    const { page } = wb;
    // Open preprocessing.py with Quick Open.
    await page.locator('.monaco-workbench').click();
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await wb.screenshot('60-local-codelens');
    // The status bar counts the local run while it goes, like a cloud job (watched from before the click: the run is short).
    const statusItem = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /census-preprocessing · (\d+m )?\d+s/ }).first();
    const sawRunning = statusItem.waitFor({ timeout: 120_000 }).then(() => true, () => false);
    await lens.click();

    // Live lines of the container in the job's channel.
    const output = page.locator('.part.panel .monaco-editor .view-lines').first();
    // The panel only renders the lines in view: wait for one that stays visible near the end of a fast run.
    await output.locator('.view-line', { hasText: 'Train data shape after preprocessing' }).waitFor({ timeout: 120_000 }).catch(async (e) => {
      await wb.screenshot('69-local-failure');
      throw e;
    });
    await wb.screenshot('61-local-live-output');
    await output.locator('.view-line', { hasText: '[local] Completed' }).waitFor({ timeout: 120_000 });
    const lines = (await output.locator('.view-line').allTextContents()).map((l) => l.replace(/\u00a0/g, ' '));
    assert.ok(lines.some((l) => /Train data shape after preprocessing: \(\d+, \d+\)/.test(l)), lines.join('\n'));
    const picker = page.locator('.part.panel .monaco-select-box').first();
    const channel = (await picker.getAttribute('title')) ?? (await picker.textContent()) ?? '';
    const job = /SageMaker: (census-preprocessing-[0-9-]+)/.exec(channel)?.[1];
    assert.ok(job, `channel picker shows "${channel}"`);
    await wb.screenshot('62-local-completed-output');

    // The status bar counted it while it ran, and notified when it ended: final status, duration, where the outputs are.
    assert.equal(await sawRunning, true);
    const toast = notification(page, new RegExp(`Local run ${job} completed after \\d[\\d.]* (ms|s|min \\d+ s|h \\d+ min)\\. Outputs: \\.sagemaker-local/${job}`));
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Show Logs' }).count(), 1);
    // "Upload Outputs to S3" puts the outputs where the cloud job would (moto here), with a progress notification.
    await toast.locator('.monaco-button', { hasText: 'Upload Outputs to S3' }).click();
    await notification(page, new RegExp(`Uploaded 4 files, [0-9.]+ [kKM]?B of ${job}'s outputs to S3\\.`)).waitFor({ timeout: 60_000 });
    await wb.screenshot('67-local-outputs-uploaded');
    const uploaded = await withS3(moto, async (s3) => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT_BUCKET }));
      const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
      const body = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: `${job}/output/test_data/test_labels.csv` }));
      return { keys, labels: await body.Body!.transformToString() };
    });
    assert.deepEqual(uploaded.keys, ['test_data/test_features.csv', 'test_data/test_labels.csv', 'train_data/train_features.csv', 'train_data/train_labels.csv'].map((k) => `${job}/output/${k}`));
    // Nothing runs any more: no running count left in the status bar.
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /census-preprocessing · (\d+m )?\d+s/ }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.screenshot('66-local-status-bar');

    // Completed under "Local runs" in the explorer.
    await showViewContainer(page, 'SageMaker Processing');
    await page.getByRole('treeitem', { name: /Local runs/ }).first().waitFor({ timeout: 30_000 });
    const row = page.getByRole('treeitem', { name: new RegExp(job) }).first();
    await row.waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem', { name: new RegExp(job) }).filter({ hasText: 'Completed' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('63-local-explorer-completed');

    // The outputs are in the workspace, and they are the script's real results.
    const out = path.join(ws, '.sagemaker-local', job);
    for (const f of ['train_data/train_features.csv', 'train_data/train_labels.csv', 'test_data/test_features.csv', 'test_data/test_labels.csv']) {
      assert.ok(fs.statSync(path.join(out, f)).size > 0, `${f} missing`);
    }
    const labelsText = fs.readFileSync(path.join(out, 'test_data', 'test_labels.csv'), 'utf8');
    const labels = labelsText.trim().split('\n');
    assert.ok(labels.length > 100 && labels.every((l) => l === '0' || l === '1'));
    assert.equal(uploaded.labels, labelsText, 'the uploaded object is the local output, byte for byte');
    // Nothing of the run is left in the engine.
    assert.equal((await docker.docker(['ps', '-aq', '--filter', 'label=sagemaker-processing.local'])).stdout.trim(), '');

    // The history of local runs survives a window reload.
    // A mark on the old page tells when the new one is there (on a loaded machine the old workbench lingers).
    await page.evaluate(() => ((globalThis as { smpBeforeReload?: boolean }).smpBeforeReload = true));
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForFunction(() => !(globalThis as { smpBeforeReload?: boolean }).smpBeforeReload, undefined, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The restored window brings its sidebar back on its own time: open the view container whenever it is not (yet)
    // open, until the run's row shows.
    const restored = page.getByRole('treeitem', { name: new RegExp(job) }).filter({ hasText: 'Completed' }).first();
    await waitFor('the local run in the restored jobs view', async () => {
      if (await restored.isVisible()) return true;
      await showViewContainer(page, 'SageMaker Processing');
      return false;
    }, 60_000, 500);
    await wb.screenshot('65-local-history-after-reload');
  });
});

async function withS3<T>(moto: Moto, fn: (s3: S3Client) => Promise<T>): Promise<T> {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  try {
    return await fn(s3);
  } finally {
    s3.destroy();
  }
}
