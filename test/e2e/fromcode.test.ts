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
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto';
import { notification, openFile, paletteCommand, runCommand, type Workbench } from '../support/workbench';
import { waitFor } from '../support/net';
import { copyCensusExample, openCensusSession, type CensusSession } from '../support/session';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeProcessingJobCommand, ListProcessingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

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

// A notebook as people write it: the script in a %%writefile cell, the SDK code that runs it in a cell below.
const NB_SCRIPT = 'import sys\nprint("notebook job", sys.argv[1:])\n# written by the %%writefile cell\n';
const NB_SDK = `from sagemaker.processing import ScriptProcessor
processor = ScriptProcessor(command=['python3'], image_uri='123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest',
                            role='arn:aws:iam::123456789012:role/SageMakerProcessingRole', instance_count=1, instance_type='ml.m5.large')
processor.run(code='nb_job.py', arguments=['--from', 'notebook'])
`;
function notebookJson(): string {
  const cell = (text: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: text.split(/(?<=\n)/) });
  return JSON.stringify({
    cells: [{ cell_type: 'markdown', metadata: {}, source: ['# Bring your notebook'] }, cell(`%%writefile nb_job.py\n${NB_SCRIPT}`), cell(NB_SDK)],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4, nbformat_minor: 5,
  }, null, 1);
}

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

    it('a %%writefile cell in the notebook editor: "Run as Processing Job" writes the script, makes its job from the SDK cell and submits it', async () => {
      const { page } = wb;
      const ws = session!.ws;
      fs.writeFileSync(path.join(ws, 'bring.ipynb'), notebookJson());
      assert.equal(fs.existsSync(path.join(ws, 'nb_job.py')), false);
      await openFile(page, 'bring.ipynb');
      const runTitle = locale === 'ja' ? '処理ジョブとして実行' : 'Run as Processing Job';
      const item = page.locator('.notebook-editor .cell-status-item', { hasText: runTitle }).first();
      await item.waitFor({ timeout: 60_000 });
      // Only the %%writefile cell has the items (both of them).
      assert.equal(await page.locator('.notebook-editor .cell-status-item', { hasText: runTitle }).count(), 1);
      assert.equal(await page.locator('.notebook-editor .cell-status-item', { hasText: locale === 'ja' ? 'ローカルで実行' : 'Run Locally' }).count(), 1);
      await wb.screenshot(`96-notebook-writefile-cell-${locale === 'ja' ? 'ja-dark' : 'light'}`);
      await item.click();
      // The file is written with the cell's text after the magic line.
      await waitFor('nb_job.py written from its cell', () => (fs.existsSync(path.join(ws, 'nb_job.py')) ? true : undefined), 60_000);
      assert.equal(fs.readFileSync(path.join(ws, 'nb_job.py'), 'utf8'), NB_SCRIPT);
      // No job runs it yet: the SDK cell below does, so the message offers to create it from there.
      const ask = notification(page, locale === 'ja' ? /\.vscode\/sagemaker-processing\.json には nb_job\.py を実行するジョブがまだありません。/ : /No job in \.vscode\/sagemaker-processing\.json runs nb_job\.py yet\./);
      await ask.waitFor({ timeout: 60_000 });
      await wb.screenshot(`96-notebook-no-job-yet-${locale === 'ja' ? 'ja-dark' : 'light'}`);
      await ask.locator('.monaco-button', { hasText: locale === 'ja' ? 'ノートブックの SDK コードから作成' : "Create from the Notebook's SDK Code" }).click();
      const defFile = path.join(ws, '.vscode', 'sagemaker-processing.json');
      const job = await waitFor('the notebook job in the definition file', () => {
        const def = parse(fs.readFileSync(defFile, 'utf8')) as { jobs: Record<string, Record<string, unknown>> };
        return Object.values(def.jobs).find((j) => j.script === 'nb_job.py');
      }, 60_000);
      assert.deepEqual(job, {
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest', command: ['python3'],
        role: 'arn:aws:iam::123456789012:role/SageMakerProcessingRole', instanceType: 'ml.m5.large', instanceCount: 1, script: 'nb_job.py', arguments: ['--from', 'notebook'],
      });
      // Then the job is submitted (moto): its code in S3 is the cell's text, its arguments the SDK cell's.
      const sm = new SageMakerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
      const s3 = new S3Client({ endpoint: moto.endpoint, region: TEST_REGION, forcePathStyle: true, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
      try {
        const name = await waitFor('the notebook job in moto', async () => {
          const out = await sm.send(new ListProcessingJobsCommand({ MaxResults: 100 }));
          return (out.ProcessingJobSummaries ?? []).map((j) => j.ProcessingJobName ?? '').find((n) => n.startsWith('sagemaker-processing-census-'));
        }, 90_000, 250).catch(async (e) => {
          await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
          await wb.screenshot(`96-notebook-job-missing-${locale}`);
          throw e;
        });
        // (Its "Started processing job …" toast is not awaited here: toasts without an error hide on their own, and a
        // loaded run saw it gone before the job was listed; the job and its code in S3 are the outcome.)
        const bucket = 'sagemaker-us-east-1-123456789012';
        const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${name}/` }))).Contents ?? []).map((o) => o.Key);
        assert.deepEqual(keys, [`${name}/input/code/nb_job.py`]);
        const code = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${name}/input/code/nb_job.py` }))).Body!.transformToString();
        assert.equal(code, NB_SCRIPT);
      } finally {
        sm.destroy();
        s3.destroy();
      }
      await wb.screenshot(`96-notebook-job-started-${locale === 'ja' ? 'ja-dark' : 'light'}`);

      // The notebook itself as a job (`notebook` + `parameters`): the notebook editor's title action runs it; the
      // request is papermill on the notebook (as the SDK's ScriptProcessor(command=['papermill']) sends it).
      const text = fs.readFileSync(defFile, 'utf8');
      // Added as the last job (the lines the open definition editor shows), so the editor's reload can be seen.
      const jobsEnd = text.lastIndexOf('}', text.lastIndexOf('}') - 1);
      fs.writeFileSync(defFile, `${text.slice(0, jobsEnd).trimEnd()},\n    "bring-notebook": { "notebook": "bring.ipynb", "baseJobName": "bring-notebook", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest", "parameters": { "ratio": 0.5 } }\n  ${text.slice(jobsEnd)}`);
      await page.locator('.monaco-editor .view-lines', { hasText: '"bring-notebook"' }).first().waitFor({ timeout: 30_000 });
      // The notebook is open in a tab already: its tab, not Quick Open (which lists it twice: recent and file).
      await page.locator('.tabs-container .tab', { hasText: 'bring.ipynb' }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'bring.ipynb' }).first().waitFor({ timeout: 30_000 });
      const titleAction = page.locator(`.editor-actions .action-label[aria-label="${runTitle}"]`).first();
      await titleAction.waitFor({ timeout: 30_000 });
      await titleAction.click();
      const sm2 = new SageMakerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
      try {
        const nbJob = await waitFor('the notebook job in moto', async () => {
          const out = await sm2.send(new ListProcessingJobsCommand({ MaxResults: 100 }));
          return (out.ProcessingJobSummaries ?? []).map((j) => j.ProcessingJobName ?? '').find((n) => n.startsWith('bring-notebook-'));
        }, 90_000, 250).catch(async (e) => {
          await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
          await wb.screenshot(`96-notebook-run-missing-${locale}`);
          throw e;
        });
        const d = await sm2.send(new DescribeProcessingJobCommand({ ProcessingJobName: nbJob }));
        assert.deepEqual(d.AppSpecification?.ContainerEntrypoint, ['papermill', '/opt/ml/processing/input/code/bring.ipynb']);
        assert.deepEqual(d.AppSpecification?.ContainerArguments, ['/opt/ml/processing/notebook-output/bring.ipynb', '--kernel', 'python3', '--log-output', '-p', 'ratio', '0.5']);
        assert.deepEqual(d.ProcessingOutputConfig?.Outputs?.map((o) => [o.OutputName, o.S3Output?.LocalPath]), [['notebook', '/opt/ml/processing/notebook-output']]);
      } finally {
        sm2.destroy();
      }
      await wb.screenshot(`96-notebook-run-notebook-${locale === 'ja' ? 'ja-dark' : 'light'}`);
    });
  });
}
