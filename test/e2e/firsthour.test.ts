// End-to-end: what a new user meets in the first hour, in code-server + Chromium against moto: the walkthrough (its
// first step completes when jobs are listed), Copy Job Name's confirmation in the status bar, job logs highlighted as
// `log`, and a build that fails fast twice saying why (not "failed to launch").
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { activityBarItem, clickMenuItem, notification, runCommand, showViewContainer, type Workbench, paletteCommand } from '../support/workbench';
import { seedJobs } from '../support/seed';
import { openCensusSession, type CensusSession } from '../support/session';

const JOB = 'census-preprocessing-2026-11-27-10-00-00-000';

/** Runs a palette command by its exact title (Enter would take the top fuzzy match). */
describe('first hour in the workbench (code-server + Chromium + moto)', () => {
  let moto: Moto;
  let session: CensusSession | undefined;
  let wb: Workbench;

  before(async () => {
    moto = await startMoto();
    session = await openCensusSession({ moto, scratch: 'ws-first-hour', settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
    wb = session.wb;
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
  });

  it('"Get Started" opens the walkthrough; its first step completes once the jobs of the profile are listed', async () => {
    const { page } = wb;
    // The extension's contributions are in once its activity bar item is (the palette lists its commands then).
    await activityBarItem(page, 'SageMaker Processing').waitFor();
    await paletteCommand(page, 'SageMaker Processing: Get Started');
    const step = (id: string) => page.locator(`.getting-started-step[data-step-id$="${id}"]`).first();
    await step('target').waitFor();
    assert.equal(await page.locator('.getting-started-step').count(), 8);
    assert.equal(await step('target').getAttribute('aria-checked'), 'false');
    await wb.screenshot('70-walkthrough-open');
    await showViewContainer(page, 'SageMaker Processing');
    await page.locator('.welcome-view-content', { hasText: 'No processing jobs in this account and region yet' }).waitFor();
    await page.locator('.getting-started-step[data-step-id$="target"][aria-checked="true"]').waitFor();
    // The census folder has a definition (checked off the activation path, moments after activation).
    await page.locator('.getting-started-step[data-step-id$="definition"][aria-checked="true"]').waitFor();
    assert.equal(await step('run').getAttribute('aria-checked'), 'false');
    await wb.screenshot('71-walkthrough-steps-done');
  });

  it('Copy Job Name says so in the status bar', async () => {
    const { page } = wb;
    await seedJobs(moto.endpoint, [JOB]);
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const row = page.getByRole('treeitem', { name: new RegExp(JOB) });
    await row.waitFor();
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Copy Job Name');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: `Copied job name ${JOB}` }).waitFor();
    await wb.screenshot('72-copied-job-name');
  });

  it('a job\'s log channel is highlighted as a log', async () => {
    const { page } = wb;
    const row = page.getByRole('treeitem', { name: new RegExp(JOB) });
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Show Logs');
    // The editor widget's element carries its model's language.
    await page.locator('.part.panel [data-mode-id="log"]').first().waitFor();
    await page.locator('.part.panel .monaco-editor .view-lines', { hasText: `Job ${JOB} Completed` }).waitFor();
    await wb.screenshot('73-log-channel');
  });

  it('a build that fails at once, twice, shows its error and never "failed to launch"', async () => {
    const { page } = wb;
    await activityBarItem(page, 'SageMaker Processing').waitFor();
    // An invalid repository name: the build stops at once, well within VS Code's launch threshold (500 ms).
    const defFile = path.join(session!.ws, '.vscode', 'sagemaker-processing.json');
    fs.writeFileSync(defFile, fs.readFileSync(defFile, 'utf8').replace('"repository": "sagemaker-processing-census"', '"repository": "Census Image"'));
    for (let attempt = 1; attempt <= 2; attempt++) {
      await paletteCommand(page, 'SageMaker Processing: Build and Push Image');
      // The task system's own line after the pseudoterminal closed: the exit has been processed by then.
      const rows = page.locator('.part.panel .xterm-rows', { hasText: /Terminal will be reused by tasks|Press any key to close the terminal/ }).first();
      await rows.waitFor({ timeout: 60_000 });
      const shown = (await rows.textContent()) ?? '';
      assert.match(shown, /The build is not valid/);
      // A task terminal writes VS Code's exit message in the terminal (other terminals show it as a notification).
      assert.doesNotMatch(shown, /failed to launch/, `attempt ${attempt}`);
      assert.match(shown, /terminated with exit code: 1/);
      assert.equal(await notification(page, /failed to launch/).count(), 0, `attempt ${attempt}: no "failed to launch" notification`);
      if (attempt === 1) {
        await runCommand(page, 'Terminal: Kill All Terminals');
        await page.locator('.part.panel .xterm-rows').first().waitFor({ state: 'detached' });
      }
    }
    await wb.screenshot('74-build-failed-twice');
  });
});
