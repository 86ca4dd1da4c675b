// Local runs that also upload their outputs to S3 (`uploadOutputs`, `run --local --upload-outputs`): a real private
// dockerd runs the job, moto is the S3; the objects land under the destinations SageMaker would use, byte for byte.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadBaseImage, startDockerd, DOCKER_CLI, type Dockerd } from '../support/dockerd';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { scratchDir } from '../support/paths';
import { ContainerCli } from '../../src/local/containerCli';
import { startLocalRun } from '../../src/local/localRunner';
import { resolveLocalJob } from '../../src/core/local/definitionLite';
import { S3Api } from '../../src/aws/s3';
import { main as cliMain } from '../../src/cli';

const BUCKET = 'local-upload-bucket';

const SCRIPT = [
  'import os',
  'os.makedirs("/opt/ml/processing/results/sub", exist_ok=True)',
  'open("/opt/ml/processing/results/a.txt", "w").write("hello\\n")',
  'open("/opt/ml/processing/results/sub/b.bin", "wb").write(bytes(range(256)) * 40)',
  'open("/opt/ml/processing/model/model.json", "w").write("{\\"w\\": 1}\\n")',
  'print("written", flush=True)',
].join('\n');

/** `results` has an explicit destination (with ${jobName}); `model` has none (the SDK default applies). */
const DEFINITION = JSON.stringify({
  version: '1',
  defaults: { instanceType: 'ml.m5.xlarge', instanceCount: 1 },
  jobs: {
    writer: {
      script: 'write.py',
      image: 'local/python-base:latest',
      baseJobName: 'writer',
      outputs: [
        { name: 'results', source: '/opt/ml/processing/results', destination: `s3://${BUCKET}/explicit/\${jobName}` },
        { name: 'model', source: '/opt/ml/processing/model' },
      ],
    },
  },
}, null, 2);

const EXPECTED: Record<string, Buffer> = {
  'a.txt': Buffer.from('hello\n'),
  'sub/b.bin': Buffer.concat(Array.from({ length: 40 }, () => Buffer.from(Array.from({ length: 256 }, (_, i) => i)))),
  'model.json': Buffer.from('{"w": 1}\n'),
};

describe('local runs uploading their outputs to S3', () => {
  let docker: Dockerd;
  let moto: Moto;
  let s3: S3Api;
  let storageDir: string;
  const scratches: string[] = [];

  function workspace(): string {
    const ws = scratchDir('local-upload-ws');
    scratches.push(ws);
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), DEFINITION);
    fs.writeFileSync(path.join(ws, 'write.py'), SCRIPT);
    return ws;
  }

  async function objectBytes(key: string): Promise<Buffer> {
    const file = path.join(storageDir, 'check', key);
    await s3.downloadToFile(BUCKET, key, file);
    return fs.readFileSync(file);
  }

  before(async () => {
    [docker, moto] = await Promise.all([startDockerd({ baseImage: true }), startMoto()]);
    await loadBaseImage(docker);
    storageDir = scratchDir('local-upload-storage');
    s3 = new S3Api({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    const restore = useMotoEnv(moto);
    try {
      await s3.ensureBucket(BUCKET, 'us-east-1');
    } finally {
      restore();
    }
  });
  after(async () => {
    s3?.destroy();
    await Promise.all([docker?.stop(), moto?.stop()]);
    for (const d of [storageDir, ...scratches]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('uploads each output to its destination, or to s3://<bucket>/<job>/output/<name> when it has none', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const resolved = resolveLocalJob(DEFINITION, 'writer', { workspaceDir: ws, env: {}, defaultBucket: BUCKET });
    assert.deepEqual(resolved.localOnlyOutputs, []);
    const job = resolved.spec.jobName;
    const lines: string[] = [];
    const restore = useMotoEnv(moto);
    let rec;
    try {
      const run = startLocalRun({
        spec: resolved.spec, jobKey: 'writer', workspaceDir: ws, storageDir, allowNetwork: resolved.allowNetwork,
        cli: new ContainerCli({ cli: DOCKER_CLI, env: docker.env }),
        s3: async () => s3, uploadOutputs: true, localOnlyOutputs: resolved.localOnlyOutputs,
        onLine: (l, src) => lines.push(`${src}: ${l}`),
      });
      rec = await run.done;
    } finally {
      restore();
    }
    assert.equal(rec.status, 'Completed', `${rec.failureReason}\n${lines.join('\n')}`);
    assert.deepEqual(rec.outputs, [
      { name: 'results', destination: `s3://${BUCKET}/explicit/${job}` },
      { name: 'model', destination: `s3://${BUCKET}/${job}/output/model` },
    ]);
    const keys = (await s3.listObjects(BUCKET, '')).map((o) => o.key).filter((k) => k.includes(job)).sort();
    assert.deepEqual(keys, [`explicit/${job}/a.txt`, `explicit/${job}/sub/b.bin`, `${job}/output/model/model.json`]);
    assert.ok((await objectBytes(`explicit/${job}/a.txt`)).equals(EXPECTED['a.txt']));
    assert.ok((await objectBytes(`explicit/${job}/sub/b.bin`)).equals(EXPECTED['sub/b.bin']));
    assert.ok((await objectBytes(`${job}/output/model/model.json`)).equals(EXPECTED['model.json']));
    // The local copy is still made, and the same bytes.
    assert.ok(fs.readFileSync(path.join(ws, '.sagemaker-local', job, 'results', 'sub', 'b.bin')).equals(EXPECTED['sub/b.bin']));
    assert.ok(lines.includes(`system: Output "results": 2 files, 10.0 KB uploaded to s3://${BUCKET}/explicit/${job}`), lines.join('\n'));
  });

  it('`run <job> --local --upload-outputs` without a bucket uploads the explicit destination and keeps the other output locally only', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const saved = { ...process.env };
    const printed: string[] = [];
    const errs: string[] = [];
    const origErr = process.stderr.write.bind(process.stderr);
    Object.assign(process.env, { ...docker.env, ...moto.env, SMP_CONTAINER_CLI: DOCKER_CLI, XDG_CACHE_HOME: storageDir });
    process.stderr.write = ((chunk: string) => (errs.push(String(chunk)), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await cliMain(['run', 'writer', '--local', '--upload-outputs', '--folder', ws], (l) => printed.push(l));
    } finally {
      process.stderr.write = origErr;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    assert.equal(code, 0, [...printed, ...errs].join('\n'));
    const runs = fs.readdirSync(path.join(ws, '.sagemaker-local'));
    assert.equal(runs.length, 1);
    const job = runs[0];
    assert.match(job, /^writer-\d{4}-/);
    const keys = (await s3.listObjects(BUCKET, '')).map((o) => o.key).filter((k) => k.includes(job)).sort();
    assert.deepEqual(keys, [`explicit/${job}/a.txt`, `explicit/${job}/sub/b.bin`]);
    assert.ok((await objectBytes(`explicit/${job}/sub/b.bin`)).equals(EXPECTED['sub/b.bin']));
    const modelDir = path.join(ws, '.sagemaker-local', job, 'model');
    assert.ok(printed.includes(`[local] Output "model": its S3 destination is not known locally (it needs the account or the default bucket); kept locally only in ${modelDir}`), printed.join('\n'));
    assert.ok(fs.readFileSync(path.join(modelDir, 'model.json')).equals(EXPECTED['model.json']));
    assert.ok(printed.includes('[local] Completed'));
  });
});
