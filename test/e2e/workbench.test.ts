// End-to-end: the built .vsix in code-server (VS Code 1.100.3) driven by Debian Chromium, against moto.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startMoto, type Moto } from '../support/moto';
import { runCommand, type Workbench, showViewContainer } from '../support/workbench';
import { seedJobs } from '../support/seed';
import { runInHostSuite } from '../support/inhost';
import { copyCensusExample, openCensusSession, type CensusSession } from '../support/session';

describe('workbench (code-server + Chromium)', () => {
  let moto: Moto;
  let session: CensusSession | undefined;
  let wb: Workbench;

  before(async () => {
    moto = await startMoto();
    session = await openCensusSession({ moto });
    wb = session.wb;
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
  });

  it('opens the SageMaker Processing view container and shows its welcome content when there are no jobs', async () => {
    const { page } = wb;
    await showViewContainer(page, 'SageMaker Processing');
    const view = page.locator('.pane', { hasText: 'Processing Jobs' }).first();
    await view.locator('.welcome-view-content', { hasText: 'No processing jobs in this account and region yet' }).waitFor();
    await wb.screenshot('01-welcome-no-jobs');
  });

  it('runs "Refresh Jobs" from the command palette and lists the jobs in moto', async () => {
    const { page } = wb;
    await seedJobs(moto.endpoint, ['census-preprocessing-2026-11-27-10-00-00-000', 'census-preprocessing-2026-11-27-11-00-00-000']);
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const row = page.getByRole('treeitem', { name: /census-preprocessing-2026-11-27-11-00-00-000/ });
    await row.waitFor();
    assert.equal(await page.getByRole('treeitem', { name: /census-preprocessing-2026-11-27/ }).count(), 2);
    assert.match((await row.textContent()) ?? '', /Completed/);
    // VS Code hides the description of a container's only view: the profile and region show above the jobs.
    await page.locator('.pane-body .message', { hasText: 'default profile · us-east-1' }).waitFor();
    const file = await wb.screenshot('02-jobs-listed');
    assert.ok(fs.statSync(file).size > 10_000);
  });
});

describe('in-host suite in code-server\'s extension host', () => {
  it('passes (activation, commands, jobs listed from the configured endpoint)', async () => {
    const moto = await startMoto();
    try {
      await seedJobs(moto.endpoint, ['inhost-seeded-job']);
      const result = await runInHostSuite({
        folder: copyCensusExample(),
        env: { ...moto.env, SMP_SEEDED_JOB: 'inhost-seeded-job' },
      });
      assert.equal(result.exitCode, 0, `in-host suite failed:\n${result.log}`);
      assert.match(result.log, /ACTIVATION_MS=\d/);
      assert.match(result.log, /passing/);
    } finally {
      await moto.stop();
    }
  });
});
