// "Create Job Definition from SDK Code", checked against the SDK itself: the seed tutorial's notebook (a %%writefile
// cell, the census input, SKLearnProcessor, run() with inputs, outputs and arguments) is run cell by cell with the
// pinned SDK (test/support/notebook_cells_driver.py; v2 from $SMP_CACHE/bench-venv, v3 spelling from
// $SMP_CACHE/sdk-v3-venv) against moto behind the recording proxy, and imported by ours (the user's Python parses it,
// core/sdkImport maps it, the save-definition code writes it, core/submit submits it). The two CreateProcessingJob
// bodies must be equal (job names, a millisecond timestamp, replaced by <JOB>) and the uploaded script the same bytes.
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { startProxy, type ProxiedRequest, type ScriptedProxy } from '../support/proxy';
import { CACHE, ROOT, scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { submitJob } from '../../src/core/submit';
import { parsePython } from '../../src/local/pythonAst';
import { importFromNotebookCells } from '../../src/core/sdkImport/importCode';
import { planImportFromCode } from '../../src/core/saveDefinition';
import { addJobToDefinitionText } from '../../src/core/jobToDefinition';

const V2_PYTHON = path.join(CACHE, 'bench-venv', 'bin', 'python');
const V3_PYTHON = path.join(CACHE, 'sdk-v3-venv', 'bin', 'python');
const DRIVER = path.join(ROOT, 'test', 'support', 'notebook_cells_driver.py');
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SageMakerProcessingRole`;
const PY = process.platform === 'win32' ? 'python' : 'python3';

const SCRIPT = `import argparse
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument('--train-test-split-ratio', type=float, default=0.3)
args, _ = parser.parse_known_args()
print('Received arguments {}'.format(args))
`;

/** The seed tutorial's cells (v2 spelling): setup, %%writefile, the processor, run(). */
const V2_CELLS = [
  `import sagemaker\nfrom sagemaker.sklearn.processing import SKLearnProcessor\nfrom sagemaker.processing import ProcessingInput, ProcessingOutput\n\nregion = sagemaker.Session().boto_region_name\nrole = '${ROLE}'\n`,
  `!pip install s3fs\ninput_data = 's3://sagemaker-sample-data-{}/processing/census/census-income.csv'.format(region)\n`,
  `%%writefile preprocessing.py\n${SCRIPT}`,
  `sklearn_processor = SKLearnProcessor(framework_version='0.20.0',\n                                     role=role,\n                                     instance_type='ml.m5.xlarge',\n                                     instance_count=1)\n`,
  `sklearn_processor.run(code='preprocessing.py', # 前処理ジョブで実行するスクリプト\n                      inputs=[ProcessingInput(\n                        source=input_data,\n                        destination='/opt/ml/processing/input')],\n                      outputs=[ProcessingOutput(output_name='train_data',\n                                                source='/opt/ml/processing/train'),\n                               ProcessingOutput(output_name='test_data',\n                                                source='/opt/ml/processing/test')],\n                      arguments=['--train-test-split-ratio', '0.2'] # ここでpreprocessing.pyのコマンド引数を指定\n                     )\n`,
];

/** The same job in SDK v3's spelling (sagemaker.core: no SKLearnProcessor; named inputs/outputs with S3 shapes). */
const V3_CELLS = [
  `from sagemaker.core.helper.session_helper import Session\nfrom sagemaker.core import image_uris\nfrom sagemaker.core.processing import ScriptProcessor\nfrom sagemaker.core.shapes import ProcessingInput, ProcessingS3Input, ProcessingOutput, ProcessingS3Output\n\nsession = Session()\nregion = session.boto_region_name\nrole = '${ROLE}'\n`,
  `input_data = f's3://sagemaker-sample-data-{region}/processing/census/census-income.csv'\nbucket = session.default_bucket()\n`,
  `%%writefile preprocessing.py\n${SCRIPT}`,
  `image = image_uris.retrieve(framework='sklearn', region=region, version='1.2-1')\nprocessor = ScriptProcessor(image_uri=image, command=['python3'], role=role, instance_type='ml.m5.xlarge', instance_count=1, sagemaker_session=session)\n`,
  `processor.run(\n    code='preprocessing.py',\n    inputs=[ProcessingInput(input_name='input-1', s3_input=ProcessingS3Input(s3_uri=input_data, local_path='/opt/ml/processing/input', s3_data_type='S3Prefix', s3_input_mode='File', s3_data_distribution_type='FullyReplicated'))],\n    outputs=[\n        ProcessingOutput(output_name='train_data', s3_output=ProcessingS3Output(s3_uri=f's3://{bucket}/census/train', local_path='/opt/ml/processing/train', s3_upload_mode='EndOfJob')),\n        ProcessingOutput(output_name='test_data', s3_output=ProcessingS3Output(s3_uri=f's3://{bucket}/census/test', local_path='/opt/ml/processing/test', s3_upload_mode='EndOfJob')),\n    ],\n    arguments=['--train-test-split-ratio', '0.2'],\n)\n`,
];

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((c) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: c.split(/(?<=\n)/) })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

interface Capture {
  request: Record<string, unknown>;
  code: string;
}

