// End-to-end: the job explorer and the status bar in code-server, against moto behind the scripted proxy (which
// plays jobs InProgress, since moto completes them at once).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { serverError, startProxy, type ProxiedRequest, type ScriptedProxy } from '../support/proxy';
import { clickMenuItem, notification, runCommand, type Workbench, showViewContainer } from '../support/workbench';
import { seedJobs, SEED_RESOURCES } from '../support/seed';
import { CreatedRequests } from '../support/describeFidelity';
import { scratchDir } from '../support/paths';
import { waitFor } from '../support/net';
import { openCensusSession, type CensusSession } from '../support/session';

const DONE = 'explorer-done-2026-11-27-09-00-00-000';
const LIVE = 'explorer-live-2026-11-27-10-00-00-000';

describe('job explorer and status bar (code-server + Chromium)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let session: CensusSession | undefined;
  let wb: Workbench;
  /** Jobs the proxy shows as InProgress. */
  const playing = new Set<string>([LIVE]);
  let rerunName: string | undefined;
  /** While set, every ListProcessingJobs fails with a 500 (beyond the SDK's retries). */
  let faulty = false;
  /** Access key ids that signed the ListProcessingJobs calls (which profile's credentials were used). */
  const listSigners: string[] = [];
  const ALT_KEY = 'E2ETESTALTPROFILEKEY';

  before(async () => {
    moto = await startMoto();
    proxy = await startProxy(moto.endpoint);
    await seedJobs(moto.endpoint, [DONE, LIVE]);
    const summary = (n: string) => ({
      ProcessingJobName: n, ProcessingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:processing-job/${n}`,
      ProcessingJobStatus: 'InProgress', CreationTime: Date.now() / 1000 - 95,
    });
    // Side effects only: remember stops and re-runs.
    proxy.add({
      match: (r) => {
        if (r.action === 'StopProcessingJob') playing.delete(String(r.json?.ProcessingJobName));
        if (r.action === 'ListProcessingJobs') listSigners.push(/Credential=([A-Z0-9]+)\//.exec(String(r.headers.authorization))?.[1] ?? '');
        if (r.action === 'CreateProcessingJob') {
          rerunName = String(r.json?.ProcessingJobName);
          playing.add(rerunName);
        }
        return false;
      },
      action: { kind: 'delay', ms: 0 },
    });
    proxy.add({ match: (r) => faulty && r.action === 'ListProcessingJobs', action: serverError(500) });
    proxy.add({
      match: (r: ProxiedRequest) => r.action === 'ListProcessingJobs',
      action: {
        kind: 'rewrite',
        rewrite: (b, r) => {
          const jobs = (b.ProcessingJobSummaries as { ProcessingJobName: string; ProcessingJobStatus: string }[]) ?? [];
          if (r.json?.StatusEquals === 'InProgress') return { ...b, NextToken: undefined, ProcessingJobSummaries: [...playing].map(summary) };
          return { ...b, ProcessingJobSummaries: jobs.map((j) => (playing.has(j.ProcessingJobName) ? { ...j, ProcessingJobStatus: 'InProgress', ProcessingEndTime: undefined } : j)) };
        },
      },
    });
    // SageMaker's Describe returns the cluster a job was created with (moto drops it); Re-run sends it again.
    const created = new CreatedRequests();
    for (const n of [DONE, LIVE]) created.remember(n, { ProcessingResources: SEED_RESOURCES });
    proxy.add(created.recordRule());
    proxy.add({
      match: (r) => r.action === 'DescribeProcessingJob' && playing.has(String(r.json?.ProcessingJobName)),
      action: { kind: 'rewrite', rewrite: (b) => created.complete({ ...b, ProcessingJobStatus: 'InProgress', ProcessingEndTime: undefined }) },
    });
    proxy.add(created.describeRule());
    // The user's shared config and credentials files, with one more profile than the default chain.
    const aws = scratchDir('aws-files');
    fs.writeFileSync(path.join(aws, 'config'), '[default]\nregion = us-east-1\n\n[profile e2e-alt]\nregion = us-east-1\n');
    fs.writeFileSync(path.join(aws, 'credentials'), `[e2e-alt]\naws_access_key_id = ${ALT_KEY}\naws_secret_access_key = testing\n`);
    session = await openCensusSession({
      moto,
      endpoint: proxy.url,
      env: { AWS_CONFIG_FILE: path.join(aws, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials') },
      settings: { 'sagemakerProcessing.pollIntervalSeconds': 2 },
    });
    wb = session.wb;
  });
  after(async () => {
    await session?.stop();
    await proxy?.stop();
    await moto?.stop();
  });

  const statusBarMatches = async (re: RegExp) => {
    const bar = wb.page.locator('#workbench\\.parts\\.statusbar');
    await waitFor(`the status bar to match ${re}`, async () => re.test((await bar.textContent()) ?? ''), 60_000, 500)
      .catch(async (e: Error) => { throw new Error(`${e.message}: ${await bar.textContent()}`); });
  };
  /** Drags the sidebar's edge so job descriptions (status, age, duration) are readable in the screenshots. */
  const widenSidebar = async () => {
    const box = await wb.page.locator('.part.sidebar').boundingBox();
    if (!box) return;
    const x = box.x + box.width;
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(x - 1, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(x + 400, y, { steps: 8 });
    await wb.page.mouse.up();
  };
  // The jobs item: `<base name> · <running time>` while a job runs, `<base name> · <status> · <duration>` once it ended.
  const statusItem = () => wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /explorer-(live|done) · / }).first();

  it('lists the seeded jobs with status, profile and region; the status bar shows the running one', async () => {
    const { page } = wb;
    await showViewContainer(page, 'SageMaker Processing');
    await widenSidebar();
    const live = page.getByRole('treeitem', { name: new RegExp(LIVE) });
    const done = page.getByRole('treeitem', { name: new RegExp(DONE) });
    await live.waitFor();
    await done.waitFor();
    assert.match((await live.textContent()) ?? '', /InProgress/);
    assert.match((await done.textContent()) ?? '', /Completed/);
    const header = page.locator('.pane-header', { hasText: 'Processing Jobs' }).first();
    // One view in its container: VS Code hides the pane header, so the description is in the DOM but not shown.
    await header.locator('.description', { hasText: 'default profile · us-east-1' }).waitFor({ state: 'attached' });
    // So they are shown above the jobs as the tree's message.
    await page.locator('.pane-body .message', { hasText: 'default profile · us-east-1' }).waitFor();
    await statusBarMatches(/default profile · us-east-1/);
    // Short at a normal width: the running job's base name and its running time (full name and status in the tooltip).
    await statusBarMatches(/explorer-live · (\d+h )?(\d+m )?\d+[sm]/);
    assert.doesNotMatch((await statusItem().textContent()) ?? '', /explorer-live-2026|InProgress/);
    await wb.screenshot('40-explorer-jobs-and-status-bar');
  });

  it('expands a job to its details from DescribeProcessingJob', async () => {
    const { page } = wb;
    await page.getByRole('treeitem', { name: new RegExp(DONE) }).click();
    const image = page.getByRole('treeitem', { name: /^Image/ }).first();
    await image.waitFor();
    assert.match((await image.textContent()) ?? '', /sagemaker-processing-census:latest/);
    await page.getByRole('treeitem', { name: /^Entrypoint/ }).first().waitFor();
    await page.getByRole('treeitem', { name: /^Times/ }).first().waitFor();
    await wb.screenshot('41-explorer-job-details');
  });

  it('stops a running job after confirmation: it turns Stopped', async () => {
    const { page } = wb;
    const live = page.getByRole('treeitem', { name: new RegExp(LIVE) });
    await live.click({ button: 'right' });
    await clickMenuItem(page, 'Stop Job');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Stop processing job ${LIVE}`));
    await wb.screenshot('42-explorer-stop-confirmation');
    await dialog.locator('.monaco-button', { hasText: 'Stop Job' }).click();
    await page.getByRole('treeitem', { name: new RegExp(LIVE) }).filter({ hasText: 'Stopped' }).waitFor();
    assert.equal(proxy.count('StopProcessingJob'), 1);
    await wb.screenshot('43-explorer-job-stopped');
  });

  it('re-runs a job: the status bar follows it while it runs, then a notification tells how it ended', async () => {
    const { page } = wb;
    await page.getByRole('treeitem', { name: new RegExp(DONE) }).click({ button: 'right' });
    await clickMenuItem(page, 'Re-run Job');
    await statusBarMatches(/explorer-done · (\d+m )?\d+s/);
    assert.ok(rerunName && rerunName !== DONE && rerunName.startsWith('explorer-done-'));
    // The tooltip has the full name, the status and the time the running time counts from.
    await statusItem().hover();
    const tip = page.locator('.monaco-hover, .workbench-hover', { hasText: rerunName! }).first();
    await tip.waitFor();
    assert.match((await tip.textContent()) ?? '', /Status: InProgress[\s\S]*Running for .*(since it started at|counted from its creation at)/);
    await wb.screenshot('44-explorer-status-bar-running');
    await page.keyboard.press('Escape');
    playing.delete(rerunName!); // the job "finishes": moto's own answer (Completed) goes through from now on
    const toast = notification(page, `Processing job ${rerunName} completed`);
    await toast.waitFor();
    const text = (await toast.textContent()) ?? '';
    assert.match(text, /Show Logs/);
    assert.match(text, /Download Outputs/);
    assert.match(text, /Re-run/);
    await statusBarMatches(/explorer-done · Completed/);
    await wb.screenshot('45-explorer-completion-notification');
  });

  it('switches profile from the status bar: a quick pick of the shared files\' profiles, then the tree reloads at once with its credentials', async () => {
    const { page } = wb;
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'default profile · us-east-1' }).first().click();
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'e2e-alt' }).first();
    await row.waitFor();
    assert.equal(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'SDK default chain' }).count(), 1);
    await wb.screenshot('47-explorer-switch-profile');
    const before = listSigners.length;
    await row.click();
    await statusBarMatches(/e2e-alt · us-east-1/);
    await page.locator('.pane-body .message', { hasText: 'e2e-alt · us-east-1' }).waitFor();
    await page.getByRole('treeitem', { name: new RegExp(DONE) }).first().waitFor();
    assert.ok(listSigners.slice(before).includes(ALT_KEY), `the reload used the profile's keys: ${listSigners.slice(before).join(',')}`);
    await wb.screenshot('48-explorer-profile-switched');
    // Back to the default chain for the tests after this one.
    await runCommand(page, 'SageMaker Processing: Switch AWS Profile');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'SDK default chain' }).first().click();
    await statusBarMatches(/default profile · us-east-1/);
    // The switch starts the list afresh: the jobs are back once the new target's first page is in.
    await page.locator('.pane-body .message', { hasText: 'default profile · us-east-1' }).waitFor();
    await page.getByRole('treeitem', { name: new RegExp(DONE) }).first().waitFor();
    await page.getByRole('treeitem', { name: new RegExp(LIVE) }).first().waitFor();
  });

  it('a service error shows one message item with a fix-it, keeps the jobs, and recovers by itself', async () => {
    const { page } = wb;
    faulty = true;
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const message = page.getByRole('treeitem', { name: /AWS service error \(500\)/ });
    await message.waitFor();
    assert.equal(await message.count(), 1);
    assert.equal(await page.getByRole('treeitem', { name: /explorer-(done|live)-2026/ }).count(), 3, 'what was shown stays');
    await wb.screenshot('46-explorer-error-kept-jobs');
    faulty = false; // the next poll recovers without any click
    await message.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('treeitem', { name: /explorer-(done|live)-2026/ }).count(), 3);
  });
});
