// End-to-end "Why did it fail?": a census job whose script raises at a known line, run with "Run Locally in Docker"
// in code-server (the private dockerd of startLocalCloud behind DOCKER_HOST): the end notification says why and
// where, "Open Failing Line" opens preprocessing.py at that line, a container path in the job's channel is a link to
// it, and Problems shows the error from `SageMaker Processing: <job>`. The same script also failed as a cloud job in
// the local SageMaker backend: its tree node's "Why:" row, "Re-run Locally" and "Debug Locally with a Breakpoint at
// the Failing Line" (the debugger stops there). Screenshots in light, dark and Japanese.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsClients } from '../../src/aws/index';
import { DOCKER_CLI } from '../support/dockerd';
import { TEST_ACCOUNT, TEST_REGION, useMotoEnv } from '../support/moto';
import { waitFor } from '../support/net';
import { CACHE, requireFile } from '../support/paths';
import { clickMenuItem, notification, openFile, runCommand, showViewContainer, type Workbench } from '../support/workbench';
import { copyCensusExample, openCensusSession, type CensusSession } from '../support/session';
import { startLocalCloud, type LocalCloud } from '../support/localSageMaker/stack';

const MESSAGE = 'census column missing: age';
/** The raise goes in as line 23 of preprocessing.py (after the 22 lines up to CLASS_LABELS, module level). */
const LINE = 23;
const DEBUGPY_DIR = path.join(CACHE, 'debugpy', 'libs', 'debugpy');
const BUCKET = 'failure-e2e';
const ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`;
const CODE = '/opt/ml/processing/input/code';

/** Another person's script (not a file of the workspace), submitted straight through the API: raises at line 5. */
const THEIRS = 'import os, sys\nprint("report", os.environ["REPORT"], sys.argv[1:], flush=True)\n\n\nraise RuntimeError("their report failed")\n';
const THEIRS_LINE = 5;

/** A copy of the census example whose preprocessing.py raises at LINE. */
function failingWorkspace(name: string): string {
  const ws = copyCensusExample(name);
  const file = path.join(ws, 'preprocessing.py');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.match(lines[21], /^CLASS_LABELS = /); // line 22
  lines.splice(LINE - 1, 0, `raise ValueError("${MESSAGE}")`);
  fs.writeFileSync(file, lines.join('\n'));
  return ws;
}

/** A job name as the SDK generates it from the definition's baseJobName (`census-preprocessing-2026-12-07-23-30-00-123`). */
function sdkJobName(base: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${base}-${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}-${p(d.getUTCMilliseconds(), 3)}`;
}