describe('Create Job Definition from SDK Code: the imported job submits what the notebook cell submits', () => {
  let moto: Moto;
  let restore: () => void;
  let proxy: ScriptedProxy;
  let ws: string;
  let direct: S3Client;
  const seen: ProxiedRequest[] = [];

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    proxy.onRequest = (r) => seen.push(r);
    direct = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true });
    ws = scratchDir('sdk-import');
  });
  after(async () => {
    direct?.destroy();
    await proxy?.stop();
    restore?.();
    await moto?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await moto.reset();
  });

  async function collect(from: number): Promise<Capture> {
    const create = seen.slice(from).find((r) => r.action === 'CreateProcessingJob');
    assert.ok(create?.json, 'no CreateProcessingJob was sent');
    const req = create.json as Record<string, unknown>;
    const job = String(req.ProcessingJobName);
    const codeInput = (req.ProcessingInputs as { InputName: string; S3Input: { S3Uri: string } }[]).find((i) => i.InputName === 'code');
    assert.ok(codeInput, 'no code input');
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(codeInput.S3Input.S3Uri)!;
    const out = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const code = Buffer.from(await out.Body!.transformToByteArray()).toString('utf8');
    return { request: JSON.parse(JSON.stringify(req).split(job).join('<JOB>')) as Record<string, unknown>, code };
  }

  async function viaSdk(python: string, dir: string): Promise<Capture> {
    const from = seen.length;
    const env = { ...process.env, AWS_ENDPOINT_URL: proxy.url, AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1', PYTHONWARNINGS: 'ignore' };
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(python, [DRIVER, path.join(dir, 'census.ipynb')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const timer = setTimeout(() => p.kill('SIGKILL'), 180_000);
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
    });
    assert.equal(r.code, 0, `the notebook failed under the SDK:\n${r.err.slice(-3000)}\n${r.out.slice(-1000)}`);
    return collect(from);
  }

  /** Ours: the last cell imported (the UI's path), written into the definition file, submitted from it. */
  async function viaOurs(cells: string[], dir: string): Promise<{ capture: Capture; notes: string[]; sdk: string; definition: string }> {
    const imported = await importFromNotebookCells(cells.map((text) => ({ code: true, text })), cells.length - 1, (src) => parsePython(PY, src));
    assert.equal(imported.jobs.length, 1, imported.reason);
    const plan = planImportFromCode(imported.jobs[0], undefined, { workspaceFolder: ws, codeFolder: dir });
    const written = addJobToDefinitionText(undefined, plan.key, plan.job);
    const aws = new AwsClients({ endpointUrl: proxy.url, region: 'us-east-1' });
    const from = seen.length;
    try {
      const r = await submitJob(awsSubmitPorts(aws), { definitionText: written.text, workspaceFolder: ws, jobKey: written.key });
      assert.ok(r);
      return { capture: await collect(from), notes: plan.notes, sdk: imported.jobs[0].sdk, definition: written.text };
    } finally {
      aws.dispose();
    }
  }

  for (const [label, cells, python] of [['v2 (SKLearnProcessor, sagemaker 2.257.7)', V2_CELLS, V2_PYTHON], ['v3 (sagemaker.core ScriptProcessor + image_uris.retrieve, sagemaker 3.27.0)', V3_CELLS, V3_PYTHON]] as const) {
    it(`the seed notebook in ${label}`, async (t) => {
      if (!fs.existsSync(python)) {
        if (python === V3_PYTHON) return t.skip(`SDK v3 venv missing (${python})`);
        assert.fail(`the pinned SDK venv is missing: ${python}`);
      }
      const dir = path.join(ws, label.startsWith('v2') ? 'nb2' : 'nb3');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'census.ipynb'), notebook(cells));
      const sdk = await viaSdk(python, dir);
      // The %%writefile cell ran under the SDK: the script is there for ours too, at the same path.
      assert.equal(fs.readFileSync(path.join(dir, 'preprocessing.py'), 'utf8'), SCRIPT);
      const ours = await viaOurs(cells, dir);
      assert.equal(ours.sdk, label.slice(0, 2));
      if (ours.sdk === 'v3') {
        // The one known v3 difference (issue #27 item 1, the definition's `sdk` field, decides it): v3 leaves
        // AppManaged out of inputs/outputs; ours sends the v2 form (AppManaged: false). Asserted, then removed.
        const strip = (r: Record<string, unknown>, expectPresent: boolean) => {
          const items = [...(r.ProcessingInputs as Record<string, unknown>[]), ...((r.ProcessingOutputConfig as { Outputs: Record<string, unknown>[] }).Outputs)];
          for (const i of items) {
            assert.equal('AppManaged' in i, expectPresent, JSON.stringify(i));
            delete i.AppManaged;
          }
        };
        strip(ours.capture.request, true);
        strip(sdk.request, false);
      }
      assert.deepEqual(ours.capture.request, sdk.request);
      assert.equal(ours.capture.code, sdk.code);
      assert.equal(ours.capture.code, SCRIPT);
      // The definition names the notebook's folder for the script and keeps the region/bucket as variables.
      const def = JSON.parse(ours.definition) as { jobs: Record<string, { script: string; inputs: { source: string }[] }> };
      assert.equal(def.jobs.preprocessing.script, `${path.basename(dir)}/preprocessing.py`);
      assert.equal(def.jobs.preprocessing.inputs[0].source, 's3://sagemaker-sample-data-${region}/processing/census/census-income.csv');
      // Sanity on the request itself (independent of ours): the census input and both outputs.
      const req = sdk.request as { ProcessingInputs: { S3Input: { S3Uri: string } }[]; ProcessingOutputConfig: { Outputs: { OutputName: string }[] }; AppSpecification: { ContainerArguments: string[] } };
      assert.equal(req.ProcessingInputs[0].S3Input.S3Uri, 's3://sagemaker-sample-data-us-east-1/processing/census/census-income.csv');
      assert.deepEqual(req.ProcessingOutputConfig.Outputs.map((o) => o.OutputName), ['train_data', 'test_data']);
      assert.deepEqual(req.AppSpecification.ContainerArguments, ['--train-test-split-ratio', '0.2']);
      assert.deepEqual(ours.notes, []);
    });
  }
});
