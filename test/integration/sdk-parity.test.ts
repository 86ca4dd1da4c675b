// Field-by-field parity with both pinned SageMaker Python SDKs (sagemaker==2.257.7 in $SMP_CACHE/bench-venv, and
// sagemaker==3.27.0 in $SMP_CACHE/sdk-v3-venv), over the same cases: the same job goes through the SDK
// (test/support/sdk_parity_driver.py, sdk_v3_parity_driver.py: one Python process per SDK serves every case) and
// through ours with `sdk: "v2"` / `"v3"`, both against moto behind the recording proxy, and the CreateProcessingJob
// bodies, the uploaded objects (bytes, encryption and owner headers) and the bucket check are compared. Normalised,
// and only these:
//   N1 the job name (a millisecond timestamp): replaced by <JOB> in every string;
//   N2 tarballs (sourcedir.tar.gz): compared as their regular files (path → bytes), not as gzip bytes (mtimes, owners
//      and directory entries differ between Python's tarfile and ours);
//   N3 round trips: the SDK's extra ListBuckets/second HeadBucket are not compared (fewer calls is the point of ours);
//      what is compared is the ExpectedBucketOwner on the bucket probe (when the SDK finds the bucket in ListBuckets
//      it sends no probe; ours must then probe without one) and whether/how the bucket is created.
// Intentional differences (ours is better) are asserted explicitly per case: `__pycache__`/.git left out of
// sourcedir.tar.gz, job names made valid when v2's base (an image repository name) has "_" or "." (v3 does the same as
// ours), and (v3) install_requirements.py is our own text (same name, place and call; README "SDK v2 and v3").
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { startProxy, type ProxiedRequest, type ScriptedProxy } from '../support/proxy';
import { CACHE, ROOT, scratchDir } from '../support/paths';
import { seedEcrImage } from '../support/ecrSeed';
import { AwsClients } from '../../src/aws/index';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { prepareJob, submitJob } from '../../src/core/submit';
import { toPythonSdk } from '../../src/core/definition/export';
import type { JobFields, SdkVersion } from '../../src/core/definition/types';
import { INSTALL_REQUIREMENTS_PY } from '../../src/core/definition/layout';

/** Each pinned SDK: its venv's python and its driver (which serves one case per stdin line). */
const SDKS: Record<SdkVersion, { python: string; driver: string; setup: string }> = {
  v2: { python: path.join(CACHE, 'bench-venv', 'bin', 'python'), driver: path.join(ROOT, 'test', 'support', 'sdk_parity_driver.py'), setup: 'sdk-venv' },
  v3: { python: path.join(CACHE, 'sdk-v3-venv', 'bin', 'python'), driver: path.join(ROOT, 'test', 'support', 'sdk_v3_parity_driver.py'), setup: 'sdk-v3-venv' },
};
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SageMakerProcessingRole`;
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/census-processing:1.0`;

interface ObjectSeen {
  content: unknown;
  sse?: string;
  kmsKeyId?: string;
  expectedOwner?: string;
}

interface Capture {
  job: string;
  request: Record<string, unknown>;
  objects: Record<string, ObjectSeen>;
  /** ExpectedBucketOwner values sent on the bucket probe (HeadBucket / ListObjectsV2), deduplicated. */
  probeOwners: string[];
  /** CreateBucket calls: bucket and LocationConstraint. */
  created: string[];
}

interface Case {
  name: string;
  region?: string;
  /** Ours: the job definition and the defaultBucket setting. */
  job: JobFields;
  defaultBucketSetting?: string;
  /** The SDK: which processor, its constructor and run() kwargs, the Session's kwargs. */
  sdk: { kind: 'script' | 'sklearn' | 'framework' | 'pyspark'; processor: Record<string, unknown>; run: Record<string, unknown>; session?: Record<string, unknown> };
  /** Asserts each intentional difference explicitly, then removes it from both captures. */
  intentional?: (sdk: Capture, ours: Capture, v: SdkVersion) => void;
  /** Runs before each side (after moto's reset). */
  setup?: () => Promise<void>;
  /** Extra checks on what both sent (after the comparison). */
  check?: (c: Capture, v: SdkVersion) => void;
}

