import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkDefinitionText, jobsForScript, loadDefinition, resolveJob } from '../../src/core/definition/resolve';
import { buildRequest, planUploads } from '../../src/core/definition/request';
import { baseNameFromImage, generateJobName, JOB_NAME_PATTERN, timestamp } from '../../src/core/definition/naming';
import { frameworkImageUri } from '../../src/core/definition/frameworks';
import { toContainerSpec } from '../../src/core/definition/containerSpec';
import { toCliInputJson, toPythonSdk } from '../../src/core/definition/export';
import { packSourceDir, nodeFileSystem } from '../../src/core/definition/files';
import { runprocScript } from '../../src/core/definition/layout';
import { substitute } from '../../src/core/definition/variables';
import { DefinitionError } from '../../src/core/definition/types';
import { definitionWorkspace } from '../support/workspace';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const NOW = new Date(Date.UTC(2026, 10, 27, 9, 5, 7, 42));

let ws: string;
before(() => {
  ws = definitionWorkspace({ sourceDir: true });
});
after(() => fs.rmSync(ws, { recursive: true, force: true }));

const ctx = () => ({ workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: NOW, env: { STAGE: 'dev' } });

describe('naming (the SDK scheme)', () => {
  it('timestamps and bases', () => {
    assert.equal(timestamp(NOW), '2026-11-27-09-05-07-042');
    assert.equal(generateJobName({ baseJobName: 'census' }, NOW), 'census-2026-11-27-09-05-07-042');
    assert.equal(generateJobName({ image: '1.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' }, NOW), 'sagemaker-scikit-learn-2026-11-27-09-05-07-042');
    assert.equal(generateJobName({}, NOW), 'processing-job-2026-11-27-09-05-07-042');
    const long = generateJobName({ baseJobName: 'a'.repeat(80) }, NOW);
    assert.equal(long.length, 63);
    assert.match(long, JOB_NAME_PATTERN);
    assert.equal(baseNameFromImage('repo'), 'repo');
    assert.equal(baseNameFromImage('host:5000/ns/repo:tag'), 'repo');
    assert.match(generateJobName({ image: 'x/my_repo.v2:1' }, NOW), JOB_NAME_PATTERN);
  });
});

describe('variables', () => {
  it('substitutes the launch.json-style variables', () => {
    const v = { workspaceFolder: '/w', file: '/w/a/b.py', region: 'eu-west-1', accountId: '1', defaultBucket: 'bk', jobName: 'j', env: { HOME: '/root' } };
    assert.equal(substitute('${workspaceFolder}|${file}|${fileBasename}|${fileBasenameNoExtension}|${env:HOME}|${region}|${accountId}|${defaultBucket}|${jobName}', v).value,
      '/w|/w/a/b.py|b.py|b|/root|eu-west-1|1|bk|j');
    assert.match(substitute('${nope}', v).problems[0], /unknown variable/);
  });
});

