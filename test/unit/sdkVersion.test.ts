// `sdk: "v2" | "v3"`: validation (hostile values named with field and line), the order of the choices (run option,
// definition, setting, workspace pin, v2), the workspace pin in requirements files, the CLI option, and what the
// request builder changes for v3. The byte-level oracle is test/integration/sdk-parity.test.ts (both pinned SDKs).
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinitionText, loadDefinition, resolveJob, type ResolveContext } from '../../src/core/definition/resolve';
import { buildRequest, planUploads } from '../../src/core/definition/request';
import { nodeFileSystem } from '../../src/core/definition/files';
import { sdkForNewDefinition, sdkFromSpecifier, sdkPinnedIn, workspaceSdkPin } from '../../src/core/definition/sdkVersion';
import { parseArgs, UsageError } from '../../src/cli';
import { definitionWorkspace } from '../support/workspace';

const ws = definitionWorkspace({ sourceDir: true });
after(() => fs.rmSync(ws, { recursive: true, force: true }));
const ctx = (extra: Partial<ResolveContext> = {}): ResolveContext => ({ workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: new Date(Date.UTC(2026, 11, 7, 10, 0, 0)), ...extra });
const ROLE = 'arn:aws:iam::123456789012:role/R';

describe('sdk field: validation', () => {
  it('names the field and its line for hostile values, in a job and in defaults', () => {
    const hostile: [string, RegExp][] = [
      ['"v4"', /must be one of "v2", "v3" \(got "v4"\)/],
      ['"V3"', /must be one of "v2", "v3" \(got "V3"\)/],
      ['"3"', /must be one of "v2", "v3"/],
      ['" v3"', /must be one of "v2", "v3"/],
      ['"v3; rm -rf /"', /must be one of "v2", "v3"/],
      ['"${env:SDK}"', /must be one of "v2", "v3"|SDK/],
      ['3', /string|must be/],
      ['null', /string|must be/],
      ['["v3"]', /string|must be/],
      ['{"v": "v3"}', /string|must be/],
      ['true', /string|must be/],
    ];
    for (const [value, re] of hostile) {
      for (const where of ['job', 'defaults'] as const) {
        const text = where === 'job'
          ? `{\n  "version": "1",\n  "jobs": {\n    "census": {\n      "script": "preprocessing.py",\n      "image": "img:1",\n      "role": "${ROLE}",\n      "sdk": ${value}\n    }\n  }\n}\n`
          : `{\n  "version": "1",\n  "defaults": {\n    "sdk": ${value}\n  },\n  "jobs": {\n    "census": { "script": "preprocessing.py", "image": "img:1", "role": "${ROLE}" }\n  }\n}\n`;
        const r = checkDefinitionText(text, { workspaceFolder: ws, env: {} } as never);
        const p = r.problems.find((x) => x.severity === 'error');
        assert.ok(p, `${where} ${value}: no problem`);
        assert.equal(p.path, where === 'job' ? 'jobs.census.sdk' : 'defaults.sdk', `${where} ${value}`);
        assert.equal(p.line, where === 'job' ? 7 : 3, `${where} ${value}: line`);
        assert.match(p.message, re, `${where} ${value}`);
        assert.throws(() => loadDefinition(text, { workspaceFolder: ws }, 'defs.json'), new RegExp(`defs\\.json:${where === 'job' ? 8 : 4}:\\d+: ${where === 'job' ? 'jobs\\.census\\.sdk' : 'defaults\\.sdk'}: `));
      }
    }
  });

  it('takes "v2" and "v3"', () => {
    for (const v of ['v2', 'v3']) {
      const r = checkDefinitionText(JSON.stringify({ version: '1', defaults: { sdk: v }, jobs: { j: { sdk: v, script: 'preprocessing.py', image: 'img:1', role: ROLE } } }), { workspaceFolder: ws });
      assert.deepEqual(r.problems, []);
    }
  });
});

