// "Create Job Definition from SDK Code" in the workbench (code-server + Chromium + moto): the seed tutorial's SDK v2
// code in a .py file, the cursor on its run() call, the Refactor menu offers the action (the extension host's real
// python3 parses the code); choosing it writes the job into .vscode/sagemaker-processing.json and says what could not
// be carried over (the role from get_execution_role()). Light, dark and Japanese screenshots
// (test-results/screenshots/95-fromcode-*.png).
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { startMoto, type Moto } from '../support/moto';
import { notification, openFile, paletteCommand, type Workbench } from '../support/workbench';
import { waitFor } from '../support/net';
import { copyCensusExample, openCensusSession, type CensusSession } from '../support/session';

const CODE = `import sagemaker
from sagemaker import get_execution_role
from sagemaker.sklearn.processing import SKLearnProcessor
from sagemaker.processing import ProcessingInput, ProcessingOutput

region = sagemaker.Session().boto_region_name
role = get_execution_role()
sklearn_processor = SKLearnProcessor(framework_version='0.20.0', role=role, instance_type='ml.m5.xlarge', instance_count=1)
input_data = 's3://sagemaker-sample-data-{}/processing/census/census-income.csv'.format(region)
sklearn_processor.run(code='preprocessing.py',
                      inputs=[ProcessingInput(source=input_data, destination='/opt/ml/processing/input')],
                      outputs=[ProcessingOutput(output_name='train_data', source='/opt/ml/processing/train'),
                               ProcessingOutput(output_name='test_data', source='/opt/ml/processing/test')],
                      arguments=['--train-test-split-ratio', '0.2'])
`;

for (const locale of ['en', 'ja'] as const) {
  describe(`Create Job Definition from SDK Code (${locale}; code-server + Chromium + moto)`, () => {
    let moto: Moto;
    let session: CensusSession | undefined;
    let wb: Workbench;
    after(async () => {
      await session?.stop();
      await moto?.stop();
    });

    it('the Refactor menu on the run() call offers it; it writes the job and names what was computed at run time', async () => {
      moto = await startMoto();
      const ws = copyCensusExample(`ws-fromcode-${locale}`);
      fs.writeFileSync(path.join(ws, 'sdk_job.py'), CODE);
      session = await openCensusSession({ moto, folder: ws, locale: locale === 'ja' ? 'ja' : undefined, settings: { 'workbench.colorTheme': locale === 'ja' ? 'Default Dark Modern' : 'Default Light Modern' } });
      wb = session.wb;
      const { page } = wb;
      await openFile(page, 'sdk_job.py');
      await page.locator('.monaco-editor .view-lines', { hasText: 'sklearn_processor.run' }).first().waitFor({ timeout: 60_000 });
      // The cursor on line 11 (inside the run() call).
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').fill(':11');
      await page.keyboard.press('Enter');
      const title = locale === 'ja' ? 'SDK のコードからジョブ定義を作成 (preprocessing)' : 'Create Job Definition from SDK Code (preprocessing)';
      const item = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
      // The first request may wait for the lazy bundle and python3: ask again until the action is listed.
      await waitFor('the import action in the Refactor menu', async () => {
        // (VS Code's own texts stay English with the test's minimal language pack: see japanese.test.ts.)
        await paletteCommand(page, 'Refactor...').catch(() => undefined);
        const shown = await item.waitFor({ timeout: 8_000 }).then(() => true, () => false);
        if (!shown) await page.keyboard.press('Escape');
        return shown || undefined;
      }, 120_000);
      await wb.screenshot(`95-fromcode-action-${locale === 'ja' ? 'ja-dark' : 'light'}`);
      // The row is focused; a click can land on the context view's pointer block.
      await page.keyboard.press('Enter');
      const defFile = path.join(ws, '.vscode', 'sagemaker-processing.json');
      const job = await waitFor('the imported job in the definition file', () => {
        const def = parse(fs.readFileSync(defFile, 'utf8')) as { jobs: Record<string, Record<string, unknown>> };
        return def.jobs.preprocessing;
      }, 60_000);
      assert.deepEqual(job, {
        framework: { name: 'sklearn', version: '0.20.0' }, instanceType: 'ml.m5.xlarge', instanceCount: 1, script: 'preprocessing.py',
        inputs: [{ source: 's3://sagemaker-sample-data-${region}/processing/census/census-income.csv', destination: '/opt/ml/processing/input' }],
        outputs: [{ name: 'train_data', source: '/opt/ml/processing/train' }, { name: 'test_data', source: '/opt/ml/processing/test' }],
        arguments: ['--train-test-split-ratio', '0.2'],
      });
      // The census job is still there (added, not replaced); the message lists the role as not carried over.
      assert.ok((parse(fs.readFileSync(defFile, 'utf8')) as { jobs: Record<string, unknown> }).jobs['census-preprocessing']);
      await notification(page, locale === 'ja' ? /ジョブ "preprocessing" を作成しました。1 個の値を引き継げませんでした: role: `get_execution_role\(\)`/ : /Created job "preprocessing" in \.vscode\/sagemaker-processing\.json\. One value could not be carried over: role: `get_execution_role\(\)`/).waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: '"preprocessing"' }).first().waitFor();
      await wb.screenshot(`95-fromcode-written-${locale === 'ja' ? 'ja-dark' : 'light'}`);
      // The dark theme's screenshot of the action is the Japanese session's (95-fromcode-action-ja-dark).
    });
  });
}
