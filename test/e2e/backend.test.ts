// End-to-end on the demo's own set-up (scripts/demo.ts): the census job submitted from the explorer's context menu is
// built and pushed to the registry behind the ECR host name, really runs in the local SageMaker backend, is followed in
// the tree, the status bar and its log channel, completes, and Download Outputs and Run Locally each give what the
// census script must produce from its input (row counts, no header, split ratio, scaled and one-hot columns), computed
// independently in test/support/censusOracle.ts from the input CSV and the definition's arguments.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { activityBarItem, clickMenuItem, notification, openFile, openWorkbench, runCommand, showViewContainer, type Workbench } from '../support/workbench';
import { waitFor } from '../support/net';
import { ECR_HOST, ECR_PASSWORD } from '../support/localSageMaker/stack';
import { startDemo, type Demo } from '../../scripts/demo';
import { AwsClients } from '../../src/aws/index';
import { TEST_REGION } from '../support/moto';
import { censusExpectation, censusOutputProblems, splitRatioOf, type CensusExpectation } from '../support/censusOracle';

const SCRIPT_LINES = [
  'Received arguments', 'Reading input data from /opt/ml/processing/input/census-income.csv', 'Data after cleaning',
  'Splitting data into train and test sets', 'Running preprocessing and feature engineering transformations',
  'Train data shape after preprocessing', 'Test data shape after preprocessing', 'Saving train features',
  'Saving train labels', 'Saving test features', 'Saving test labels',
];
const CENSUS = path.join(__dirname, '..', '..', 'examples', 'census');

