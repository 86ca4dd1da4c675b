// End-to-end: the walkthrough ticks what was done before it was opened, in code-server + Chromium against moto (behind
// the scripted proxy, which plays one job as Failed). The workspace already holds, from earlier sessions or the CLI:
// the census definition, a local run's outputs under .sagemaker-local/<job>/, a build record of a pushed image, and
// downloaded outputs under outputs/<job>/; the jobs list shows a job made from the definition; the user opens its
// logs. Only then is "Get Started" opened: every step is checked. Its texts show code, not literal backticks. Download
// Outputs from the palette (as the walkthrough's button runs it) offers only the Completed job. Light and dark.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { onAction, startProxy, type ScriptedProxy } from '../support/proxy';
import { activityBarItem, clickMenuItem, paletteCommand, showViewContainer, type Workbench } from '../support/workbench';
import { seedJobs } from '../support/seed';
import { openCensusSession, copyCensusExample, type CensusSession } from '../support/session';

const DONE = 'census-preprocessing-2026-11-27-10-00-00-000';
const FAILED = 'census-preprocessing-2026-11-27-11-00-00-000';
const STEPS = ['target', 'definition', 'local', 'build', 'run', 'logs', 'outputs'];

describe('the walkthrough ticks steps done before it was opened (code-server + Chromium + moto)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let session: CensusSession | undefined;
  let wb: Workbench;

  before(async () => {
    moto = await startMoto();
    proxy = await startProxy(moto.endpoint);
    // The listed FAILED job is Failed (moto completes every job at once).
    proxy.add({
      match: onAction('ListProcessingJobs'),
      action: { kind: 'rewrite', rewrite: (b) => ({ ...b, ProcessingJobSummaries: (b.ProcessingJobSummaries as { ProcessingJobName: string }[] | undefined ?? []).map((s) => (s.ProcessingJobName === FAILED ? { ...s, ProcessingJobStatus: 'Failed', FailureReason: 'AlgorithmError: bad row' } : s)) }) },
    });
    await seedJobs(moto.endpoint, [DONE, FAILED]);
    const ws = copyCensusExample('ws-firstrun');
    // What earlier sessions (or the CLI) left in the workspace, written here as files, not by the extension.
    const local = path.join(ws, '.sagemaker-local', 'census-preprocessing-2026-11-26-09-00-00-000', 'train');
    fs.mkdirSync(local, { recursive: true });
    fs.writeFileSync(path.join(local, 'train_features.csv'), '1,2\n');
    const digest = `sha256:${'ab'.repeat(32)}`;
    const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    fs.writeFileSync(path.join(ws, '.sagemaker-local', 'builds.json'), JSON.stringify({
      version: 1,
      records: { [`${registry}/sagemaker-processing-census:latest`]: { registry, repository: 'sagemaker-processing-census', tag: 'latest', digest, contentHash: 'c0ffee', imageUri: `${registry}/sagemaker-processing-census@${digest}`, pushedAt: '2026-11-26T09:00:00.000Z' } },
    }));
    const outputs = path.join(ws, 'outputs', 'census-preprocessing-2026-11-25-09-00-00-000', 'test_data');
    fs.mkdirSync(outputs, { recursive: true });
    fs.writeFileSync(path.join(outputs, 'test_labels.csv'), '0\n');
    session = await openCensusSession({ moto, endpoint: proxy.url, folder: ws, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    wb = session.wb;
  });
  after(async () => {
    await session?.stop();
    await proxy?.stop();
    await moto?.stop();
  });

  it('with the jobs listed and a job\'s logs opened, "Get Started" shows every step checked, code in its texts, not backticks', async () => {
    const { page } = wb;
    await activityBarItem(page, 'SageMaker Processing').waitFor();
    await showViewContainer(page, 'SageMaker Processing');
    const row = page.getByRole('treeitem', { name: new RegExp(DONE) });
    await row.waitFor();
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Show Logs');
    await page.locator('.part.panel .monaco-editor .view-lines', { hasText: `Job ${DONE} Completed` }).waitFor();

    await paletteCommand(page, 'SageMaker Processing: Get Started');
    const step = (id: string) => page.locator(`.getting-started-step[data-step-id$="${id}"]`).first();
    await step('target').waitFor();
    for (const id of STEPS) await page.locator(`.getting-started-step[data-step-id$="${id}"][aria-checked="true"]`).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.getting-started-step[aria-checked="true"]').count(), STEPS.length);
    // The selected step's description shows `.vscode/sagemaker-processing.json` as code.
    await step('definition').click();
    const desc = page.locator('.getting-started-step.expanded .step-description-container').first();
    await desc.locator('code', { hasText: '.vscode/sagemaker-processing.json' }).waitFor();
    assert.doesNotMatch((await desc.textContent()) ?? '', /`/);
    await wb.screenshot('90-walkthrough-done-before-open-light');
    await paletteCommand(page, 'Preferences: Color Theme');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Dark Modern/ }).first().click();
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await step('outputs').click();
    await page.locator('.getting-started-step.expanded .step-description-container code', { hasText: 'outputs/<job>/' }).waitFor();
    await wb.screenshot('91-walkthrough-done-before-open-dark');
  });

  it('Download Outputs (the walkthrough\'s button) offers only the Completed job', async () => {
    const { page } = wb;
    await page.locator('.getting-started-step.expanded a, .getting-started-step.expanded .monaco-button', { hasText: 'Download Outputs' }).first().click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    const labels = await rows.allTextContents();
    assert.ok(labels.some((l) => l.includes(DONE)), labels.join(' | '));
    assert.ok(!labels.some((l) => l.includes(FAILED)), `the Failed job is not offered: ${labels.join(' | ')}`);
    await wb.screenshot('92-download-outputs-completed-only-dark');
    await page.keyboard.press('Escape');
  });
});
