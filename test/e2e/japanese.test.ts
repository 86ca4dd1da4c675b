// End-to-end in Japanese (#17): code-server with its display language set to `ja`, Chromium, moto. Asserts the texts
// of OUR extension as a Japanese user sees them: the view name, a palette command, the code lens (from the l10n
// bundle), the walkthrough with its Japanese images, a job's end notification, the status bar's tooltip, and a local
// run (private dockerd) counted in the status bar and ended with a Japanese notification; the submission notification,
// the jobs tree (profile · region, a job row, its detail rows, ローカル実行), the output channel and a definition
// diagnostic in Problems; and takes screenshots
// (test-results/screenshots/8x-ja-*.png).
//
// The display language: `"locale": "ja"` in the user-data argv.json, plus a minimal language pack built by the test
// (test/support/languagePack.ts): without an installed pack for `ja`, VS Code resolves the language to English and
// loads neither package.nls.ja.json nor l10n/bundle.l10n.ja.json; the real pack is on the marketplace, which this
// machine cannot reach, and code-server ships none. Our pack declares the locale only, so VS Code's own texts
// ("File", "Explorer", …) stay English while ours are Japanese.
// Fonts: Chromium needs a CJK font to draw the texts (Debian's fonts-ipafont-gothic, in scripts/setup.sh's apt part).
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SageMakerClient, ListProcessingJobsCommand } from '@aws-sdk/client-sagemaker';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { activityBarItem, notification, openFile, runCommand, showViewContainer, type Workbench } from '../support/workbench';
import { waitFor } from '../support/net';
import { openCensusSession, type CensusSession } from '../support/session';

