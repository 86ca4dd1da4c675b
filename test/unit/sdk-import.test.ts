// core/sdkImport: SageMaker Python SDK code (v2 and v3 spellings) → a job definition, parsed by the machine's real
// Python `ast` (src/local/pythonAst.ts). Expectations are written out by hand from the SDK's documented parameters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parsePython } from '../../src/local/pythonAst';
import { importFromModule } from '../../src/core/sdkImport/fromCode';
import { notebookSource, writefileOf } from '../../src/core/sdkImport/notebook';
import { planImportFromCode } from '../../src/core/saveDefinition';
import { addJobToDefinitionText } from '../../src/core/jobToDefinition';
import type { PyNode } from '../../src/core/sdkImport/pyAst';

const PY = process.platform === 'win32' ? 'python' : 'python3';

async function tree(src: string): Promise<PyNode> {
  const r = await parsePython(PY, src);
  assert.ok(r.ok, `parse failed: ${JSON.stringify(r)}`);
  return r.tree;
}

const SEED_V2 = `import sagemaker
from sagemaker import get_execution_role
from sagemaker.sklearn.processing import SKLearnProcessor
from sagemaker.processing import ProcessingInput, ProcessingOutput

region = sagemaker.Session().boto_region_name
role = get_execution_role()
sklearn_processor = SKLearnProcessor(framework_version='0.20.0',
                                     role=role,
                                     instance_type='ml.m5.xlarge',
                                     instance_count=1)
input_data = 's3://sagemaker-sample-data-{}/processing/census/census-income.csv'.format(region)
sklearn_processor.run(code='preprocessing.py',
                      inputs=[ProcessingInput(
                        source=input_data,
                        destination='/opt/ml/processing/input')],
                      outputs=[ProcessingOutput(output_name='train_data',
                                                source='/opt/ml/processing/train'),
                               ProcessingOutput(output_name='test_data',
                                                source='/opt/ml/processing/test')],
                      arguments=['--train-test-split-ratio', '0.2']
                     )
`;

test('the seed tutorial cell (SKLearnProcessor, census input, two outputs, arguments) becomes the same job; the role is reported as computed at run time', async () => {
  const r = importFromModule(await tree(SEED_V2));
  assert.equal(r.jobs.length, 1);
  const j = r.jobs[0];
  assert.equal(j.key, 'preprocessing');
  assert.equal(j.sdk, 'v2');
  assert.equal(j.line, 13);
  assert.deepEqual(j.job, {
    framework: { name: 'sklearn', version: '0.20.0' },
    instanceType: 'ml.m5.xlarge',
    instanceCount: 1,
    script: 'preprocessing.py',
    inputs: [{ source: 's3://sagemaker-sample-data-${region}/processing/census/census-income.csv', destination: '/opt/ml/processing/input' }],
    outputs: [{ name: 'train_data', source: '/opt/ml/processing/train' }, { name: 'test_data', source: '/opt/ml/processing/test' }],
    arguments: ['--train-test-split-ratio', '0.2'],
  });
  assert.equal(j.notes.length, 1);
  assert.match(j.notes[0], /^role: `get_execution_role\(\)` is computed at run time/);
});

test('ScriptProcessor with NetworkConfig, env, tags, KMS keys, positional ProcessingInput, f-strings and + on variables', async () => {
  const src = `from sagemaker.processing import ScriptProcessor, ProcessingInput, ProcessingOutput
from sagemaker.network import NetworkConfig
bucket = 'my-bucket'
prefix = 'census'
image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:1.0'
args = ['--ratio']
args += ['0.2']
p = ScriptProcessor(role='arn:aws:iam::123456789012:role/R', image_uri=image, command=['python3', '-u'],
    instance_count=2, instance_type='ml.c5.xlarge', volume_size_in_gb=50, max_runtime_in_seconds=3600,
    base_job_name='census-prep', env={'MODE': 'full'}, tags=[{'Key': 'team', 'Value': 'ml'}],
    volume_kms_key='vk', output_kms_key='ok',
    network_config=NetworkConfig(subnets=['subnet-1'], security_group_ids=['sg-1'], enable_network_isolation=True))
p.run('prep.py',
    inputs=[ProcessingInput(f's3://{bucket}/{prefix}/raw', '/opt/ml/processing/input', input_name='raw', s3_data_distribution_type='ShardedByS3Key'),
            ProcessingInput(source='data/local.csv', destination='/opt/ml/processing/local')],
    outputs=[ProcessingOutput(source='/opt/ml/processing/out', destination='s3://' + bucket + '/out', s3_upload_mode='Continuous')],
    arguments=args + ['--n', 3], job_name='fixed-name', kms_key='ck', wait=False, logs=False)
`;
  const [j] = importFromModule(await tree(src)).jobs;
  assert.equal(j.key, 'census-prep');
  assert.deepEqual(j.job, {
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:1.0',
    command: ['python3', '-u'],
    role: 'arn:aws:iam::123456789012:role/R',
    instanceType: 'ml.c5.xlarge',
    instanceCount: 2,
    volumeSizeGB: 50,
    volumeKmsKeyId: 'vk',
    outputKmsKeyId: 'ok',
    maxRuntimeSeconds: 3600,
    baseJobName: 'census-prep',
    environment: { MODE: 'full' },
    tags: { team: 'ml' },
    network: { subnets: ['subnet-1'], securityGroups: ['sg-1'], enableNetworkIsolation: true },
    script: 'prep.py',
    inputs: [
      { name: 'raw', source: 's3://my-bucket/census/raw', destination: '/opt/ml/processing/input', distribution: 'ShardedByS3Key' },
      { source: 'data/local.csv', destination: '/opt/ml/processing/local' },
    ],
    outputs: [{ source: '/opt/ml/processing/out', destination: 's3://my-bucket/out', uploadMode: 'Continuous' }],
    arguments: ['--ratio', '0.2', '--n', '3'],
    jobName: 'fixed-name',
    kmsKey: 'ck',
  });
  assert.deepEqual(j.notes, []);
});

