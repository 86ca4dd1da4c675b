// The job page in the workbench, on the demo's stack (startLocalCloud: moto + private dockerd + the local SageMaker
// backend): the census job really runs in containers whose stats the backend puts to moto's CloudWatch; its page,
// opened from the explorer's context menu, shows the timeline, a cost from the Price List (the backend's fixture)
// and CPU/memory/disk charts with those samples; an output CSV opens from S3 in one click. Light, dark, high contrast
// and Japanese screenshots (test-results/screenshots/80-…).
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { AwsClients } from '../../src/aws/index';
import type { ProcessingJobDescription } from '../../src/aws/sagemaker';
import { TEST_ACCOUNT, TEST_REGION, useMotoEnv } from '../support/moto';
import { waitFor } from '../support/net';
import { ROOT } from '../support/paths';
import { openCensusSession, type CensusSession } from '../support/session';
import { startLocalCloud, type LocalCloud } from '../support/localSageMaker/stack';
import { clickMenuItem, paletteCommand, showViewContainer } from '../support/workbench';

const BUCKET = 'jobpage-e2e';
const ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`;

/** The job page's document: the webview's outer frame, then its active inner frame. */
function pageFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

async function setTheme(page: Page, theme: string, bodyClass: string, frame: FrameLocator): Promise<void> {
  await paletteCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(theme);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${theme}$`) }) }).first();
  await row.waitFor();
  await row.click();
  await frame.locator(`body.${bodyClass}`).waitFor({ timeout: 30_000 });
  // Drawn again in the new theme's colours (the page re-renders on the class change).
  await frame.locator('body[data-rendered="full"] .plot canvas').first().waitFor();
}

async function openJobPage(page: Page, job: string, menuLabel: string): Promise<FrameLocator> {
  await showViewContainer(page, 'SageMaker Processing');
  const row = page.getByRole('treeitem', { name: new RegExp(job) }).first();
  await row.waitFor({ timeout: 60_000 });
  await row.click({ button: 'right' });
  const clicked = Date.now();
  await clickMenuItem(page, menuLabel);
  const frame = pageFrame(page);
  // Measured, never asserted (timings live in the bench): the click to the page's header, then to everything.
  await frame.locator('body[data-rendered] h1').waitFor({ timeout: 90_000 });
  const header = Date.now() - clicked;
  await frame.locator('body[data-rendered="full"]').waitFor({ timeout: 90_000 });
  console.log(`    (job page: header ${header} ms, metrics, price and outputs ${Date.now() - clicked} ms after the click, hover pause of the menu included)`);
  return frame;
}