describe('sdk field: which one a job follows', () => {
  const def = (job: object, defaults?: object) => loadDefinition(JSON.stringify({ version: '1', ...(defaults ? { defaults } : {}), jobs: { j: { script: 'preprocessing.py', image: 'img:1', role: ROLE, ...job } } }), { workspaceFolder: ws });
  it('run option > job > defaults > setting/workspace > v2', () => {
    assert.equal(resolveJob(def({}), 'j', ctx()).sdk, 'v2');
    assert.equal(resolveJob(def({}), 'j', ctx({ sdk: 'v3' })).sdk, 'v3');
    assert.equal(resolveJob(def({}, { sdk: 'v3' }), 'j', ctx({ sdk: 'v2' })).sdk, 'v3');
    assert.equal(resolveJob(def({ sdk: 'v2' }, { sdk: 'v3' }), 'j', ctx()).sdk, 'v2');
    assert.equal(resolveJob(def({ sdk: 'v2' }), 'j', ctx({ sdkOverride: 'v3' })).sdk, 'v3');
    assert.equal(resolveJob(def({ sdk: 'v3' }), 'j', ctx({ sdkOverride: 'v2' })).sdk, 'v2');
  });
});

describe('workspace pin of the sagemaker package', () => {
  it('reads specifiers', () => {
    const cases: [string, string | undefined][] = [
      ['<3', 'v2'], ['<3.0', 'v2'], ['<3.0.0', 'v2'], ['==2.257.7', 'v2'], ['~=2.200', 'v2'], ['>=2,<3', 'v2'], ['<=2.999', 'v2'],
      ['==2.*', 'v2'], ['>=3', 'v3'], ['==3.27.0', 'v3'], ['~=3.0', 'v3'], ['>3.1', 'v3'], ['>=2', undefined], ['<4', undefined],
      ['<3.1', undefined], ['!=3.0', undefined], ['', undefined], ['banana', undefined],
    ];
    for (const [spec, want] of cases) assert.equal(sdkFromSpecifier(spec), want, spec);
  });
  it('finds the sagemaker requirement in requirements.txt, pyproject.toml and conda files, not other packages', () => {
    assert.equal(sdkPinnedIn('pandas==2.2\nsagemaker<3\n'), 'v2');
    assert.equal(sdkPinnedIn('sagemaker >= 3.27.0  # the new SDK\n'), 'v3');
    assert.equal(sdkPinnedIn('sagemaker[local]==2.257.7\n'), 'v2');
    assert.equal(sdkPinnedIn('dependencies = [\n  "boto3",\n  "sagemaker>=2,<3",\n]\n'), 'v2');
    assert.equal(sdkPinnedIn('dependencies:\n  - pip:\n    - sagemaker==3.27.0\n'), 'v3');
    assert.equal(sdkPinnedIn('sagemaker-core<2\nsagemaker_train==1.0\n'), undefined);
    assert.equal(sdkPinnedIn('# sagemaker<3\nsagemaker\n'), undefined);
    assert.equal(sdkPinnedIn('notsagemaker<3\n'), undefined);
  });
  it('the first requirements file that decides wins; new definitions get v3 unless the workspace pins v2', () => {
    const files: Record<string, string> = { 'requirements.txt': 'pandas\n', 'pyproject.toml': 'dependencies = ["sagemaker<3"]\n' };
    assert.equal(workspaceSdkPin((f) => files[f]), 'v2');
    assert.equal(sdkForNewDefinition((f) => files[f]), 'v2');
    assert.equal(sdkForNewDefinition(() => undefined), 'v3');
    assert.equal(sdkForNewDefinition((f) => (f === 'requirements.txt' ? 'sagemaker>=3\n' : undefined)), 'v3');
  });
});