test('FrameworkProcessor(estimator_cls=…, source_dir=…) and PySparkProcessor; what a definition cannot hold is listed', async () => {
  const src = `from sagemaker.processing import FrameworkProcessor
from sagemaker.pytorch.estimator import PyTorch
from sagemaker.spark.processing import PySparkProcessor
import datetime
fp = FrameworkProcessor(PyTorch, '2.1.0', role='arn:aws:iam::1:role/R', instance_count=1, instance_type='ml.g5.xlarge', py_version='py310')
fp.run(code='train.py', source_dir='src', dependencies=['lib'], inputs=[], arguments=['--date', str(datetime.date.today())])
sp = PySparkProcessor(framework_version='3.3', role='arn:aws:iam::1:role/R', instance_count=2, instance_type='ml.m5.xlarge')
sp.run(submit_app='spark/app.py', submit_py_files=['spark/deps.py'], spark_event_logs_s3_uri='s3://b/events',
       configuration=[{'Classification': 'spark-defaults', 'Properties': {'spark.executor.memory': '2g'}}])
`;
  const r = importFromModule(await tree(src));
  assert.equal(r.jobs.length, 2);
  const [fw, spark] = r.jobs;
  assert.deepEqual(fw.job, { framework: { name: 'pytorch', version: '2.1.0', pythonVersion: 'py310' }, role: 'arn:aws:iam::1:role/R', instanceType: 'ml.g5.xlarge', instanceCount: 1, script: 'train.py', sourceDir: 'src' });
  assert.deepEqual(fw.notes.length, 2, fw.notes.join('\n'));
  assert.ok(fw.notes.some((n) => n.startsWith('run(dependencies=…): a job definition has no such option')));
  assert.ok(fw.notes.some((n) => n.startsWith('arguments: `str(datetime.date.today())` is computed at run time')));
  assert.deepEqual(spark.job, {
    role: 'arn:aws:iam::1:role/R', instanceType: 'ml.m5.xlarge', instanceCount: 2, script: 'spark/app.py',
    framework: { name: 'spark', version: '3.3' },
    spark: { submitPyFiles: ['spark/deps.py'], configuration: [{ Classification: 'spark-defaults', Properties: { 'spark.executor.memory': '2g' } }], eventLogsS3Uri: 's3://b/events' },
  });
  assert.equal(spark.key, 'app');
});

test('v3 spelling (sagemaker.core: ProcessingS3Input/ProcessingS3Output, image_uris.retrieve) maps to the same fields', async () => {
  const src = `from sagemaker.core.processing import ScriptProcessor
from sagemaker.core.shapes import ProcessingInput, ProcessingS3Input, ProcessingOutput, ProcessingS3Output
from sagemaker.core import image_uris
from sagemaker.core.helper.session_helper import Session
sess = Session()
image = image_uris.retrieve(framework='sklearn', region=sess.boto_region_name, version='1.2-1')
proc = ScriptProcessor(image_uri=image, command=['python3'], role='arn:aws:iam::1:role/R', instance_type='ml.m5.xlarge', instance_count=1)
proc.run(code='preprocessing.py',
    inputs=[ProcessingInput(input_name='input-1', s3_input=ProcessingS3Input(s3_uri=f's3://{sess.default_bucket()}/census.csv', local_path='/opt/ml/processing/input', s3_data_type='S3Prefix', s3_input_mode='File'))],
    outputs=[ProcessingOutput(output_name='train_data', s3_output=ProcessingS3Output(s3_uri='s3://b/train', local_path='/opt/ml/processing/train', s3_upload_mode='EndOfJob'))])
`;
  const [j] = importFromModule(await tree(src)).jobs;
  assert.equal(j.sdk, 'v3');
  assert.deepEqual(j.job, {
    framework: { name: 'sklearn', version: '1.2-1' }, command: ['python3'], role: 'arn:aws:iam::1:role/R', instanceType: 'ml.m5.xlarge', instanceCount: 1,
    script: 'preprocessing.py',
    inputs: [{ name: 'input-1', source: 's3://${defaultBucket}/census.csv', destination: '/opt/ml/processing/input' }],
    outputs: [{ name: 'train_data', source: '/opt/ml/processing/train', destination: 's3://b/train' }],
  });
  assert.deepEqual(j.notes, []);
});