describe('the workbench in Japanese (code-server --locale ja + Chromium + moto)', () => {
  let moto: Moto;
  let docker: Dockerd;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let sm: SageMakerClient;

  before(async () => {
    docker = await startDockerd({ baseImage: true });
    await loadBaseImage(docker);
    moto = await startMoto();
    sm = new SageMakerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    session = await openCensusSession({
      moto, scratch: 'ws-ja', locale: 'ja',
      env: { ...docker.env, SMP_BASE_IMAGE: 'local/python-base' },
      settings: { 'sagemakerProcessing.containerCli': DOCKER_CLI },
    });
    wb = session.wb;
  });
  afterEach(async (t) => {
    if (wb && (t as unknown as { passed?: boolean }).passed === false) await wb.screenshot(`ja-failed-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  after(async () => {
    sm?.destroy();
    await session?.stop();
    await moto?.stop();
    await docker?.stop();
  });

  it('a Japanese font is installed (else Chromium draws boxes)', () => {
    const fonts = execFileSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
    assert.notEqual(fonts.trim(), '', 'no font for Japanese: install fonts-ipafont-gothic (scripts/setup.sh --only apt)');
  });

  it('the workbench runs in Japanese: the view is 処理ジョブ', async () => {
    const { page } = wb;
    await activityBarItem(page, 'SageMaker Processing').waitFor();
    await showViewContainer(page, 'SageMaker Processing');
    // The container has one view, so its header is merged into the container's title ("SageMaker Processing: 処理ジョブ…",
    // cut by the side bar's width); the pane header keeps the view's name as its label.
    await page.locator('.part.sidebar .pane-header[aria-label^="処理ジョブ"]').first().waitFor({ state: 'attached' });
    assert.match((await page.locator('.part.sidebar .composite.title .title-label').first().textContent()) ?? '', /SageMaker Processing: 処理ジョブ/i);
    // The welcome content of the empty view is Japanese too (package.nls.ja.json).
    await page.locator('.welcome-view-content', { hasText: 'このアカウントとリージョンには、まだ処理ジョブがありません' }).waitFor();
    await wb.screenshot('80-ja-view');
  });

  it('the palette lists 処理ジョブとして実行', async () => {
    const { page } = wb;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>処理ジョブとして実行');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'SageMaker Processing: 処理ジョブとして実行' }).first();
    await row.waitFor();
    // In a language other than English, VS Code shows each command's English title beside it.
    assert.match((await row.textContent()) ?? '', /Run as Processing Job/);
    await wb.screenshot('81-ja-palette');
    await input.press('Escape');
  });

  it('the walkthrough is in Japanese, with its Japanese images', async () => {
    const { page } = wb;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>SageMaker Processing: はじめに');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'SageMaker Processing: はじめに' }).first();
    await row.waitFor();
    await page.waitForTimeout(300); // sleep: the quick-pick list settles before the click (see paletteCommand)
    await row.click();
    await page.locator('.getting-started-category .category-title, .gettingStartedSlideDetails h2', { hasText: 'はじめての処理ジョブ' }).first().waitFor();
    const profileStep = page.locator('.getting-started-step .step-title', { hasText: 'AWS プロファイルとリージョンを選択する' }).first();
    await profileStep.waitFor();
    assert.equal(await page.locator('.getting-started-step').count(), 8);
    // Steps this workspace has already done are ticked, so the walkthrough may open at a later step: open the first.
    await profileStep.click();
    // The step's image: VS Code inlines a step's svg into a webview (nested iframes); the Japanese one
    // (media/walkthrough/ja/target.svg, through package.nls.ja.json) has Japanese texts, the English one has none.
    const svgText = await waitFor('the walkthrough image in its webview', async () => {
      for (const frame of page.frames()) {
        const svg = frame.locator('svg[role="img"]');
        const text = (await svg.count().catch(() => 0)) > 0 ? (await svg.first().textContent()) ?? '' : '';
        if (/AWS プロファイル|AWS profile/.test(text)) return text; // the profile step's image (not the previous step's)
      }
      return undefined;
    }, 30_000, 250);
    assert.match(svgText, /SageMaker Processing の AWS プロファイル/);
    assert.match(svgText, /SDK のデフォルトチェーン/);
    assert.doesNotMatch(svgText, /AWS profile for SageMaker Processing/);
    await page.waitForTimeout(500); // sleep: the svg paints after its document loads (for the screenshot only; the text is asserted above)
    await wb.screenshot('82-ja-walkthrough');
    // Keys go to the workbench again, not to the walkthrough's webview.
    await page.locator('.part.sidebar').first().click();
  });

  it('the code lens reads 処理ジョブとして実行 (…); clicking it submits, and the end of the job is told in Japanese', async () => {
    const { page } = wb;
    await page.locator('.part.sidebar').first().click();
    await openFile(page, 'preprocessing.py');
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: '処理ジョブとして実行 (census-preprocessing · ml.m5.xlarge ×1)' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await page.locator('.codelens-decoration a', { hasText: 'Docker でローカル実行' }).first().waitFor();
    await page.locator('.codelens-decoration a', { hasText: 'ジョブ定義を編集' }).first().waitFor();
    await wb.screenshot('83-ja-code-lens');
    await lens.click();
    const job = await waitFor('the job in moto', async () => {
      const out = await sm.send(new ListProcessingJobsCommand({ MaxResults: 10 }));
      return out.ProcessingJobSummaries?.[0]?.ProcessingJobName;
    }, 60_000, 250);
    // The submission is told in Japanese, with its button.
    const started = notification(page, `処理ジョブ ${job} を開始しました。`);
    await started.waitFor({ timeout: 60_000 });
    await started.locator('.monaco-button', { hasText: '名前をコピー' }).first().waitFor();
    await wb.screenshot('84a-ja-job-started-notification');
    // moto makes a job Completed at once: the status bar's watch tells so, in the bundle's words.
    const toast = notification(page, new RegExp(`処理ジョブ ${job} が完了しました( \\(所要 .+\\))?。`));
    await toast.waitFor({ timeout: 60_000 });
    await toast.locator('.monaco-button', { hasText: 'ログを表示' }).first().waitFor();
    await wb.screenshot('84-ja-job-completed-notification');
  });

  it('the status bar item tells how to switch the profile in Japanese', async () => {
    const { page } = wb;
    const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: '既定のプロファイル · us-east-1' }).first();
    await item.hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: 'クリックして AWS プロファイルを切り替えます' }).first().waitFor();
    await wb.screenshot('85-ja-status-bar-tooltip');
  });

  it('a local run: the status bar counts it in Japanese, and its end is told in Japanese', { timeout: 300_000 }, async () => {
    const { page } = wb;
    const lens = page.locator('.codelens-decoration a', { hasText: 'Docker でローカル実行' }).first();
    await lens.waitFor();
    // Watched from before the click: the run is short.
    const running = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /census-preprocessing · (\d+分)?\d+秒/ }).first();
    const sawRunning = running.waitFor({ timeout: 240_000 }).then(async () => {
      await wb.screenshot('86-ja-status-bar-local-run');
      return true;
    }, () => false);
    await lens.click();
    const toast = notification(page, /ローカル実行 census-preprocessing-[0-9-]+ が完了しました( \(所要 .+\))?。出力: \.sagemaker-local\/census-preprocessing-/);
    await toast.waitFor({ timeout: 240_000 });
    for (const button of ['ログを表示', '出力を表示', '出力を S3 にアップロード']) {
      assert.equal(await toast.locator('.monaco-button', { hasText: button }).count(), 1, button);
    }
    assert.equal(await sawRunning, true, 'the status bar showed the run while it went');
    await wb.screenshot('87-ja-local-run-completed');
  });

  it('the jobs tree: profile · region, a job row with a Japanese status and relative time, its details, ローカル実行', async () => {
    const { page } = wb;
    await page.locator('.part.sidebar').first().click();
    await showViewContainer(page, 'SageMaker Processing');
    // The profile/region of the view (its description, and the tree's message once it has rows).
    await page.locator('.part.sidebar', { hasText: '既定のプロファイル · us-east-1' }).first().waitFor({ timeout: 30_000 });
    const out = await sm.send(new ListProcessingJobsCommand({ MaxResults: 10 }));
    const job = out.ProcessingJobSummaries?.[0]?.ProcessingJobName;
    assert.ok(job, 'the job submitted above');
    const row = page.getByRole('treeitem', { name: new RegExp(job) }).first();
    await row.waitFor({ timeout: 30_000 });
    // The row's description: status · relative time (Japanese, no English "just now"/"ago").
    await waitFor('the job row in Japanese', async () => (/完了 · (今|\d+ 分前)/.test((await row.textContent()) ?? '') ? true : undefined), 30_000, 250);
    assert.doesNotMatch((await row.textContent()) ?? '', /just now|ago|Completed/);
    const local = page.getByRole('treeitem', { name: /^ローカル実行/ }).first();
    await local.waitFor();
    // The toasts of the tests above would cover the panels in the screenshots below.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
    // The side bar is too narrow for the row's description: its hover shows the whole status.
    await row.hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: 'ステータス: 完了' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('88-ja-jobs-tree');
    // The rows without the hover, in light and dark: the status and the compact age fit the default width.
    await page.mouse.move(700, 400);
    await lightAndDark(wb, '88b-ja-jobs-tree');
    // Expanded: the detail rows are labelled in Japanese (src/core/jobDetails.ts through the bundle).
    await row.click();
    for (const label of ['イメージ', '入力', '出力', 'IAM ロール', '日時']) {
      await page.getByRole('treeitem', { name: new RegExp(`^${label}`) }).first().waitFor({ timeout: 30_000 });
    }
    assert.equal(await page.getByRole('treeitem', { name: /^(Image|Inputs|Outputs|Role|Times)\b/ }).count(), 0, 'no English label left');
    await wb.screenshot('89-ja-job-details');
  });

  it('the SageMaker Processing output channel says what happened in Japanese', async () => {
    const { page } = wb;
    await runCommand(page, 'Output: Show Output Channels...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('SageMaker Processing');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'SageMaker Processing' }).first().waitFor();
    await input.press('Enter');
    const output = page.locator('.part.panel .monaco-editor .view-lines').first();
    // The view renders spaces as no-break spaces: match them with \s.
    await output.locator('.view-line', { hasText: /処理ジョブ\scensus-preprocessing-[0-9-]+\sを作成しました/ }).first().waitFor({ timeout: 30_000 });
    assert.doesNotMatch((await output.textContent()) ?? '', /Created processing job/);
    await wb.screenshot('90-ja-output-channel');
  });

  it('the profile quick pick is in Japanese', async () => {
    const { page } = wb;
    await runCommand(page, 'SageMaker Processing: AWS プロファイルを切り替え…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'SDK のデフォルトチェーン' }).first().waitFor({ timeout: 30_000 });
    // The placeholder names the pick, or (no shared config files here) says there are no profiles.
    assert.match((await widget.locator('input').first().getAttribute('placeholder')) ?? '', /^(SageMaker Processing で使う AWS プロファイル|.+ にも .+ にもプロファイルがありません)$/);
    await wb.screenshot('92-ja-profile-quick-pick');
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  });

  it('a definition diagnostic is in Japanese in the Problems panel', async () => {
    const { page } = wb;
    const file = path.join(session!.ws, '.vscode', 'sagemaker-processing.json');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /"instanceType":/);
    fs.writeFileSync(file, text.replace('"instanceType":', '"instancetype":'));
    await openFile(page, 'sagemaker-processing.json');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Focus Problems');
    const panel = page.locator('.markers-panel');
    // Ours names the field meant, so it stays beside the JSON language service's "not allowed" (before this, the
    // service's entry replaced it once the service had checked the file: a race a loaded CI machine lost).
    const ours = panel.locator('.monaco-list-row', { hasText: '不明なフィールド "instancetype" ("instanceType" の誤りではありませんか?)' }).first();
    await ours.waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nThe Problems panel showed:\n${(await panel.textContent().catch(() => '')) ?? ''}`);
    });
    await wb.screenshot('91-ja-problems');
  });

  it('the schedules view in Japanese: a scheduled job with its expression and next run (light and dark)', async () => {
    const { page } = wb;
    const file = path.join(session!.ws, '.vscode', 'sagemaker-processing.json');
    fs.writeFileSync(file, JSON.stringify({
      version: '1',
      jobs: {
        'census-daily': {
          script: 'preprocessing.py',
          image: 'local/python-base:latest',
          role: 'arn:aws:iam::123456789012:role/SageMakerProcessingRole',
          inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
          outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
          schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Asia/Tokyo', role: 'arn:aws:iam::123456789012:role/SchedulerRole' },
        },
      },
    }, null, 2));
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'SageMaker Processing: ジョブをスケジュール…');
    await notification(page, /"census-daily" をスケジュールしました/).waitFor({ timeout: 90_000 });
    await runCommand(page, 'Notifications: Clear All Notifications');
    await showViewContainer(page, 'SageMaker Processing');
    const root = page.getByRole('treeitem', { name: /^スケジュール/ }).first();
    await root.waitFor({ timeout: 30_000 });
    if ((await root.getAttribute('aria-expanded')) !== 'true') await root.click();
    const item = page.getByRole('treeitem', { name: /^census-daily/ }).first();
    await item.waitFor({ timeout: 30_000 });
    assert.match((await item.textContent()) ?? '', /cron\(0 6 \* \* \? \*\) Asia\/Tokyo/);
    await lightAndDark(wb, '93-ja-schedules-view');
  });
});

/** Takes the screenshot in the current theme and in the other one (light/dark), then returns to the first. */
async function lightAndDark(wb: Workbench, name: string): Promise<void> {
  const dark = async () => (await wb.page.locator('.monaco-workbench.vs-dark').count()) > 0;
  const first = (await dark()) ? 'dark' : 'light';
  const other = first === 'dark' ? 'light' : 'dark';
  const themed = (t: string) => wb.page.locator(t === 'dark' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs:not(.vs-dark)');
  await wb.screenshot(`${name}-${first}`);
  await runCommand(wb.page, 'Preferences: Toggle between Light/Dark Themes');
  await themed(other).waitFor();
  await wb.screenshot(`${name}-${other}`);
  await runCommand(wb.page, 'Preferences: Toggle between Light/Dark Themes');
  await themed(first).waitFor();
}