describe('CLI run --sdk', () => {
  it('takes v2 or v3 and refuses anything else', () => {
    assert.equal(parseArgs(['run', 'j', '--sdk', 'v3']).flags.get('sdk'), 'v3');
    assert.equal(parseArgs(['run', 'j', '--sdk', 'v2']).flags.get('sdk'), 'v2');
    for (const bad of ['v4', 'V3', '3', '']) assert.throws(() => parseArgs(['run', 'j', '--sdk', bad]), (e: unknown) => e instanceof UsageError && /--sdk/.test(e.message), bad);
    assert.throws(() => parseArgs(['run', 'j', '--sdk']), (e: unknown) => e instanceof UsageError && /--sdk needs a value/.test(e.message));
  });
});

describe('request builder: where v2 and v3 differ', () => {
  const job = (sdk: 'v2' | 'v3', extra: object = {}) => resolveJob(loadDefinition(JSON.stringify({ version: '1', jobs: { j: { sdk, script: 'train.py', sourceDir: 'src', framework: { name: 'sklearn', version: '1.2-1' }, role: ROLE, inputs: [{ source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ source: '/opt/ml/processing/out' }], ...extra } } }), { workspaceFolder: ws }), 'j', ctx());
  it('framework job names, AppManaged, the code input and the uploads', async () => {
    const v2 = job('v2');
    const v3 = job('v3');
    assert.match(v2.jobName, /^sklearn-2026-12-07-10-00-00-000$/);
    assert.match(v3.jobName, /^sagemaker-scikit-learn-2026-12-07-10-00-00-000$/);
    const r2 = buildRequest(v2, nodeFileSystem);
    const r3 = buildRequest(v3, nodeFileSystem);
    assert.ok(r2.ProcessingInputs!.every((i) => i.AppManaged === false));
    assert.ok(r3.ProcessingInputs!.every((i) => !('AppManaged' in i)));
    assert.ok(r3.ProcessingOutputConfig!.Outputs.every((o) => !('AppManaged' in o)));
    assert.equal(r2.ProcessingInputs!.find((i) => i.InputName === 'code')!.S3Input.S3Uri, `s3://sagemaker-us-east-1-123456789012/${v2.jobName}/source/sourcedir.tar.gz`);
    assert.equal(r3.ProcessingInputs!.find((i) => i.InputName === 'code')!.S3Input.S3Uri, `s3://sagemaker-us-east-1-123456789012/${v3.jobName}/source/`);
    const u2 = await planUploads(v2, nodeFileSystem);
    const u3 = await planUploads(v3, nodeFileSystem);
    assert.deepEqual(u2.map((u) => path.posix.basename(u.key)), ['sourcedir.tar.gz', 'runproc.sh', 'census.csv']);
    assert.deepEqual(u3.map((u) => path.posix.basename(u.key)), ['sourcedir.tar.gz', 'install_requirements.py', 'runproc.sh', 'census.csv']);
    assert.equal(u2[0].sse?.ServerSideEncryption, 'aws:kms'); // v2 always encrypts the archive
    assert.equal(u3[0].sse, undefined); // v3 only with kms_key
  });
  it('with only an output key, v3 encrypts runproc.sh and install_requirements.py with it, not the archive', async () => {
    const u3 = await planUploads(job('v3', { outputKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/out' }), nodeFileSystem);
    assert.equal(u3[0].sse, undefined);
    assert.equal(u3[1].sse?.SSEKMSKeyId, 'arn:aws:kms:us-east-1:123456789012:key/out');
    assert.equal(u3[2].sse?.SSEKMSKeyId, 'arn:aws:kms:us-east-1:123456789012:key/out');
  });
  it('a plain script job differs only in AppManaged', () => {
    const plain = (sdk: 'v2' | 'v3') => buildRequest(resolveJob(loadDefinition(JSON.stringify({ version: '1', jobs: { j: { sdk, script: 'preprocessing.py', image: '1.dkr.ecr.us-east-1.amazonaws.com/x:1', role: ROLE } } }), { workspaceFolder: ws }), 'j', ctx()), nodeFileSystem);
    const a = plain('v2');
    const b = plain('v3');
    for (const i of a.ProcessingInputs!) delete i.AppManaged;
    assert.deepEqual(b, a);
  });
});