describe('frameworks', () => {
  it('resolves per region and explains unknowns', () => {
    assert.deepEqual(frameworkImageUri({ name: 'sklearn', version: '1.2-1' }, 'us-east-1'), { uri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' });
    assert.deepEqual(frameworkImageUri({ name: 'sklearn', version: '1.2-1' }, 'eu-west-1'), { uri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' });
    assert.deepEqual(frameworkImageUri({ name: 'pytorch', version: '2.0.1' }, 'us-west-2', 'ml.g5.xlarge'), { uri: '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.0.1-gpu-py310' });
    assert.deepEqual(frameworkImageUri({ name: 'spark', version: '3.3' }, 'us-east-1'), { uri: '173754725891.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-processing:3.3-cpu' }); // PySparkProcessor's tag
    assert.deepEqual(frameworkImageUri({ name: 'xgboost', version: '1.7-1' }, 'ap-southeast-2'), { uri: '783357654285.dkr.ecr.ap-southeast-2.amazonaws.com/sagemaker-xgboost:1.7-1' });
    assert.deepEqual(frameworkImageUri({ name: 'tensorflow', version: '2.13.0' }, 'eu-central-1'), { uri: '763104351884.dkr.ecr.eu-central-1.amazonaws.com/tensorflow-training:2.13.0-cpu-py310' });
    const e = frameworkImageUri({ name: 'sklearn', version: '1.2-1' }, 'mars-north-1');
    assert.ok('error' in e && /not known in region "mars-north-1"; known regions: us-east-1/.test(e.error));
  });
});

describe('definition → CreateProcessingJob request (SDK-identical)', () => {
  it('ScriptProcessor shape: code input, entrypoint, local inputs, default outputs and modes', async () => {
    const def = loadDefinition(JSON.stringify({
      version: '1',
      defaults: { role: ROLE, instanceType: 'ml.m5.xlarge' },
      jobs: {
        census: {
          script: 'preprocessing.py', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest', baseJobName: 'census-prep',
          inputs: [
            { name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' },
            { source: 's3://other/prefix', destination: '/opt/ml/processing/extra/', inputMode: 'Pipe', distribution: 'ShardedByS3Key' },
            { name: 'dir', source: 'data', destination: '/opt/ml/processing/dir' },
          ],
          outputs: [{ name: 'train', source: '/opt/ml/processing/train' }, { source: '/opt/ml/processing/test', destination: 's3://mine/test', uploadMode: 'Continuous' }],
          arguments: ['--stage', '${env:STAGE}', '--out', 's3://${defaultBucket}/${jobName}/x'],
          environment: { A: '1' }, maxRuntimeSeconds: 3600, tags: { team: 'ml' }, volumeSizeGB: 50,
        },
      },
    }), { workspaceFolder: ws, variables: { env: { STAGE: 'dev' } } });
    const job = resolveJob(def, 'census', ctx());
    const name = 'census-prep-2026-11-27-09-05-07-042';
    const b = 'sagemaker-us-east-1-123456789012';
    assert.deepEqual(buildRequest(job, nodeFileSystem), {
      ProcessingJobName: name,
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 50 } },
      AppSpecification: {
        ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest',
        ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'],
        ContainerArguments: ['--stage', 'dev', '--out', `s3://${b}/${name}/x`],
      },
      RoleArn: ROLE,
      ProcessingInputs: [
        { InputName: 'census', AppManaged: false, S3Input: { S3Uri: `s3://${b}/${name}/input/census/census.csv`, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' } },
        { InputName: 'input-2', AppManaged: false, S3Input: { S3Uri: 's3://other/prefix', LocalPath: '/opt/ml/processing/extra', S3DataType: 'S3Prefix', S3InputMode: 'Pipe', S3DataDistributionType: 'ShardedByS3Key', S3CompressionType: 'None' } },
        { InputName: 'dir', AppManaged: false, S3Input: { S3Uri: `s3://${b}/${name}/input/dir`, LocalPath: '/opt/ml/processing/dir', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' } },
        { InputName: 'code', AppManaged: false, S3Input: { S3Uri: `s3://${b}/${name}/input/code/preprocessing.py`, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' } },
      ],
      ProcessingOutputConfig: {
        Outputs: [
          { OutputName: 'train', AppManaged: false, S3Output: { S3Uri: `s3://${b}/${name}/output/train`, LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } },
          { OutputName: 'output-2', AppManaged: false, S3Output: { S3Uri: 's3://mine/test', LocalPath: '/opt/ml/processing/test', S3UploadMode: 'Continuous' } },
        ],
      },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      Environment: { A: '1' },
      Tags: [{ Key: 'team', Value: 'ml' }],
    });
    assert.deepEqual((await planUploads(job, nodeFileSystem)).map((u) => u.key), [
      `${name}/input/code/preprocessing.py`, `${name}/input/census/census.csv`, `${name}/input/dir/census.csv`,
    ]);
  });

  it('minimal job: defaults (python3, 30 GB, no arguments key), name from the image, framework image, network', () => {
    const def = loadDefinition(`{
      // comments and trailing commas are fine
      "version": "1",
      "jobs": { "fw": { "script": "preprocessing.py", "role": "${ROLE}", "framework": { "name": "sklearn", "version": "1.2-1" },
        "network": { "enableNetworkIsolation": true, "subnets": ["subnet-1"], "securityGroups": ["sg-1"] }, }, },
    }`, { workspaceFolder: ws });
    const job = resolveJob(def, 'fw', { ...ctx(), region: 'eu-west-1', defaultBucket: 'my-bucket' });
    const req = buildRequest(job, nodeFileSystem);
    assert.equal(req.ProcessingJobName, 'sagemaker-scikit-learn-2026-11-27-09-05-07-042');
    assert.equal(req.AppSpecification.ImageUri, '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    assert.deepEqual(req.AppSpecification.ContainerEntrypoint, ['python3', '/opt/ml/processing/input/code/preprocessing.py']);
    assert.equal('ContainerArguments' in req.AppSpecification, false);
    assert.equal(req.ProcessingResources.ClusterConfig.VolumeSizeInGB, 30);
    assert.equal(req.ProcessingOutputConfig, undefined);
    assert.equal(req.ProcessingInputs?.[0].S3Input.S3Uri, `s3://my-bucket/${req.ProcessingJobName}/input/code/preprocessing.py`);
    assert.deepEqual(req.NetworkConfig, { EnableNetworkIsolation: true, VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } });
  });

  it('build block: ECR URI of the account, or the resolveBuildImage hook', () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { b: { script: 'preprocessing.py', build: { repository: 'census-img', tag: 'v1', dockerfile: 'preprocessing.py' } } } }), { workspaceFolder: ws });
    assert.equal(resolveJob(def, 'b', ctx()).image, '123456789012.dkr.ecr.us-east-1.amazonaws.com/census-img:v1');
    const hooked = resolveJob(def, 'b', { ...ctx(), resolveBuildImage: (b) => `built/${b.repository}@sha256:abc` });
    assert.equal(hooked.image, 'built/census-img@sha256:abc');
    assert.equal(hooked.build?.dockerfile, path.join(ws, 'preprocessing.py'));
    assert.equal(hooked.build?.context, ws);
  });

  it('FrameworkProcessor shape: sourcedir.tar.gz + runproc.sh, bash entrypoint', async () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { sd: { script: 'train.py', sourceDir: 'src', image: 'img:1', command: ['python3', '-u'], arguments: ['--x'] } } }), { workspaceFolder: ws });
    const job = resolveJob(def, 'sd', ctx());
    const req = buildRequest(job, nodeFileSystem);
    const n = job.jobName;
    assert.deepEqual(req.AppSpecification, { ImageUri: 'img:1', ContainerEntrypoint: ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh'], ContainerArguments: ['--x'] });
    assert.deepEqual(req.ProcessingInputs?.map((i) => [i.InputName, i.S3Input.S3Uri, i.S3Input.LocalPath]), [
      ['code', `s3://sagemaker-us-east-1-123456789012/${n}/source/sourcedir.tar.gz`, '/opt/ml/processing/input/code/'],
      ['entrypoint', `s3://sagemaker-us-east-1-123456789012/${n}/source/runproc.sh`, '/opt/ml/processing/input/entrypoint'],
    ]);
    const ups = await planUploads(job, nodeFileSystem);
    const runproc = ups[1].body as { content: string };
    assert.match(runproc.content, /tar -xzf sourcedir\.tar\.gz/);
    assert.match(runproc.content, /pip install -r requirements\.txt/);
    assert.match(runproc.content, /^python3 -u train\.py "\$@"$/m);
    // The archive holds the folder's files at its root.
    const tar = gunzipSync(await packSourceDir(path.join(ws, 'src')));
    const names: string[] = [];
    for (let off = 0; off + 512 <= tar.length; ) {
      const name = tar.subarray(off, off + 100).toString('utf8').replace(/\0.*$/s, '');
      if (!name) break;
      const size = parseInt(tar.subarray(off + 124, off + 136).toString('ascii'), 8);
      names.push(name);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    assert.deepEqual(names, ['pkg/__init__.py', 'requirements.txt', 'train.py']);
  });

  it('jobs for a script; ${file} matches any; errors name the job', () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE, image: 'img:1' }, jobs: { a: { script: 'preprocessing.py' }, b: { script: 'src/train.py' }, any: { script: '${file}' } } }), { workspaceFolder: ws });
    assert.deepEqual(jobsForScript(def, path.join(ws, 'preprocessing.py'), ws), ['a', 'any']);
    assert.deepEqual(jobsForScript(def, path.join(ws, 'src', 'train.py'), ws), ['b', 'any']);
    const anyJob = resolveJob(def, 'any', { ...ctx(), file: path.join(ws, 'src', 'train.py') });
    assert.equal(anyJob.scriptBasename, 'train.py');
    assert.throws(() => resolveJob(def, 'zzz', ctx()), (e: unknown) => e instanceof DefinitionError && /no job "zzz"; defined: a, b, any/.test(e.message));
  });

  it('problems carry the line and column of the field', () => {
    const text = `{\n  "version": "1",\n  "jobs": {\n    "census": {\n      "script": "preprocessing.py",\n      "image": "img:1",\n      "role": "bad role"\n    }\n  }\n}\n`;
    const r = checkDefinitionText(text, { workspaceFolder: ws });
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].path, 'jobs.census.role');
    assert.equal(r.problems[0].line, 6);
    assert.equal(r.problems[0].column, 14);
    assert.throws(() => loadDefinition(text, { workspaceFolder: ws }, 'defs.json'), /defs\.json:7:15: jobs\.census\.role: "bad role" is not an IAM role ARN/);
  });
});