/** The census job's arguments, read from the example's definition file (JSON with // comments) without our parser. */
function censusArguments(): string[] {
  const text = fs.readFileSync(path.join(CENSUS, '.vscode', 'sagemaker-processing.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return (JSON.parse(text) as { jobs: Record<string, { arguments?: string[] }> }).jobs['census-preprocessing'].arguments ?? [];
}

describe('a cloud job on the local SageMaker backend in the workbench (demo set-up)', () => {
  let demo: Demo;
  let cs: CodeServer;
  let wb: Workbench;
  let aws: AwsClients;

  before(async () => {
    demo = await startDemo({ codeServer: false, say: () => undefined });
    // The DOM renderer keeps the terminal's text readable by the test.
    // No "scan the task output?" prompt: it would wait for an answer the test cannot time reliably on a slow machine.
    cs = await startCodeServer({ folder: demo.workspace, env: demo.env, settings: { ...demo.settings, 'terminal.integrated.gpuAcceleration': 'off', 'task.problemMatchers.neverPrompt': true } });
    wb = await openWorkbench(`${cs.url}/?folder=${encodeURIComponent(demo.workspace)}`);
    aws = new AwsClients({ endpointUrl: demo.endpoint, region: TEST_REGION });
  });
  afterEach(async (t) => {
    if (wb && (t as unknown as { passed?: boolean }).passed === false) await wb.screenshot(`backend-failed-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  after(async () => {
    aws?.dispose();
    await wb?.close();
    await cs?.stop();
    await demo?.stop();
  });

  it('census: Run as Processing Job → pushed, InProgress in tree and status bar, live lines in order, Completed, Download Outputs and Run Locally give what the script must produce', async () => {
    const { page } = wb;
    const expected: CensusExpectation = censusExpectation(fs.readFileSync(path.join(CENSUS, 'data', 'census-income.csv'), 'utf8'), splitRatioOf(censusArguments()));
    await activityBarItem(page, 'SageMaker Processing').waitFor({ timeout: 60_000 });
    await runCommand(page, 'View: Show Explorer');
    // Build and Push Image from the Dockerfile's context menu: built on the base image, pushed (~1 GB) to the registry
    // behind the ECR host name with moto's token; the terminal shows the pushed digest.
    const dockerfile = page.getByRole('treeitem', { name: 'Dockerfile' }).first();
    await dockerfile.waitFor();
    // The extension is active (its status-bar item is drawn by activate()) before the menu is opened: a menu opened
    // earlier shows the command disabled and stays so.
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'us-east-1' }).first().waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 60_000;
    for (;;) {
      await dockerfile.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Build and Push Image' }).first();
      await item.waitFor();
      if (!/\bdisabled\b/.test((await item.getAttribute('class')) ?? '')) break;
      assert.ok(Date.now() < deadline, 'Build and Push Image stayed disabled in the Dockerfile menu');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000); // sleep: the poll interval of a loop with a deadline (reopening the menu is the check)
    }
    await clickMenuItem(page, 'Build and Push Image');
    // Pushed (~1 GB) when the registry's API shows the tag: the condition, with a deadline. The terminal shows the same
    // digest (screenshot 70); its rows are not asserted, as xterm does not always keep them in the page's DOM.
    const manifest = () => demo.cloud!.registry!.api('/v2/sagemaker-processing-census/manifests/latest', { user: 'AWS', password: ECR_PASSWORD });
    const pushed = await waitFor('the census image pushed to the registry', async () => {
      const m = await manifest();
      return m.status === 200 ? (m.headers['docker-content-digest'] as string | undefined) : undefined;
    }, 400_000, 1000);
    assert.match(pushed, /^sha256:[0-9a-f]{64}$/);
    await wb.screenshot('70-backend-build-and-push');
    // The registry's API shows the tag, and the digest resolves.
    assert.equal((await demo.cloud!.registry!.api(`/v2/sagemaker-processing-census/manifests/${pushed}`, { user: 'AWS', password: ECR_PASSWORD })).status, 200);

    const file = page.getByRole('treeitem', { name: 'preprocessing.py' }).first();
    await file.waitFor();
    await file.click({ button: 'right' });
    await clickMenuItem(page, 'Run as Processing Job');
    await notification(page, /Started processing job census-preprocessing-/).waitFor({ timeout: 120_000 });
    const sm = await aws.sagemaker();
    const name = (await sm.listProcessingJobs()).jobs[0]?.name;
    assert.match(name ?? '', /^census-preprocessing-\d{4}(-\d{2}){5}-\d{3}$/);

    // Running: the tree and the status bar show it InProgress; its channel opened by itself.
    const status = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /census-preprocessing · (\d+m )?\d+s/ }).first();
    await status.waitFor({ timeout: 30_000 });
    await showViewContainer(page, 'SageMaker Processing');
    const row = page.getByRole('treeitem', { name: new RegExp(name!) }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /InProgress/);
    // Short: the base name and the running time (from ProcessingStartTime once described, else from creation; the
    // tooltip says which, with the full name and the status).
    assert.match((await status.textContent()) ?? '', /census-preprocessing · (\d+m )?\d+s/);
    await wb.screenshot('71-backend-running');
    const output = page.locator('.part.panel .monaco-editor .view-lines').first();
    // The whole channel on screen (the output view renders only its visible lines).
    const maximize = page.locator('.part.panel .action-label[aria-label^="Maximize Panel"]').first();
    if (await maximize.isVisible()) await maximize.click();
    // The view renders spaces as no-break spaces: match them with \s.
    const anyScriptLine = new RegExp(`^(${SCRIPT_LINES.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '\\s')).join('|')})`);
    await output.locator('.view-line', { hasText: anyScriptLine }).first().waitFor({ timeout: 120_000 });
    // Live: the script's lines arrive while the workbench still shows the job running, before the channel's summary.
    const barAtFirstLine = (await status.textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
    const summaryAtFirstLine = await output.locator('.view-line', { hasText: /^---\sJob\s/ }).count();
    const backendAtFirstLine = (await sm.describeProcessingJob(name!)).ProcessingJobStatus;
    await wb.screenshot('72-backend-live-lines');
    // The lines stream in before the channel's end summary (which the monitor writes when it sees the end). Whether
    // the job is still running by then depends on the machine's load (the census job runs a few seconds, CloudWatch's
    // ingestion delay is played as 2 s): said, not asserted.
    assert.equal(summaryAtFirstLine, 0, 'the lines came only with the end of the job');
    console.log(`    (the backend said ${backendAtFirstLine}, the status bar "${barAtFirstLine.trim()}", when the first line was shown)`);

    // Completed: the summary line in the channel, every line of the script once and in order.
    await output.locator('.view-line', { hasText: `--- Job ${name} Completed` }).waitFor({ timeout: 120_000 });
    const lines = (await output.locator('.view-line').allTextContents()).map((l) => l.replace(/\u00a0/g, ' '));
    const script = lines.filter((l) => SCRIPT_LINES.some((s) => l.startsWith(s)));
    assert.deepEqual(script.map((l) => SCRIPT_LINES.find((s) => l.startsWith(s))), SCRIPT_LINES, lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`Data after cleaning: (${expected.rows}, 9), ${expected.positives} positive examples, ${expected.negatives} negative examples`)), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`Splitting data into train and test sets with ratio ${splitRatioOf(censusArguments())}`)), lines.join('\n'));
    await wb.screenshot('73-backend-channel-completed');
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    await page.getByRole('treeitem', { name: new RegExp(name!) }).filter({ hasText: 'Completed' }).first().waitFor({ timeout: 60_000 });
    await wb.screenshot('74-backend-tree-completed');

    // What ran is what was pushed: the job's image is the pushed repository (by tag or by the pushed digest).
    const image = (await sm.describeProcessingJob(name!)).AppSpecification?.ImageUri ?? '';
    assert.ok([`${ECR_HOST}/sagemaker-processing-census:latest`, `${ECR_HOST}/sagemaker-processing-census@${pushed}`].includes(image), image);

    // Download Outputs from the job's context menu.
    const done = page.getByRole('treeitem', { name: new RegExp(name!) }).first();
    await done.click({ button: 'right' });
    await clickMenuItem(page, 'Download Outputs');
    await notification(page, /Downloaded 4 files of census-preprocessing-/).waitFor({ timeout: 60_000 });
    await wb.screenshot('75-backend-downloaded');
    const downloaded = path.join(demo.workspace, 'outputs', name!);

    assert.deepEqual(censusOutputProblems(downloaded, expected), [], `the downloaded outputs in ${downloaded}`);

    // Run Locally (the code lens) on the same definition: its outputs are what the script must produce, too.
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    await output.locator('.view-line', { hasText: '[local] Completed' }).waitFor({ timeout: 240_000 });
    const localRoot = path.join(demo.workspace, '.sagemaker-local');
    const tree = () => (fs.readdirSync(localRoot, { recursive: true }) as string[]).sort().join('\n');
    const local = await waitFor('the local run\'s outputs, as the script must produce them', async () => {
      const dirs = fs.readdirSync(localRoot).filter((n) => fs.existsSync(path.join(localRoot, n, 'train_data')));
      return dirs.find((dir) => censusOutputProblems(path.join(localRoot, dir), expected).length === 0);
    }, 30_000, 500).catch((err: Error) => assert.fail(`${err.message}\n.sagemaker-local:\n${tree()}\n${fs.readdirSync(localRoot).map((d) => `${d}: ${censusOutputProblems(path.join(localRoot, d), expected).join('; ')}`).join('\n')}`));
    assert.ok(local);
    await wb.screenshot('76-backend-local-run-outputs');
  });

  it('Debug Locally in the fresh demo stops at a breakpoint with no setting changed (the demo\'s own debugpy)', { timeout: 420_000 }, async () => {
    const { page } = wb;
    // Nothing added to the demo's settings for this: debugpy comes from what the demo itself wrote.
    const written = JSON.parse(fs.readFileSync(path.join(demo.workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(typeof written['sagemakerProcessing.debugpyPath'] === 'string', 'the demo sets debugpyPath itself');
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Debug Locally in Docker' }).first();
    await lens.waitFor({ timeout: 60_000 });
    // A breakpoint on the line that prints the split ratio, set with the mouse in the glyph margin.
    const lineNo = fs.readFileSync(path.join(demo.workspace, 'preprocessing.py'), 'utf8').split('\n').findIndex((l) => l.includes('print(f"Splitting data into train and test sets')) + 1;
    assert.ok(lineNo > 0);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${lineNo}`);
    await page.locator('.quick-input-widget input').press('Enter');
    const line = editor.locator('.view-line', { hasText: 'Splitting data into train and test sets' }).first();
    await line.waitFor({ timeout: 30_000 });
    const lb = (await line.boundingBox())!;
    const gm = (await editor.locator('.glyph-margin').first().boundingBox())!;
    const at = { x: gm.x + gm.width / 2, y: lb.y + lb.height / 2 };
    await page.mouse.move(at.x, at.y);
    await page.waitForTimeout(300); // sleep: the glyph margin shows its hover target before it takes a click (no DOM sign of it)
    await page.mouse.click(at.x, at.y);
    await editor.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+Home');
    await lens.waitFor();
    await lens.click();
    const frame = editor.locator('.codicon-debug-stackframe').first();
    await frame.waitFor({ timeout: 300_000 });
    const fb = (await frame.boundingBox())!;
    const lb2 = (await line.boundingBox())!;
    assert.ok(Math.abs(fb.y + fb.height / 2 - (lb2.y + lb2.height / 2)) < lb2.height, 'stopped on the breakpoint\'s line');
    await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'preprocessing.py' }).filter({ hasText: `${lineNo}:` }).first().waitFor({ timeout: 30_000 });
    // No "needs debugpy" prompt came up on the way.
    assert.equal(await notification(page, /needs debugpy|Install debugpy/).count(), 0);
    await wb.screenshot('77-demo-debug-stopped');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').first().waitFor({ timeout: 30_000 });
    await wb.screenshot('77-demo-debug-stopped-dark');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs').first().waitFor({ timeout: 30_000 });
    // Continue → the run ends Completed.
    await page.locator('.debug-toolbar .action-item .codicon-debug-continue').first().click();
    await notification(page, /Local run (census-preprocessing-[0-9-]+) completed/).waitFor({ timeout: 180_000 });
  });
});