test('values computed at run time: required fields keep a visible placeholder, optional ones are left out, each is listed', async () => {
  const src = `import os
from sagemaker.processing import ScriptProcessor, ProcessingInput
for i in range(2):
    n = i
p = ScriptProcessor(role=os.environ['ROLE'], image_uri='img', command=['python3'], instance_count=n, instance_type='ml.m5.xlarge')
p.run(code=os.path.join('a', 'b.py'), inputs=[ProcessingInput(source=get_uri(), destination='/opt/ml/processing/in')])
`;
  const [j] = importFromModule(await tree(src)).jobs;
  assert.deepEqual(j.job, { image: 'img', command: ['python3'], instanceType: 'ml.m5.xlarge', script: "<os.path.join('a', 'b.py')>", inputs: [{ source: '<get_uri()>', destination: '/opt/ml/processing/in' }] });
  assert.deepEqual(j.notes.map((n) => n.split(':')[0]), ['role', 'instance_count', 'code', 'inputs[0].source']);
});

test('a range picks the run() calls on its lines; no run() call gives a reason', async () => {
  const src = `from sagemaker.processing import ScriptProcessor
a = ScriptProcessor(role='r', image_uri='i', command=['python3'], instance_count=1, instance_type='ml.m5.xlarge')
a.run(code='one.py')
a.run(code='two.py')
`;
  const t = await tree(src);
  assert.deepEqual(importFromModule(t, { startLine: 4, endLine: 4 }).jobs.map((j) => j.job.script), ['two.py']);
  assert.deepEqual(importFromModule(t).jobs.map((j) => j.job.script), ['one.py', 'two.py']);
  const none = importFromModule(t, { startLine: 1, endLine: 2 });
  assert.equal(none.jobs.length, 0);
  assert.match(none.reason ?? '', /No processor `\.run\(…\)` call/);
});

test('notebook cells: earlier cells give the variables, magics are blanked, %%writefile cells are recorded', async () => {
  const cells = [
    { code: true, text: "!pip install s3fs\n%matplotlib inline\nrole = 'arn:aws:iam::1:role/R'" },
    { code: false, text: '# Markdown' },
    { code: true, text: '%%writefile preprocessing.py\nimport pandas as pd\nprint(1 +)\n' },
    { code: true, text: "from sagemaker.sklearn.processing import SKLearnProcessor\np = SKLearnProcessor('1.2-1', role, 1, 'ml.m5.xlarge')\np.run(code='preprocessing.py')" },
  ];
  const nb = notebookSource(cells, 3);
  assert.deepEqual(nb.writefiles, [{ cell: 2, path: 'preprocessing.py', append: false, content: 'import pandas as pd\nprint(1 +)\n' }]);
  assert.equal(nb.cellOfLine[nb.range.startLine - 1], 3);
  const r = importFromModule(await tree(nb.source), nb.range);
  assert.deepEqual(r.jobs[0].job, { framework: { name: 'sklearn', version: '1.2-1' }, role: 'arn:aws:iam::1:role/R', instanceType: 'ml.m5.xlarge', instanceCount: 1, script: 'preprocessing.py' });
  assert.deepEqual(writefileOf('%%writefile -a "my script.py"\nx'), { path: 'my script.py', append: true, content: 'x' });
  assert.equal(writefileOf('print(1)'), undefined);
});

test('a syntax error is reported with its line, not guessed around', async () => {
  const r = await parsePython(PY, 'x = (\n');
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.line === 1);
});

test('the imported job is written with the save-definition code: paths relative to the workspace, unique key, sameScript found', async () => {
  const [j] = importFromModule(await tree(SEED_V2)).jobs;
  const ws = path.resolve('/ws');
  const existing = JSON.stringify({ version: '1', jobs: { preprocessing: { script: 'notebooks/preprocessing.py', image: 'x' } } });
  const plan = planImportFromCode(j, existing, { workspaceFolder: ws, codeFolder: path.join(ws, 'notebooks') });
  assert.equal(plan.job.script, 'notebooks/preprocessing.py');
  assert.deepEqual(plan.sameScript, ['preprocessing']);
  const out = addJobToDefinitionText(existing, plan.key, plan.job);
  assert.equal(out.key, 'preprocessing-2');
  assert.equal(JSON.parse(out.text).jobs['preprocessing-2'].inputs[0].source, 's3://sagemaker-sample-data-${region}/processing/census/census-income.csv');
});