function tarFiles(gz: Buffer): Record<string, string> {
  const buf = gunzipSync(gz);
  const out: Record<string, string> = {};
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const data = buf.subarray(off + 512, off + 512 + size);
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      longName = m?.[1];
    } else if (type === '0') {
      const prefix = str(345, 155);
      const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
      out[name.replace(/^\.\//, '')] = data.toString('utf8');
      longName = undefined;
    } else longName = undefined;
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** N1: the job name → <JOB> in every string. */
function normalise<T>(v: T, job: string): T {
  return JSON.parse(JSON.stringify(v).split(job).join('<JOB>')) as T;
}

function s3Target(p: ProxiedRequest): { bucket: string; key: string; query: string } {
  const [pathname, query = ''] = p.path.split('?');
  const parts = pathname.replace(/^\/+/, '').split('/');
  return { bucket: decodeURIComponent(parts[0] ?? ''), key: parts.slice(1).map(decodeURIComponent).join('/'), query };
}

function header(p: ProxiedRequest, name: string): string | undefined {
  const v = p.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

describe('SDK parity: the same job through the SageMaker Python SDK and through ours', () => {
  let moto: Moto;
  let restore: () => void;
  let proxy: ScriptedProxy;
  let ws: string;
  const seen: ProxiedRequest[] = [];
  let direct: S3Client;

  before(async () => {
    for (const v of ['v2', 'v3'] as const) assert.ok(fs.existsSync(SDKS[v].python), `the pinned SDK ${v} venv is missing: run scripts/setup.sh --only ${SDKS[v].setup} (${SDKS[v].python})`);
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    proxy.onRequest = (r) => seen.push(r);
    direct = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true });
    ws = scratchDir('sdk-parity');
    const w = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    };
    w('process.py', 'import sys\nprint("processing", sys.argv[1:])\n');
    w('analysis.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', execution_count: null, metadata: { tags: ['parameters'] }, outputs: [], source: ['ratio = 0.1\n', "region = 'us-east-1'"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    w('data/census.csv', 'age,income\n39,50000\n');
    w('data/folder/a.csv', 'a\n1\n');
    w('data/folder/sub/b.csv', 'b\n2\n');
    w('src/train.py', 'from lib.util import f\nprint(f())\n');
    w('src/requirements.txt', 'pandas\n');
    w('src/lib/util.py', 'def f():\n    return 42\n');
    w('src/lib/__init__.py', '');
    w('src/__pycache__/util.cpython-311.pyc', 'compiled');
    w('spark/app.py', 'from pyspark.sql import SparkSession\nSparkSession.builder.getOrCreate()\n');
    w('spark/deps.py', 'X = 1\n');
  });
  after(async () => {
    for (const d of drivers.values()) {
      d.p.stdin.end();
      if (d.p.exitCode === null) d.p.kill();
    }
    direct?.destroy();
    await proxy?.stop();
    restore?.();
    await moto?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await moto.reset();
  });
  /** Ours looks the image up in ECR before submitting: the images the cases use are there. */
  const seedImages = async () => {
    await seedEcrImage(moto.endpoint, 'us-east-1', 'census-processing', '1.0');
    await seedEcrImage(moto.endpoint, 'us-east-1', 'my_team.proc', '2');
    await seedEcrImage(moto.endpoint, 'eu-west-1', 'census-processing', '1.0');
  };

  async function collect(job: string, from: number): Promise<Capture> {
    const reqs = seen.slice(from);
    const create = reqs.find((r) => r.action === 'CreateProcessingJob');
    assert.ok(create?.json, 'no CreateProcessingJob was sent');
    const objects: Record<string, ObjectSeen> = {};
    const probeOwners = new Set<string>();
    const created: string[] = [];
    for (const r of reqs) {
      if (r.service || r.action) continue; // JSON/query protocols: not S3
      const t = s3Target(r);
      if (r.method === 'PUT' && t.key) {
        const out = await direct.send(new GetObjectCommand({ Bucket: t.bucket, Key: t.key }));
        const bytes = Buffer.from(await out.Body!.transformToByteArray());
        objects[`${t.bucket}/${t.key}`] = {
          content: t.key.endsWith('.tar.gz') ? tarFiles(bytes) : bytes.toString('utf8'),
          sse: header(r, 'x-amz-server-side-encryption'),
          kmsKeyId: header(r, 'x-amz-server-side-encryption-aws-kms-key-id'),
          expectedOwner: header(r, 'x-amz-expected-bucket-owner'),
        };
      } else if (r.method === 'PUT' && !t.key && t.bucket) {
        created.push(`${t.bucket} ${/<LocationConstraint>([^<]*)</.exec(r.body)?.[1] ?? '(us-east-1)'}`);
      } else if ((r.method === 'HEAD' && t.bucket && !t.key) || (r.method === 'GET' && t.bucket && !t.key && /list-type=2/.test(t.query))) {
        probeOwners.add(header(r, 'x-amz-expected-bucket-owner') ?? '(none)');
      }
    }
    return { ...normalise({ request: create.json, objects, probeOwners: [...probeOwners].sort(), created }, job), job };
  }

  /** One driver process per SDK, started at its first case: a spec line in, an answer line out. */
  const drivers = new Map<SdkVersion, { p: ChildProcessWithoutNullStreams; lines: string[]; waiters: (() => void)[]; err: string }>();
  function driver(v: SdkVersion) {
    let d = drivers.get(v);
    if (d) return d;
    const env = { ...process.env, AWS_ENDPOINT_URL: proxy.url, PYTHONWARNINGS: 'ignore', SAGEMAKER_SUPPRESS_V2_WARNING: '1' };
    const p = spawn(SDKS[v].python, [SDKS[v].driver, '-'], { cwd: ws, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const dd = { p, lines: [] as string[], waiters: [] as (() => void)[], err: '' };
    let buf = '';
    p.stdout.on('data', (chunk) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line.startsWith('{')) dd.lines.push(line);
      }
      for (const w of dd.waiters.splice(0)) w();
    });
    p.stderr.on('data', (chunk) => (dd.err = (dd.err + chunk).slice(-6000)));
    p.on('close', () => dd.waiters.splice(0).forEach((w) => w()));
    drivers.set(v, (d = dd));
    return d;
  }

  async function viaSdk(c: Case, v: SdkVersion, exported?: string): Promise<Capture> {
    const d = driver(v);
    const from = seen.length;
    const region = c.region ?? 'us-east-1';
    d.p.stdin.write(JSON.stringify(exported !== undefined ? { region, exec: exported } : { region, session: c.sdk.session ?? {}, kind: c.sdk.kind, processor: c.sdk.processor, run: c.sdk.run }) + '\n');
    const deadline = Date.now() + 120_000;
    // Woken by the driver's answer line or its exit; the only timer is the deadline itself.
    while (!d.lines.length) {
      assert.ok(d.p.exitCode === null, `the SDK ${v} driver ended:\n${d.err}`);
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
        d.waiters.push(() => (clearTimeout(timer), resolve(true)));
      });
      assert.ok(woke || d.lines.length, `the SDK ${v} driver did not answer in 120 s:\n${d.err}`);
    }
    const answer = JSON.parse(d.lines.shift()!) as { job?: string; error?: string };
    assert.ok(answer.job, `the SDK ${v} driver failed: ${answer.error}\n${d.err}`);
    return collect(answer.job, from);
  }

  async function viaOurs(c: Case, v: SdkVersion): Promise<Capture> {
    const aws = new AwsClients({ endpointUrl: proxy.url, region: c.region ?? 'us-east-1' });
    const from = seen.length;
    try {
      const r = await submitJob(awsSubmitPorts(aws), {
        definitionText: JSON.stringify({ version: '1', jobs: { j: { sdk: v, ...c.job } } }),
        workspaceFolder: ws,
        jobKey: 'j',
        defaultBucket: c.defaultBucketSetting,
      });
      assert.ok(r);
      return await collect(r.job.jobName, from);
    } finally {
      aws.dispose();
    }
  }

  async function iamRole(name: string, rolePath: string): Promise<string> {
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    try {
      const out = await iam.send(new CreateRoleCommand({ RoleName: name, Path: rolePath, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
      return out.Role!.Arn!;
    } finally {
      iam.destroy();
    }
  }

  /**
   * v3's install_requirements.py is the SDK's own module file; ours is our own text with the same name, place, call and
   * encryption (README "SDK v2 and v3"). Asserted, then taken out of the byte comparison.
   */
  function v3InstallRequirements(sdk: Capture, mine: Capture): void {
    for (const k of Object.keys(sdk.objects).filter((k) => k.endsWith('/install_requirements.py'))) {
      assert.ok(mine.objects[k], `ours did not upload ${k}`);
      assert.match(String(sdk.objects[k].content), /CodeArtifact-aware pip requirements installer/);
      assert.equal(mine.objects[k].content, INSTALL_REQUIREMENTS_PY);
      mine.objects[k] = { ...mine.objects[k], content: sdk.objects[k].content };
    }
  }

  const common = { role: ROLE, instance_type: 'ml.m5.xlarge', instance_count: 1 };
  const ours = { role: ROLE, instanceType: 'ml.m5.xlarge', instanceCount: 1 };
  const sklearnIn = (region: string): Case => ({
    name: `sklearn framework (SKLearnProcessor) in ${region}`,
    region,
    job: { ...ours, script: 'process.py', framework: { name: 'sklearn', version: '1.2-1' }, inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'train', source: '/opt/ml/processing/train' }] },
    sdk: { kind: 'sklearn', processor: { ...common, framework_version: '1.2-1' }, run: { code: 'process.py', inputs: [{ input_name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ output_name: 'train', source: '/opt/ml/processing/train' }] } },
    check: (c) => {
      assert.match(String((c.request.AppSpecification as { ImageUri: string }).ImageUri), new RegExp(`\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com/sagemaker-scikit-learn:1\\.2-1-cpu-py3$`));
      assert.deepEqual(c.created, [`sagemaker-${region}-${ACCOUNT} ${region === 'us-east-1' ? '(us-east-1)' : region}`]);
    },
  });

  const cases: Case[] = [
    {
      name: 'script (ScriptProcessor): code, arguments, default bucket with ExpectedBucketOwner',
      job: { ...ours, script: 'process.py', image: IMAGE, command: ['python3'], baseJobName: 'census', arguments: ['--ratio', '0.2'] },
      sdk: { kind: 'script', processor: { ...common, image_uri: IMAGE, command: ['python3'], base_job_name: 'census' }, run: { code: 'process.py', arguments: ['--ratio', '0.2'] } },
      check: (c) => {
        assert.deepEqual(c.probeOwners, [ACCOUNT]);
        assert.equal(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/input/code/process.py`]?.expectedOwner, ACCOUNT);
      },
    },
    sklearnIn('us-east-1'),
    sklearnIn('eu-west-1'),
    sklearnIn('ap-southeast-2'),
    {
      name: 'S3 I/O: sharding, Pipe, Gzip, manifest, a local folder, Continuous and default outputs',
      job: {
        ...ours, script: 'process.py', image: IMAGE, command: ['python3'],
        inputs: [
          { name: 'shards', source: 's3://data-bucket/shards/', destination: '/opt/ml/processing/shards', distribution: 'ShardedByS3Key', inputMode: 'Pipe', compression: 'Gzip' },
          { name: 'manifest', source: 's3://data-bucket/m.manifest', destination: '/opt/ml/processing/manifest', dataType: 'ManifestFile' },
          { source: 'data/folder', destination: '/opt/ml/processing/folder' },
        ],
        outputs: [
          { name: 'stream', source: '/opt/ml/processing/stream', destination: 's3://data-bucket/stream', uploadMode: 'Continuous' },
          { source: '/opt/ml/processing/rest' },
        ],
      },
      sdk: {
        kind: 'script', processor: { ...common, image_uri: IMAGE, command: ['python3'] },
        run: {
          code: 'process.py',
          inputs: [
            { input_name: 'shards', source: 's3://data-bucket/shards/', destination: '/opt/ml/processing/shards', s3_data_distribution_type: 'ShardedByS3Key', s3_input_mode: 'Pipe', s3_compression_type: 'Gzip' },
            { input_name: 'manifest', source: 's3://data-bucket/m.manifest', destination: '/opt/ml/processing/manifest', s3_data_type: 'ManifestFile' },
            { source: 'data/folder', destination: '/opt/ml/processing/folder' },
          ],
          outputs: [
            { output_name: 'stream', source: '/opt/ml/processing/stream', destination: 's3://data-bucket/stream', s3_upload_mode: 'Continuous' },
            { source: '/opt/ml/processing/rest' },
          ],
        },
      },
      check: (c) => assert.ok(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/input/input-3/sub/b.csv`]),
    },
    {
      name: 'environment, tags and limits',
      job: { ...ours, instanceCount: 3, volumeSizeGB: 100, maxRuntimeSeconds: 7200, script: 'process.py', image: IMAGE, command: ['python3', '-u'], environment: { MODE: 'full', LEVEL: '3' }, tags: { team: 'ml', project: 'census' }, arguments: ['--a', '1'] },
      sdk: {
        kind: 'script',
        processor: { ...common, instance_count: 3, volume_size_in_gb: 100, max_runtime_in_seconds: 7200, image_uri: IMAGE, command: ['python3', '-u'], env: { MODE: 'full', LEVEL: '3' }, tags: [{ Key: 'team', Value: 'ml' }, { Key: 'project', Value: 'census' }] },
        run: { code: 'process.py', arguments: ['--a', '1'] },
      },
    },
    {
      name: 'network without isolation given, KMS keys for volume, outputs and the uploaded code and inputs',
      job: {
        ...ours, script: 'process.py', image: IMAGE, command: ['python3'],
        network: { subnets: ['subnet-0abc'], securityGroups: ['sg-0abc'], enableInterContainerTrafficEncryption: true },
        volumeKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/volume', outputKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/output', kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/code',
        inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'out', source: '/opt/ml/processing/out' }],
      },
      sdk: {
        kind: 'script',
        processor: { ...common, image_uri: IMAGE, command: ['python3'], network_config: { subnets: ['subnet-0abc'], security_group_ids: ['sg-0abc'], encrypt_inter_container_traffic: true }, volume_kms_key: 'arn:aws:kms:us-east-1:123456789012:key/volume', output_kms_key: 'arn:aws:kms:us-east-1:123456789012:key/output' },
        run: { code: 'process.py', kms_key: 'arn:aws:kms:us-east-1:123456789012:key/code', inputs: [{ input_name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ output_name: 'out', source: '/opt/ml/processing/out' }] },
      },
      check: (c) => {
        assert.equal((c.request.NetworkConfig as { EnableNetworkIsolation: boolean }).EnableNetworkIsolation, false);
        assert.equal(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/input/code/process.py`]?.kmsKeyId, 'arn:aws:kms:us-east-1:123456789012:key/code');
      },
    },
    {
      name: 'FrameworkProcessor with sourceDir: sourcedir.tar.gz (SSE-KMS), runproc.sh, name from the framework',
      job: { ...ours, script: 'train.py', sourceDir: 'src', framework: { name: 'sklearn', version: '1.2-1' }, arguments: ['--epochs', '2'] },
      sdk: { kind: 'framework', processor: { ...common, framework_version: '1.2-1' }, run: { code: 'train.py', source_dir: 'src', arguments: ['--epochs', '2'] } },
      intentional: (s, o) => {
        const key = `sagemaker-us-east-1-${ACCOUNT}/<JOB>/source/sourcedir.tar.gz`;
        const sf = s.objects[key].content as Record<string, string>;
        const of = o.objects[key].content as Record<string, string>;
        // Ours leaves __pycache__ (and .git) out of the archive; the SDK packs them.
        assert.ok('__pycache__/util.cpython-311.pyc' in sf);
        assert.ok(!('__pycache__/util.cpython-311.pyc' in of));
        delete sf['__pycache__/util.cpython-311.pyc'];
      },
      check: (c, v) => {
        const runproc = String(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/source/runproc.sh`].content);
        if (v === 'v2') {
          // v2: named after the estimator's framework; the archive always SSE-KMS; pip straight from runproc.sh.
          assert.match(c.job, /^sklearn-\d{4}-/);
          assert.equal(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/source/sourcedir.tar.gz`].sse, 'aws:kms');
          assert.match(runproc, /\n {4}python -m pip install -r requirements\.txt\nfi\n\npython train\.py "\$@"\n$/);
        } else {
          // v3: named after the image; no kms_key, so no SSE header; requirements through install_requirements.py.
          assert.match(c.job, /^sagemaker-scikit-learn-\d{4}-/);
          assert.equal(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/source/sourcedir.tar.gz`].sse, undefined);
          assert.match(runproc, /\n {4}python3 \/opt\/ml\/processing\/input\/code\/install_requirements\.py requirements\.txt\nfi\n\npython train\.py "\$@"\n$/);
          const code = (c.request.ProcessingInputs as { InputName: string; S3Input: { S3Uri: string } }[]).find((i) => i.InputName === 'code');
          assert.equal(code?.S3Input.S3Uri, `s3://sagemaker-us-east-1-${ACCOUNT}/<JOB>/source/`);
        }
      },
    },
    {
      name: 'FrameworkProcessor with output and code KMS keys, an image, a bucket setting (no ExpectedBucketOwner)',
      defaultBucketSetting: 'team-bucket',
      job: { ...ours, script: 'train.py', sourceDir: 'src', image: IMAGE, baseJobName: 'fw', outputKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/output', kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/code' },
      sdk: { kind: 'framework', session: { default_bucket: 'team-bucket' }, processor: { ...common, framework_version: '1.2-1', image_uri: IMAGE, base_job_name: 'fw', output_kms_key: 'arn:aws:kms:us-east-1:123456789012:key/output' }, run: { code: 'train.py', source_dir: 'src', kms_key: 'arn:aws:kms:us-east-1:123456789012:key/code' } },
      intentional: (s, o) => {
        const key = 'team-bucket/<JOB>/source/sourcedir.tar.gz';
        const sf = s.objects[key].content as Record<string, string>;
        assert.ok('__pycache__/util.cpython-311.pyc' in sf && !('__pycache__/util.cpython-311.pyc' in (o.objects[key].content as Record<string, string>)));
        delete sf['__pycache__/util.cpython-311.pyc'];
      },
      check: (c, v) => {
        assert.deepEqual(c.probeOwners, ['(none)']);
        // v2 packs with the output key; v3 with run(kms_key=…).
        assert.equal(c.objects['team-bucket/<JOB>/source/sourcedir.tar.gz'].kmsKeyId, `arn:aws:kms:us-east-1:123456789012:key/${v === 'v2' ? 'output' : 'code'}`);
        assert.equal(c.objects['team-bucket/<JOB>/source/runproc.sh'].kmsKeyId, 'arn:aws:kms:us-east-1:123456789012:key/code');
      },
    },
    {
      name: 'PySpark: submit_app, py-files, jars, configuration, event logs, image <version>-cpu',
      job: {
        ...ours, instanceCount: 2, script: 'spark/app.py', framework: { name: 'spark', version: '3.3' }, arguments: ['--in', 's3://data-bucket/raw'],
        spark: {
          submitPyFiles: ['spark/deps.py', 's3://data-bucket/lib.zip'], submitJars: ['s3://data-bucket/x.jar'],
          configuration: [{ Classification: 'spark-defaults', Properties: { 'spark.executor.memory': '2g' } }], eventLogsS3Uri: 's3://data-bucket/spark-events',
        },
        outputs: [{ name: 'out', source: '/opt/ml/processing/out' }],
      },
      sdk: {
        kind: 'pyspark', processor: { ...common, instance_count: 2, framework_version: '3.3' },
        run: {
          submit_app: 'spark/app.py', submit_py_files: ['spark/deps.py', 's3://data-bucket/lib.zip'], submit_jars: ['s3://data-bucket/x.jar'], arguments: ['--in', 's3://data-bucket/raw'],
          configuration: [{ Classification: 'spark-defaults', Properties: { 'spark.executor.memory': '2g' } }], spark_event_logs_s3_uri: 's3://data-bucket/spark-events',
          outputs: [{ output_name: 'out', source: '/opt/ml/processing/out' }],
        },
      },
      check: (c) => {
        const app = c.request.AppSpecification as { ImageUri: string; ContainerEntrypoint: string[] };
        assert.equal(app.ImageUri, '173754725891.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-processing:3.3-cpu');
        assert.equal(app.ContainerEntrypoint[0], 'smspark-submit');
        assert.ok(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/input/conf/configuration.json`]);
      },
    },
    {
      name: 'a definition bucket that does not exist is created (Session(default_bucket=…)); eu-west-1',
      region: 'eu-west-1',
      job: { ...ours, script: 'process.py', image: IMAGE, command: ['python3'], bucket: 'my-new-bucket', inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'o', source: '/opt/ml/processing/o' }] },
      sdk: { kind: 'script', session: { default_bucket: 'my-new-bucket' }, processor: { ...common, image_uri: IMAGE, command: ['python3'] }, run: { code: 'process.py', inputs: [{ input_name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ output_name: 'o', source: '/opt/ml/processing/o' }] } },
      check: (c) => {
        assert.deepEqual(c.created, ['my-new-bucket eu-west-1']);
        assert.deepEqual(c.probeOwners, ['(none)']);
        assert.ok(c.objects['my-new-bucket/<JOB>/input/code/process.py']);
      },
    },
    {
      // (With a prefix and a bucket that does not exist yet, the SDK's ListObjectsV2 probe fails with NoSuchBucket
      // instead of creating it; ours creates it. Here the bucket exists, as the SDK needs.)
      name: 'default_bucket_prefix: every key under the prefix, the probe is ListObjectsV2 on it',
      setup: async () => void (await direct.send(new CreateBucketCommand({ Bucket: 'prefixed-bucket' }))),
      job: { ...ours, script: 'process.py', image: IMAGE, command: ['python3'], bucket: 'prefixed-bucket', defaultBucketPrefix: 'team/a', inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ name: 'o', source: '/opt/ml/processing/o' }] },
      sdk: { kind: 'script', session: { default_bucket: 'prefixed-bucket', default_bucket_prefix: 'team/a' }, processor: { ...common, image_uri: IMAGE, command: ['python3'] }, run: { code: 'process.py', inputs: [{ input_name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }], outputs: [{ output_name: 'o', source: '/opt/ml/processing/o' }] } },
      check: (c) => {
        assert.deepEqual(c.created, []);
        assert.ok(c.objects['prefixed-bucket/team/a/<JOB>/input/code/process.py']);
        assert.equal((c.request.ProcessingOutputConfig as { Outputs: { S3Output: { S3Uri: string } }[] }).Outputs[0].S3Output.S3Uri, 's3://prefixed-bucket/team/a/<JOB>/output/o');
      },
    },
    {
      name: 'explicit job name, experiment config, a role given by name (IAM GetRole)',
      job: { ...ours, role: 'ProcessingByName', script: 'process.py', image: IMAGE, command: ['python3'], jobName: 'my-explicit-job-1', experimentConfig: { ExperimentName: 'census-exp', TrialName: 'trial-1', TrialComponentDisplayName: 'prep' } },
      sdk: { kind: 'script', processor: { ...common, role: 'ProcessingByName', image_uri: IMAGE, command: ['python3'] }, run: { code: 'process.py', job_name: 'my-explicit-job-1', experiment_config: { ExperimentName: 'census-exp', TrialName: 'trial-1', TrialComponentDisplayName: 'prep' } } },
      check: (c) => {
        assert.equal(c.job, 'my-explicit-job-1');
        assert.equal(c.request.RoleArn, `arn:aws:iam::${ACCOUNT}:role/service-role/ProcessingByName`);
      },
    },
    {
      name: 'an image repository name with "_" and ".": ours makes the job name valid',
      job: { ...ours, script: 'process.py', image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/my_team.proc:2`, command: ['python3'] },
      sdk: { kind: 'script', processor: { ...common, image_uri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/my_team.proc:2`, command: ['python3'] }, run: { code: 'process.py' } },
      intentional: (s, o, v) => {
        // v3 makes the name valid as ours does: no difference to take out.
        if (v === 'v3') return assert.match(s.job, /^my-team-proc-\d{4}-/);
        // v2 names the job `my_team.proc-<ts>`, which the API's pattern refuses; ours `my-team-proc-<ts>`.
        const ts = /-(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3})$/;
        assert.match(s.job, /^my_team\.proc-\d{4}-/);
        assert.match(o.job, /^my-team-proc-\d{4}-/);
        assert.doesNotMatch(s.job, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
        assert.match(o.job, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
        assert.equal(ts.exec(s.job) !== null && ts.exec(o.job) !== null, true);
      },
    },
    {
      // A notebook job (`notebook` + `parameters`) is what an SDK user writes to run a notebook with papermill.
      name: 'notebook (ScriptProcessor running papermill): the notebook as code, parameters as papermill options, the executed copy as output',
      job: { ...ours, notebook: 'analysis.ipynb', image: IMAGE, parameters: { ratio: 0.2, region: 'eu-west-1' }, inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }] },
      sdk: {
        kind: 'script', processor: { ...common, image_uri: IMAGE, command: ['papermill'] },
        run: {
          code: 'analysis.ipynb',
          inputs: [{ input_name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }],
          outputs: [{ output_name: 'notebook', source: '/opt/ml/processing/notebook-output' }],
          arguments: ['/opt/ml/processing/notebook-output/analysis.ipynb', '--kernel', 'python3', '--log-output', '-p', 'ratio', '0.2', '-r', 'region', 'eu-west-1'],
        },
      },
      check: (c) => assert.ok(c.objects[`sagemaker-us-east-1-${ACCOUNT}/<JOB>/input/code/analysis.ipynb`]),
    },
  ];
  const NOTEBOOK_CASE = cases.length - 1;

  async function compare(c: Case, v: SdkVersion, sdk: Capture, mine: Capture): Promise<void> {
    c.intentional?.(sdk, mine, v);
    if (v === 'v3') v3InstallRequirements(sdk, mine);
    assert.deepEqual(mine.request, sdk.request, 'CreateProcessingJob bodies differ');
    assert.deepEqual(Object.keys(mine.objects).sort(), Object.keys(sdk.objects).sort(), 'uploaded object keys differ');
    for (const k of Object.keys(sdk.objects)) assert.deepEqual(mine.objects[k], sdk.objects[k], `uploaded object ${k} differs`);
    // N3: for a bucket it finds in ListBuckets the SDK sends no probe at all; ours then probes without an owner.
    if (sdk.probeOwners.length) assert.deepEqual(mine.probeOwners, sdk.probeOwners, 'ExpectedBucketOwner on the bucket probe differs');
    else assert.deepEqual(mine.probeOwners, ['(none)'], 'ours sent an ExpectedBucketOwner the SDK would not');
    assert.deepEqual(mine.created, sdk.created, 'bucket creation differs');
    c.check?.(mine, v);
    c.check?.(sdk, v);
  }

  for (const v of ['v2', 'v3'] as const) {
    for (const c of cases) {
      it(`${v}: ${c.name}`, { timeout: 180_000 }, async () => {
        if (c.job.role === 'ProcessingByName') await iamRole('ProcessingByName', '/service-role/');
        await c.setup?.();
        const sdk = await viaSdk(c, v);
        await moto.reset();
        if (c.job.role === 'ProcessingByName') await iamRole('ProcessingByName', '/service-role/');
        await seedImages();
        await c.setup?.();
        await compare(c, v, sdk, await viaOurs(c, v));
      });
    }
  }

  // "Copy as Python SDK Code": our export of the job, run by each SDK as a user runs it, sends what our submit sends.
  const EXPORTED = [0, 4, 5, 7, 9, NOTEBOOK_CASE]; // script; S3 I/O; environment/tags/limits; FrameworkProcessor; PySpark; notebook
  for (const v of ['v2', 'v3'] as const) {
    for (const n of EXPORTED) {
      const c = cases[n];
      it(`${v} exported code: ${c.name}`, { timeout: 180_000 }, async () => {
        await seedImages();
        const mine = await viaOurs(c, v);
        // The export of the same job (resolved without any upload), with paths relative to the workspace folder.
        const aws = new AwsClients({ endpointUrl: proxy.url, region: c.region ?? 'us-east-1' });
        let code: string;
        try {
          const p = await prepareJob(awsSubmitPorts(aws), { definitionText: JSON.stringify({ version: '1', jobs: { j: { sdk: v, ...c.job } } }), workspaceFolder: ws, jobKey: 'j' });
          assert.ok(p);
          code = toPythonSdk(p.job, c.job.baseJobName, { workspaceFolder: ws });
        } finally {
          aws.dispose();
        }
        assert.match(code, v === 'v3' ? /^from sagemaker\.core\./m : /^import sagemaker$/m);
        await moto.reset();
        await c.setup?.();
        const sdk = await viaSdk(c, v, code);
        await compare(c, v, sdk, mine);
      });
    }
  }
});