describe('the job page in the workbench (local SageMaker backend, census job)', () => {
  let cloud: LocalCloud;
  let aws: AwsClients;
  let restoreEnv: () => void;
  let job: string;
  let described: ProcessingJobDescription;
  let session: CensusSession | undefined;

  before(async () => {
    cloud = await startLocalCloud({ registry: false, backend: { metricsIntervalMs: 500 } });
    restoreEnv = useMotoEnv(cloud.moto);
    aws = new AwsClients({ endpointUrl: cloud.endpoint, region: TEST_REGION });
    const [sm, s3] = await Promise.all([aws.sagemaker(), aws.s3()]);
    await s3.ensureBucket(BUCKET, TEST_REGION);
    job = `census-preprocessing-${Date.now().toString(36)}`;
    await s3.upload(BUCKET, `${job}/input/census/census-income.csv`, fs.readFileSync(path.join(ROOT, 'examples', 'census', 'data', 'census-income.csv')));
    await s3.upload(BUCKET, `${job}/input/code/preprocessing.py`, fs.readFileSync(path.join(ROOT, 'examples', 'census', 'preprocessing.py')));
    await sm.createProcessingJob({
      ProcessingJobName: job,
      RoleArn: ROLE,
      AppSpecification: { ImageUri: 'local/python-base:latest', ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'], ContainerArguments: ['--train-test-split-ratio', '0.2'] },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      ProcessingInputs: [
        { InputName: 'census', S3Input: { S3Uri: `s3://${BUCKET}/${job}/input/census`, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
        { InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/${job}/input/code/preprocessing.py`, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
      ],
      ProcessingOutputConfig: { Outputs: ['train', 'test'].map((s) => ({ OutputName: `${s}_data`, S3Output: { S3Uri: `s3://${BUCKET}/${job}/output/${s}_data`, LocalPath: `/opt/ml/processing/${s}`, S3UploadMode: 'EndOfJob' as const } })) },
    });
    described = await waitFor(`${job} to end`, async () => {
      const d = await sm.describeProcessingJob(job);
      return ['Completed', 'Failed', 'Stopped'].includes(d.ProcessingJobStatus ?? '') ? d : undefined;
    }, 300_000, 500);
    assert.equal(described.ProcessingJobStatus, 'Completed', described.FailureReason);
  });
  afterEach(async (t) => {
    if (session && (t as unknown as { passed?: boolean }).passed === false) await session.wb.screenshot(`jobpage-failed-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  after(async () => {
    await session?.stop();
    aws?.dispose();
    restoreEnv?.();
    await cloud?.stop();
  });

  it('light, dark, high contrast: timeline, cost, charts with the container samples; an output CSV opens from S3 in one click', async () => {
    session = await openCensusSession({ moto: cloud.moto, endpoint: cloud.endpoint, scratch: 'ws-jobpage', settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    const { page } = session.wb;
    const frame = await openJobPage(page, job, 'Show Job Page');
    assert.equal(await frame.locator('h1').textContent(), job);
    assert.match((await frame.locator('dl.facts').textContent()) ?? '', /ml\.m5\.xlarge × 1/);
    // Timeline: its two phases, as listed text.
    assert.equal(await frame.locator('ol.phases li').count(), 2);
    // Cost: the billed seconds × $0.23/h of the backend's fixture price (worked out here from the description).
    const seconds = Math.ceil((described.ProcessingEndTime!.getTime() - described.ProcessingStartTime!.getTime()) / 1000);
    const usd = (seconds / 3600) * 0.23;
    const cost = (await frame.locator('.cost').textContent()) ?? '';
    assert.ok(cost.startsWith(`$${usd.toFixed(4)} (`), `${cost} (expected $${usd.toFixed(4)} for ${seconds} s)`);
    // Charts: three (CPU, memory, disk), drawn on canvases, each with a table of real samples of algo-1.
    assert.equal(await frame.locator('figure.chart .plot canvas').count() >= 3, true);
    const headers = await frame.locator('figure.chart table.data thead th').allTextContents();
    assert.ok(headers.includes(`${job}/algo-1`), headers.join(' | '));
    const rows = await frame.locator('figure.chart table.data tbody tr').count();
    assert.ok(rows >= 3, `sample rows in the three tables: ${rows}`);
    // What the page shows is what CloudWatch (moto) holds for the job.
    const series = await (await aws.cloudwatch()).jobMetrics(job, 1, new Date(described.ProcessingStartTime!.getTime() - 60_000), new Date(described.ProcessingEndTime!.getTime() + 120_000), 1);
    const shown = (await frame.locator('figure.chart table.data tbody tr th').allTextContents());
    const held = series.flatMap((s) => s.timestamps.map((ts) => `${s.metric} ${new Date(ts).toISOString()}`));
    assert.equal(rows, series.reduce((n, s) => n + s.values.length, 0), `page: ${shown.join(', ')}\nCloudWatch: ${held.join(', ')}`);
    await session.wb.screenshot('80-jobpage-light');

    await setTheme(page, 'Dark Modern', 'vscode-dark', frame);
    await session.wb.screenshot('81-jobpage-dark');
    await setTheme(page, 'Dark High Contrast', 'vscode-high-contrast', frame);
    await session.wb.screenshot('82-jobpage-high-contrast');
    await setTheme(page, 'Light Modern', 'vscode-light', frame);

    // One click on an output file opens it from S3 (the s3: file system) in an editor.
    await frame.locator('button.link', { hasText: 'train_features.csv' }).click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'train_features.csv' }).first();
    await tab.waitFor({ timeout: 60_000 });
    const lines = page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first();
    await lines.locator('.view-line', { hasText: /\d,/ }).first().waitFor({ timeout: 60_000 });
    const expected = Buffer.from(await (await aws.s3()).read(BUCKET, `${job}/output/train_data/train_features.csv`)).toString('utf8').split('\n')[0];
    assert.ok(((await lines.textContent()) ?? '').replace(/\u00a0/g, ' ').includes(expected.slice(0, 20)), `the editor shows the object's first line: ${expected}`);
    await session.wb.screenshot('83-jobpage-output-csv-from-s3');

    // The same cost in the tree: the finished job's "Cost" detail row (the figure worked out above, from the description).
    await showViewContainer(page, 'SageMaker Processing');
    const jobRow = page.getByRole('treeitem', { name: new RegExp(job) }).first();
    await jobRow.click(); // expands it
    const costRow = page.locator('.monaco-list-row[role="treeitem"]', { hasText: /^Cost/ }).filter({ hasText: `$${usd.toFixed(4)} (` }).first();
    await costRow.waitFor({ timeout: 60_000 });
    await session.wb.screenshot('85-jobpage-tree-cost-light');
    await session.stop();
    session = undefined;
  });

  it('in Japanese: the page\'s headings and cost are Japanese', async () => {
    session = await openCensusSession({ moto: cloud.moto, endpoint: cloud.endpoint, scratch: 'ws-jobpage-ja', locale: 'ja', settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    const frame = await openJobPage(session.wb.page, job, 'ジョブページを表示');
    const headings = await frame.locator('h2').allTextContents();
    for (const h of ['タイムライン', 'コスト', 'インスタンスの使用率']) assert.ok(headings.includes(h), headings.join(' | '));
    assert.match((await frame.locator('.cost').textContent()) ?? '', /インスタンス時間 × オンデマンド \$0\.2300\/時間/);
    await frame.locator('html[lang="ja"]').waitFor({ state: 'attached' });
    await session.wb.screenshot('84-jobpage-japanese');
  });
});