describe('why did it fail? in the workbench (code-server + Chromium + local SageMaker backend + private dockerd)', () => {
  let cloud: LocalCloud;
  let restoreEnv: () => void;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let ws: string;
  let cloudJob: string;
  /** A job not from the definition (its request written here by hand, as the SDK or another person would send it). */
  let theirJob: string;

  before(async () => {
    requireFile(path.join(DEBUGPY_DIR, '__main__.py'), 'debugpy (scripts/setup.sh --only debugpy)');
    cloud = await startLocalCloud({ registry: false, backend: { logBatchMs: 200, logIngestionDelayMs: 300 } });
    restoreEnv = useMotoEnv(cloud.moto);
    ws = failingWorkspace('failure-ws');
    const file = path.join(ws, 'preprocessing.py');
    // The same script as a cloud job of the definition's census job (its name is what the SDK would give it), failed
    // in the backend before the workbench opens.
    const aws = new AwsClients({ endpointUrl: cloud.endpoint, region: TEST_REGION });
    try {
      const [sm, s3] = await Promise.all([aws.sagemaker(), aws.s3()]);
      await s3.ensureBucket(BUCKET, TEST_REGION);
      cloudJob = sdkJobName('census-preprocessing');
      await s3.upload(BUCKET, `${cloudJob}/input/code/preprocessing.py`, fs.readFileSync(file));
      await sm.createProcessingJob({
        ProcessingJobName: cloudJob, RoleArn: ROLE,
        AppSpecification: { ImageUri: 'local/python-base:latest', ContainerEntrypoint: ['python3', `${CODE}/preprocessing.py`] },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        ProcessingInputs: [{ InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/${cloudJob}/input/code`, LocalPath: CODE, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } }],
      });
      theirJob = sdkJobName('their-report');
      await s3.upload(BUCKET, `elsewhere/${theirJob}/code/theirs.py`, Buffer.from(THEIRS));
      await sm.createProcessingJob({
        ProcessingJobName: theirJob, RoleArn: ROLE,
        AppSpecification: { ImageUri: 'local/python-base:latest', ContainerEntrypoint: ['python3', `${CODE}/theirs.py`], ContainerArguments: ['--limit', '7'] },
        Environment: { REPORT: 'weekly' },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.t3.medium', VolumeSizeInGB: 30 } },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        ProcessingInputs: [{ InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/elsewhere/${theirJob}/code`, LocalPath: CODE, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } }],
      });
      for (const job of [cloudJob, theirJob]) {
        const d = await waitFor(`${job} to end`, async () => {
          const x = await sm.describeProcessingJob(job);
          return ['Completed', 'Failed', 'Stopped'].includes(x.ProcessingJobStatus ?? '') ? x : undefined;
        }, 240_000, 500);
        assert.equal(d.ProcessingJobStatus, 'Failed');
      }
    } finally {
      aws.dispose();
    }
    session = await openCensusSession({
      moto: cloud.moto, endpoint: cloud.endpoint, folder: ws,
      env: { ...cloud.dockerd.env, SMP_BASE_IMAGE: 'local/python-base' },
      settings: { 'sagemakerProcessing.containerCli': DOCKER_CLI, 'sagemakerProcessing.debugpyPath': DEBUGPY_DIR },
    });
    ({ wb } = session);
  });
  afterEach(async (t) => {
    if (session && (t as unknown as { passed?: boolean }).passed === false) await session.wb.screenshot(`failure-failed-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  after(async () => {
    await session?.stop();
    restoreEnv?.();
    await cloud?.stop();
  });

  /** The line the editor's cursor is on, from the status bar (`Ln 23, Col 1`). */
  const cursorAt = (line: number) => wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: new RegExp(`Ln ${line}, Col 1\\b`) }).first();

  it('failed local run → notification with why and where → Open Failing Line → the error in Problems', { timeout: 300_000 }, async () => {
    const { page } = wb;
    await page.locator('.monaco-workbench').click();
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();

    const toast = notification(page, new RegExp(`Local run census-preprocessing-[0-9-]+ failed after .*Why: ValueError: ${MESSAGE} at preprocessing\\.py:${LINE}`));
    await toast.waitFor({ timeout: 180_000 });
    const text = (await toast.textContent()) ?? '';
    const job = /Local run (census-preprocessing-[0-9-]+) failed/.exec(text)?.[1];
    assert.ok(job, text);
    assert.match(text, /Failure reason: AlgorithmError: the script exited with code 1/);
    for (const [b, n] of [['Open Failing Line', 1], ['Show Logs', 1], ['Debug at Failing Line', 1], ['Re-run Locally', 0]] as const) {
      assert.equal(await toast.locator('.monaco-button', { hasText: b }).count(), n, `button ${b}`);
    }
    await wb.screenshot('80-failure-notification-light');

    // The summary block at the end of the job's channel.
    const output = page.locator('.part.panel .monaco-editor .view-lines').first();
    await output.locator('.view-line', { hasText: `Failing line: preprocessing.py:${LINE}` }).waitFor({ timeout: 30_000 });
    await wb.screenshot('81-failure-channel-light');

    // Open Failing Line: preprocessing.py, cursor on the raising line.
    await toast.locator('.monaco-button', { hasText: 'Open Failing Line' }).click();
    await page.locator('.tab.active', { hasText: 'preprocessing.py' }).waitFor({ timeout: 30_000 });
    await cursorAt(LINE).waitFor({ timeout: 30_000 });
    // The squiggle of the diagnostic is on that line.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await wb.screenshot('82-failure-open-failing-line-light');

    // The container path in the channel is a link: back to the top of the file, then Ctrl+click it → line 23 again.
    await page.keyboard.press('Control+Home');
    await cursorAt(1).waitFor({ timeout: 30_000 });
    const frameLine = output.locator('.view-line', { hasText: `File "${CODE}/preprocessing.py", line ${LINE}` }).last();
    await frameLine.waitFor({ timeout: 30_000 });
    const link = frameLine.locator('.detected-link').first();
    await link.waitFor({ timeout: 30_000 });
    assert.equal(await link.textContent(), `${CODE}/preprocessing.py`);
    await link.hover();
    await wb.screenshot('86-failure-channel-link-light');
    await link.click({ modifiers: ['Control'] });
    await page.locator('.tab.active', { hasText: 'preprocessing.py' }).waitFor({ timeout: 30_000 });
    await cursorAt(LINE).waitFor({ timeout: 30_000 });
    await wb.screenshot('87-failure-link-opened-line-light');

    // Problems: the error, from "SageMaker Processing: <job>".
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: MESSAGE }).first();
    await problem.waitFor({ timeout: 30_000 });
    const row = (await problem.textContent()) ?? '';
    assert.match(row, new RegExp(`SageMaker Processing: ${job}`));
    assert.match(row, new RegExp(`\\[Ln ${LINE}, Col 1\\]`));
    await wb.screenshot('83-failure-problems-light');

    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').first().waitFor({ timeout: 30_000 });
    await problem.waitFor({ timeout: 30_000 });
    await wb.screenshot('84-failure-problems-dark');

    // Clear Failure Problems empties it.
    await runCommand(page, 'SageMaker Processing: Clear Failure Problems');
    await problem.waitFor({ state: 'detached', timeout: 30_000 });
    await wb.screenshot('85-failure-problems-cleared-dark');
  });

  it('a failed cloud job from the definition: its "Why:" row → Re-run Locally (fails the same way) → Debug Locally stops at the failing line', { timeout: 420_000 }, async () => {
    const { page } = wb;
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes'); // back to light
    await page.locator('.monaco-workbench.vs').first().waitFor({ timeout: 30_000 });
    await showViewContainer(page, 'SageMaker Processing');
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const row = page.getByRole('treeitem', { name: new RegExp(cloudJob) }).first();
    await row.waitFor({ timeout: 60_000 });
    const why = page.getByRole('treeitem', { name: new RegExp(`^Why: ValueError: ${MESSAGE} at preprocessing\\.py:${LINE}`) }).first();
    // Expanded by a click; a refresh that lands after the click draws the row collapsed again, so it is expanded
    // again until its "Why:" row shows (within the deadline).
    await waitFor('the job row expanded with its "Why:" row', async () => {
      if (await why.isVisible()) return true;
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await why.waitFor({ timeout: 5_000 }).catch(() => undefined);
      return (await why.isVisible()) || undefined;
    }, 60_000, 250);
    await wb.screenshot('88-failure-tree-why-light');
    // The row opens the failing line (the cursor is moved to the top of the file first).
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await cursorAt(1).waitFor({ timeout: 30_000 });
    await why.click();
    await page.locator('.tab.active', { hasText: 'preprocessing.py' }).waitFor({ timeout: 30_000 });
    await cursorAt(LINE).waitFor({ timeout: 30_000 });

    // Re-run Locally from the cloud job's menu: a local run of the definition's job, which fails at the same line.
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Re-run Locally');
    const rerun = notification(page, new RegExp(`Local run census-preprocessing-[0-9-]+ failed after .*Why: ValueError: ${MESSAGE} at preprocessing\\.py:${LINE}`));
    await rerun.waitFor({ timeout: 240_000 });
    await wb.screenshot('89-failure-rerun-locally-failed-light');
    await rerun.locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => undefined);

    // Debug Locally with a Breakpoint at the Failing Line: a breakpoint on line 23, the run under debugpy, stopped there.
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Debug Locally with a Breakpoint at the Failing Line');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.codicon-debug-stackframe').first().waitFor({ timeout: 240_000 });
    await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'preprocessing.py' }).filter({ hasText: `${LINE}:` }).first().waitFor({ timeout: 60_000 });
    // The stopped line is the raising one (its text, not only its number).
    const stopped = editor.locator('.view-line', { hasText: `raise ValueError("${MESSAGE}")` }).first();
    const sb = (await stopped.boundingBox())!;
    const fb = (await editor.locator('.codicon-debug-stackframe').first().boundingBox())!;
    assert.ok(Math.abs(fb.y + fb.height / 2 - (sb.y + sb.height / 2)) < sb.height, 'stopped on the raising line');
    await editor.locator('.codicon-debug-breakpoint, .codicon-debug-stackframe').first().waitFor();
    await wb.screenshot('90-failure-debug-stopped-light');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark').first().waitFor({ timeout: 30_000 });
    await wb.screenshot('91-failure-debug-stopped-dark');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').first().waitFor({ state: 'hidden', timeout: 60_000 });
    // The run ends Stopped (its toast), which refreshes the tree: the Why row is looked at after that.
    await notification(page, /Local run census-preprocessing-[0-9-]+ stopped/).waitFor({ timeout: 60_000 });
    await showViewContainer(page, 'SageMaker Processing'); // debugging showed Run and Debug
    // The new local runs refreshed the tree: expand the job afresh if its row is not shown.
    await why.waitFor({ timeout: 15_000 }).catch(async () => {
      if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
      await row.click();
      await why.waitFor({ timeout: 60_000 });
    });
    await wb.screenshot('92-failure-tree-why-dark');
  });

  it('a failed cloud job submitted elsewhere (not from the definition): Re-run Locally runs its own request with its downloaded script, fails at the same line; Debug stops there', { timeout: 420_000 }, async () => {
    const { page } = wb;
    if (await page.locator('.monaco-workbench.vs-dark').count()) await runCommand(page, 'Preferences: Toggle between Light/Dark Themes'); // the test before ends dark
    await page.locator('.monaco-workbench.vs').first().waitFor({ timeout: 30_000 });
    await showViewContainer(page, 'SageMaker Processing');
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const row = page.getByRole('treeitem', { name: new RegExp(theirJob) }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Re-run Locally');
    await notification(page, new RegExp(`their-report-[0-9-]+ runs locally from the request of ${theirJob}; \\d+ things differ`)).waitFor({ timeout: 60_000 });
    const downloaded = path.join(ws, '.sagemaker-local', 'their-report-code', 'code', 'theirs.py');
    await waitFor('the job\'s code downloaded into the workspace', () => fs.existsSync(downloaded), 60_000);
    assert.equal(fs.readFileSync(downloaded, 'utf8'), THEIRS);
    // The request's arguments and environment reached the container (the script prints them), and it failed where the job did.
    const failed = notification(page, new RegExp(`Local run their-report-[0-9-]+ failed after .*Why: RuntimeError: their report failed at \\S*theirs\\.py:${THEIRS_LINE}`));
    await failed.waitFor({ timeout: 240_000 });
    await wb.screenshot('93-failure-elsewhere-rerun-light');
    // The channel, filtered: the request's arguments and environment as the script printed them, and what differs.
    const filter = page.locator('.part.panel input[placeholder="Filter"]').first();
    await filter.fill('report weekly');
    await page.locator('.output-view .view-line', { hasText: /report\sweekly\s\['--limit',\s'7'\]/ }).first().waitFor({ timeout: 30_000 });
    await filter.fill('[local]');
    await page.locator('.output-view .view-line', { hasText: /Not\sreproduced\slocally:/ }).first().waitFor({ timeout: 30_000 });
    await page.locator('.output-view .view-line', { hasText: /not\son\sml\.t3\.medium\s×\s1/ }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('93b-failure-elsewhere-channel-notes-light');
    await filter.fill('');
    await failed.locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => undefined);

    // Debug at the Failing Line: a breakpoint on line 5 of the downloaded script, the run under debugpy stopped there.
    await showViewContainer(page, 'SageMaker Processing');
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Debug Locally with a Breakpoint at the Failing Line');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.codicon-debug-stackframe').first().waitFor({ timeout: 240_000 });
    await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'theirs.py' }).filter({ hasText: `${THEIRS_LINE}:` }).first().waitFor({ timeout: 60_000 });
    await page.locator('.tab.active', { hasText: 'theirs.py' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('94-failure-elsewhere-debug-light');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark').first().waitFor({ timeout: 30_000 });
    await wb.screenshot('95-failure-elsewhere-debug-dark');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').first().waitFor({ state: 'hidden', timeout: 60_000 });
    await notification(page, /Local run their-report-[0-9-]+ stopped/).waitFor({ timeout: 60_000 });
  });
});