describe('container spec and exports', () => {
  it('toContainerSpec maps a job for local runs', () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { c: { script: 'preprocessing.py', image: 'img:1', instanceCount: 2, network: { enableNetworkIsolation: true }, environment: { A: 'b' },
      inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'train', source: '/opt/ml/processing/train' }], arguments: ['--r', '0.2'] } } }), { workspaceFolder: ws });
    const job = resolveJob(def, 'c', ctx());
    const spec = toContainerSpec(job);
    assert.deepEqual(spec, {
      jobName: job.jobName, image: 'img:1', imageSource: 'image', build: undefined,
      entrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'], arguments: ['--r', '0.2'], environment: { A: 'b' },
      inputs: [
        { name: 'census', source: { kind: 'local', path: path.join(ws, 'data', 'census.csv') }, destination: '/opt/ml/processing/input' },
        { name: 'code', source: { kind: 'local', path: path.join(ws, 'preprocessing.py') }, destination: '/opt/ml/processing/input/code' },
      ],
      outputs: [{ name: 'train', source: '/opt/ml/processing/train', destination: `s3://sagemaker-us-east-1-123456789012/${job.jobName}/output/train` }],
      instanceType: 'ml.m5.xlarge', instanceCount: 2, networkIsolation: true,
    });
    const sd = toContainerSpec(resolveJob(loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { s: { script: 'train.py', sourceDir: 'src', image: 'i:1' } } }), { workspaceFolder: ws }), 's', ctx()));
    assert.deepEqual(sd.entrypoint, ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh']);
    const ep = sd.inputs.find((i) => i.name === 'entrypoint')!;
    assert.ok(ep.source.kind === 'content' && !/tar -xzf/.test(ep.source.files['runproc.sh']) && /^python train\.py "\$@"$/m.test(ep.source.files['runproc.sh']));
  });

  it('Python SDK code and AWS CLI input JSON', () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { c: { script: 'preprocessing.py', image: 'img:1', baseJobName: 'census',
      inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'train', source: '/opt/ml/processing/train' }], arguments: ['--r', '0.2'] } } }), { workspaceFolder: ws });
    const job = resolveJob(def, 'c', ctx());
    const pyCode = toPythonSdk(job, 'census');
    assert.match(pyCode, /from sagemaker\.processing import ProcessingInput, ProcessingOutput, ScriptProcessor/);
    assert.match(pyCode, /processor = ScriptProcessor\(\n {4}image_uri="img:1",\n {4}command=\["python3"\],/);
    assert.match(pyCode, /ProcessingInput\(input_name="census", source=".*census\.csv", destination="\/opt\/ml\/processing\/input"\)/);
    assert.match(pyCode, /arguments=\["--r", "0\.2"\],/);
    const json = JSON.parse(toCliInputJson(buildRequest(job, nodeFileSystem)));
    assert.equal(json.ProcessingJobName, job.jobName);
    assert.equal(json.AppSpecification.ImageUri, 'img:1');
    assert.equal(runprocScript(['python3'], 'a b.py').includes("python3 'a b.py' \"$@\""), true);
  });
});

