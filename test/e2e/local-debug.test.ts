// End-to-end: "Debug Locally in Docker" in code-server WITHOUT the Python extension (our own debug type talks to the
// container's debugpy), with a private dockerd and debugpy from the cache (the setting sagemakerProcessing.debugpyPath):
// a breakpoint set with the mouse in preprocessing.py's glyph margin → the code lens "Debug Locally in Docker" → the editor stops
// at that line with the script's variables → Continue → the run completes with its outputs in the workspace.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { notification, openFile, type Workbench } from '../support/workbench';
import { openCensusSession, type CensusSession } from '../support/session';
import { CACHE, requireFile } from '../support/paths';
import { waitFor } from '../support/net';

const DEBUGPY_DIR = path.join(CACHE, 'debugpy', 'libs', 'debugpy');

describe('Debug Locally in Docker in the workbench (code-server, no Python extension, private dockerd)', () => {
  let moto: Moto;
  let docker: Dockerd;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let ws: string;

  before(async () => {
    requireFile(path.join(DEBUGPY_DIR, '__main__.py'), 'debugpy (scripts/setup.sh --only debugpy)');
    docker = await startDockerd({ baseImage: true });
    await loadBaseImage(docker);
    moto = await startMoto();
    session = await openCensusSession({
      moto,
      env: { ...docker.env, SMP_BASE_IMAGE: 'local/python-base' },
      settings: { 'sagemakerProcessing.containerCli': DOCKER_CLI, 'sagemakerProcessing.debugpyPath': DEBUGPY_DIR },
      scratch: 'ws-debug',
    });
    ({ wb, ws } = session);
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
    await docker?.stop();
  });

  /** Opens preprocessing.py: its tab when open, else from the Explorer, else with Quick Open. */
  async function openScript(): Promise<void> {
    const { page } = wb;
    await page.locator('.monaco-workbench').click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'preprocessing.py' }).first();
    if (await tab.count()) return void (await tab.click());
    const row = page.getByRole('treeitem', { name: 'preprocessing.py' }).first();
    if (await row.count()) return void (await row.click());
    await openFile(page, 'preprocessing.py');
  }

  /** A breakpoint on the line that prints the split ratio, set with the mouse in the editor's glyph margin. */
  async function setBreakpoint() {
    const { page } = wb;
    const lineNo = fs.readFileSync(path.join(ws, 'preprocessing.py'), 'utf8').split('\n').findIndex((l) => l.includes('print(f"Splitting data into train and test sets')) + 1;
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // Bring the line into view (the editor renders only what is visible): Go to Line.
    await editor.locator('.view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${lineNo}`);
    await page.locator('.quick-input-widget input').press('Enter');
    const line = editor.locator('.view-line', { hasText: 'Splitting data into train and test sets' }).first();
    await line.waitFor().catch(async (e) => {
      await wb.screenshot('79-debug-failure');
      throw e;
    });
    const lb = (await line.boundingBox())!;
    const gm = (await editor.locator('.glyph-margin').first().boundingBox())!;
    const at = { x: gm.x + gm.width / 2, y: lb.y + lb.height / 2 };
    await page.mouse.move(at.x, at.y);
    await page.waitForTimeout(300); // sleep: the glyph margin shows its hover target before it takes a click (no DOM sign of it)
    await page.mouse.click(at.x, at.y);
    const bp = editor.locator('.codicon-debug-breakpoint').first();
    await bp.waitFor({ timeout: 10_000 });
    const bpBox = (await bp.boundingBox())!;
    assert.ok(Math.abs(bpBox.y + bpBox.height / 2 - at.y) < lb.height, 'the breakpoint is on the clicked line');
    return { line, lineNo, editor };
  }

  it('breakpoint by mouse → "Debug Locally in Docker" → stopped at that line with its variables → Continue → Completed with outputs', { timeout: 300_000 }, async () => {
    const { page } = wb;
    // No Python extension in this workbench: our own debug type is what attaches.
    assert.equal(fs.readdirSync(path.join(session!.cs.dir, 'extensions')).filter((n) => n.startsWith('ms-python.')).length, 0);
    await openScript();
    const lens = page.locator('.codelens-decoration a', { hasText: 'Debug Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });

    // A breakpoint on the line that prints the split ratio, set by clicking the editor's glyph margin.
    const { line, lineNo, editor } = await setBreakpoint();
    await wb.screenshot('70-debug-breakpoint-set');

    // "Debug Locally in Docker": the same local run with the script under debugpy; VS Code attaches and stops at the breakpoint.
    await page.keyboard.press('Control+Home'); // back to the top, where the code lens is
    await lens.waitFor();
    const t0 = Date.now();
    await lens.click();
    const frame = editor.locator('.codicon-debug-stackframe').first();
    await frame.waitFor({ timeout: 180_000 }).catch(async (e) => {
      await wb.screenshot('79-debug-failure');
      throw e;
    });
    const stoppedAfter = Date.now() - t0;
    const frameBox = (await frame.boundingBox())!;
    const lb2 = (await line.boundingBox())!;
    assert.ok(Math.abs(frameBox.y + frameBox.height / 2 - (lb2.y + lb2.height / 2)) < lb2.height, 'stopped on the breakpoint\'s line');
    // The call stack says where: our script, at that line.
    await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'preprocessing.py' }).filter({ hasText: `${lineNo}:` }).first().waitFor({ timeout: 30_000 });
    // The script's local variables, as the debugger reads them in the container.
    const vars = page.locator('.debug-variables .monaco-list-row');
    await vars.filter({ hasText: 'split_ratio' }).filter({ hasText: '0.2' }).first().waitFor({ timeout: 30_000 }).catch(async () => {
      // Locals may be collapsed: expand the first scope.
      await page.locator('.debug-variables .monaco-list-row', { hasText: 'Locals' }).first().click();
      await vars.filter({ hasText: 'split_ratio' }).filter({ hasText: '0.2' }).first().waitFor({ timeout: 30_000 });
    });
    await wb.screenshot('71-debug-stopped-at-breakpoint');
    console.log(`# stopped at the breakpoint ${stoppedAfter} ms after the click`);

    // Continue (the debug toolbar) → the script runs to its end, the session ends, the run completes.
    await page.locator('.debug-toolbar .action-item .codicon-debug-continue').first().click();
    const toast = notification(page, /Local run (census-preprocessing-[0-9-]+) completed/);
    await toast.waitFor({ timeout: 120_000 }).catch(async (e) => {
      await wb.screenshot('79-debug-failure');
      throw e;
    });
    const job = /Local run (census-preprocessing-[0-9-]+) completed/.exec((await toast.textContent()) ?? '')![1];
    await page.locator('.debug-toolbar').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.screenshot('72-debug-completed');
    const out = path.join(ws, '.sagemaker-local', job);
    for (const f of ['train_data/train_features.csv', 'train_data/train_labels.csv', 'test_data/test_features.csv', 'test_data/test_labels.csv']) {
      assert.ok(fs.statSync(path.join(out, f)).size > 0, `${f} missing`);
    }
    assert.equal((await docker.docker(['ps', '-aq', '--filter', 'label=sagemaker-processing.local'])).stdout.trim(), '');
  });

  it('stopping the debug session stops the run: the container goes, the run ends Stopped', { timeout: 240_000 }, async () => {
    const { page } = wb;
    await openScript();
    if (!(await page.locator('.editor-instance .monaco-editor .codicon-debug-breakpoint').count())) await setBreakpoint();
    await page.keyboard.press('Control+Home');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Debug Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.codicon-debug-stackframe').first().waitFor({ timeout: 180_000 });
    assert.notEqual((await docker.docker(['ps', '-q', '--filter', 'label=sagemaker-processing.local'])).stdout.trim(), '');
    await page.locator('.debug-toolbar .action-item .codicon-debug-disconnect, .debug-toolbar .action-item .codicon-debug-stop').first().click();
    await page.locator('.debug-toolbar').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await waitFor('the container to be removed after the session stopped', async () => (await docker.docker(['ps', '-aq', '--filter', 'label=sagemaker-processing.local'])).stdout.trim() === '', 60_000, 250);
    await page.locator('.part.panel .monaco-editor .view-lines .view-line', { hasText: '[local] Stopped' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('73-debug-session-stopped');
  });
});
