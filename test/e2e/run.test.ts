// End-to-end: "Run as Processing Job" from the explorer context menu and the code lens, and diagnostics of a broken
// definition in the Problems panel — the built .vsix in code-server, driven by Chromium, against moto.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SageMakerClient, ListProcessingJobsCommand } from '@aws-sdk/client-sagemaker';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto';
import { activityBarItem, clickMenuItem, notification, runCommand, type Workbench, openFile, showViewContainer } from '../support/workbench';
import { waitFor } from '../support/net';
import { openCensusSession, type CensusSession } from '../support/session';

describe('run as processing job (code-server + Chromium)', () => {
  let moto: Moto;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let ws: string;
  let sm: SageMakerClient;

  const jobNames = async () => {
    const out = await sm.send(new ListProcessingJobsCommand({ MaxResults: 100 }));
    return (out.ProcessingJobSummaries ?? []).map((j) => j.ProcessingJobName ?? '').sort();
  };

  before(async () => {
    moto = await startMoto();
    sm = new SageMakerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    session = await openCensusSession({ moto, scratch: 'run-ws' });
    ({ wb, ws } = session);
  });
  afterEach(async (t) => {
    // On failure, a picture of the workbench says more than a timeout.
    if (wb && (t as unknown as { passed?: boolean }).passed === false) await wb.screenshot(`run-failed-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  after(async () => {
    sm?.destroy();
    await session?.stop();
    await moto?.stop();
  });

  it('right-click preprocessing.py → "Run as Processing Job": the job exists in moto and in the explorer', async () => {
    const { page } = wb;
    // The extension's menus exist once its contributions are loaded (its view container shows up).
    await activityBarItem(page, 'SageMaker Processing').waitFor();
    await runCommand(page, 'View: Show Explorer');
    const row = page.getByRole('treeitem', { name: 'preprocessing.py' }).first();
    await row.waitFor();
    await row.click({ button: 'right' });
    await page.locator('.monaco-menu .action-item', { hasText: 'Run as Processing Job' }).first().waitFor();
    await wb.screenshot('20-run-explorer-context-menu');
    await clickMenuItem(page, 'Run as Processing Job');
    await notification(page, /Started processing job census-preprocessing-/).waitFor({ timeout: 60_000 });
    await wb.screenshot('21-run-started-notification');
    const names = await jobNames();
    assert.equal(names.length, 1);
    assert.match(names[0], /^census-preprocessing-\d{4}(-\d{2}){5}-\d{3}$/);

    await showViewContainer(page, 'SageMaker Processing');
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    await page.getByRole('treeitem', { name: new RegExp(names[0]) }).first().waitFor();
    await wb.screenshot('22-run-job-in-explorer');
  });

  it('the code lens on preprocessing.py shows the job and runs the same', async () => {
    const { page } = wb;
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Run as Processing Job (census-preprocessing · ml.m5.xlarge ×1)' }).first();
    await lens.waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.codelens-decoration a', { hasText: 'Run Locally in Docker' }).count() >= 1, true);
    assert.equal(await page.locator('.codelens-decoration a', { hasText: 'Edit Job Definition' }).count() >= 1, true);
    await wb.screenshot('23-run-code-lens');
    const before = await jobNames();
    await lens.click();
    const after = await waitFor('a second job in moto', async () => {
      const n = await jobNames();
      return n.length === before.length + 1 ? n : undefined;
    }, 60_000, 250);
    const added = after.filter((n) => !before.includes(n));
    assert.match(added[0], /^census-preprocessing-/);
    await notification(page, new RegExp(`Started processing job ${added[0]}`)).waitFor({ timeout: 30_000 });
  });

  it('"Create Job Definition…" on a script no job runs: a short quick-pick flow writes the job and opens it', async () => {
    const { page } = wb;
    const input = page.locator('.quick-input-widget input');
    await page.keyboard.press('Control+P');
    await input.waitFor();
    await input.fill('generate_data.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'generate_data.py' }).first().waitFor();
    await input.press('Enter');
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Create Job Definition…' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await wb.screenshot('26-run-create-definition-lens');
    await lens.click();
    // Quick picks say what they ask in their placeholder, input boxes in their prompt.
    const answer = async (text: string, expect: RegExp | string) => {
      if (typeof expect === 'string') await page.locator(`.quick-input-widget input[placeholder="${expect}"]`).first().waitFor();
      else await page.locator('.quick-input-widget .quick-input-message', { hasText: expect }).first().waitFor();
      await input.fill(text);
      await page.waitForTimeout(150); // sleep: the quick input validates the typed value before Enter is taken (no DOM sign of it)
      await input.press('Enter');
    };
    await answer('Image URI', 'Where does the container image come from?');
    await answer('123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest', /Image URI/);
    await answer('arn:aws:iam::123456789012:role/SageMakerProcessingRole', /IAM role ARN/);
    await answer('ml.m5.large', 'Instance type');
    await answer('data/', /Input 1/);
    await answer('/opt/ml/processing/input/data', /folder in the container/);
    await answer('', /Input 2/);
    await wb.screenshot('27-run-create-definition-output-step');
    await answer('/opt/ml/processing/output', /Output 1/);
    await answer('', /Output 2/);
    await page.locator('.tab', { hasText: 'sagemaker-processing.json' }).first().waitFor();
    const file = path.join(ws, '.vscode', 'sagemaker-processing.json');
    const def = await waitFor('the new job in the file', async () => {
      const d = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, ''));
      return d.jobs['generate-data'] ? d : undefined;
    }, 15_000, 200);
    assert.deepEqual(def.jobs['generate-data'], {
      script: 'generate_data.py',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest',
      role: 'arn:aws:iam::123456789012:role/SageMakerProcessingRole',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      inputs: [{ name: 'data', source: 'data/', destination: '/opt/ml/processing/input/data' }],
      outputs: [{ name: 'output', source: '/opt/ml/processing/output' }],
    });
    assert.ok(def.jobs['census-preprocessing'], 'the existing job stays');
    await wb.screenshot('28-run-create-definition-written');
  });

  it('a broken definition shows each problem once in the Problems panel, and running names the field', async () => {
    const { page } = wb;
    const file = path.join(ws, '.vscode', 'sagemaker-processing.json');
    const text = fs.readFileSync(file, 'utf8')
      .replace('"instanceCount": 1', '"instanceCount": 0')
      .replace('"destination": "/opt/ml/processing/input"', '"destination": "/tmp/input"');
    fs.writeFileSync(file, text);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('sagemaker-processing.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'sagemaker-processing.json' }).first().waitFor();
    await input.press('Enter');
    await runCommand(page, 'View: Focus Problems');
    const panel = page.locator('.markers-panel');
    // Both are schema problems too (minimum, pattern): each listed once (the JSON language service's entry), not twice.
    const count = panel.locator('.monaco-list-row', { hasText: /minimum of 1|must be between 1 and 100 \(got 0\)/ });
    await count.first().waitFor({ timeout: 30_000 });
    const dest = panel.locator('.monaco-list-row', { hasText: /does not match the pattern|inputs\[0\]\.destination/ });
    await dest.first().waitFor();
    await waitFor('one entry per problem', async () => ((await count.count()) === 1 && (await dest.count()) === 1 ? true : undefined), 10_000, 250);
    await wb.screenshot('24-run-definition-problems');
    // Running now fails before any API call, with the field named.
    const before = await jobNames();
    await runCommand(page, 'SageMaker Processing: Run as Processing Job');
    await notification(page, /The job definition has problems: .*instanceCount/).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500); // sleep: the toast slides in (for the screenshot only; the assertions wait on the DOM)
    await wb.screenshot('25-run-definition-error');
    assert.deepEqual(await jobNames(), before);
  });
});