describe('JSON schema (completion and hover docs) matches the validator', () => {
  it('has the same fields, frameworks, enums and limits', async () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'sagemaker-processing.schema.json'), 'utf8'));
    const { JOB_FIELDS } = await import('../../src/core/definition/validate');
    const { FRAMEWORKS } = await import('../../src/core/definition/frameworks');
    const { INPUT_MODES, UPLOAD_MODES, LIMITS } = await import('../../src/core/definition/limits');
    const job = schema.properties.jobs.additionalProperties;
    assert.deepEqual(Object.keys(job.properties).sort(), Object.keys(JOB_FIELDS).sort());
    assert.deepEqual(Object.keys(schema.properties.defaults.properties).sort(), Object.keys(JOB_FIELDS).sort());
    assert.deepEqual(job.properties.framework.properties.name.enum, Object.keys(FRAMEWORKS));
    assert.deepEqual(job.properties.inputs.items.properties.inputMode.enum, [...INPUT_MODES]);
    assert.deepEqual(job.properties.outputs.items.properties.uploadMode.enum, [...UPLOAD_MODES]);
    assert.equal(job.properties.maxRuntimeSeconds.maximum, LIMITS.maxRuntimeSeconds);
    assert.equal(job.properties.inputs.maxItems, LIMITS.inputs);
    assert.equal(job.properties.arguments.maxItems, LIMITS.arguments);
    assert.equal(job.additionalProperties, false);
    // The example definition of the repository is valid.
    const example = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'census', '.vscode', 'sagemaker-processing.json'), 'utf8');
    const r = checkDefinitionText(example, { workspaceFolder: path.join(__dirname, '..', '..', 'examples', 'census'), fileExists: (p) => fs.existsSync(p), requireRole: true });
    assert.deepEqual(r.problems, []);
  });
});
