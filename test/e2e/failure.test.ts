// End-to-end "Why did it fail?": a census job whose script raises at a known line, run with "Run Locally in Docker"
// in code-server (private dockerd behind DOCKER_HOST): the end notification says why and where, "Open Failing Line"
// opens preprocessing.py at that line, and Problems shows the error from `SageMaker Processing: <job>`. Screenshots
// in light and dark.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { notification, openFile, runCommand, type Workbench } from '../support/workbench';
import { copyCensusExample, openCensusSession, type CensusSession } from '../support/session';

const MESSAGE = 'census column missing: age';
/** The raise goes in as line 23 of preprocessing.py (after the 22 lines up to CLASS_LABELS, module level). */
const LINE = 23;

describe('why did it fail? in the workbench (code-server + Chromium + private dockerd)', () => {
  let moto: Moto;
  let docker: Dockerd;
  let session: CensusSession | undefined;
  let wb: Workbench;

  before(async () => {
    docker = await startDockerd();
    await loadBaseImage(docker);
    moto = await startMoto();
    const ws = copyCensusExample('failure-ws');
    const file = path.join(ws, 'preprocessing.py');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.match(lines[21], /^CLASS_LABELS = /); // line 22
    lines.splice(LINE - 1, 0, `raise ValueError("${MESSAGE}")`);
    fs.writeFileSync(file, lines.join('\n'));
    session = await openCensusSession({
      moto, folder: ws,
      env: { ...docker.env, SMP_BASE_IMAGE: 'local/python-base' },
      settings: { 'sagemakerProcessing.containerCli': DOCKER_CLI },
    });
    ({ wb } = session);
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
    await docker?.stop();
  });

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
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: new RegExp(`Ln ${LINE}, Col 1\\b`) }).first().waitFor({ timeout: 30_000 });
    // The squiggle of the diagnostic is on that line.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await wb.screenshot('82-failure-open-failing-line-light');

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
});
