// The explorer's job actions, run as commands inside the extension host against the moto the suite was given
// (AWS_ENDPOINT_URL and dummy credentials in process.env): reveal, download outputs, save as definition, switching
// the profile and region, and the filters.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateProcessingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ExtensionApi } from '../../../src/extension';
import type { JobsTreeProvider } from '../../../src/ui/jobsTree';
import { parseJsonc } from '../../../src/core/definition/parse';
import { validateDefinition } from '../../../src/core/definition/validate';
import { DEFINITION_FILE } from '../../../src/core/definition/types';
import { waitFor } from '../../support/net';
import { envClientOptions } from '../../support/awsEnv';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';
const ACCOUNT = '123456789012';
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/inhost-actions:1.0`;
const JOB = 'inhost-actions-job';
const BUCKET = 'inhost-actions-outputs';
const PREFIX = `runs/${JOB}/output/results`;
const ARGS = ['--train-test-split-ratio', '0.2'];

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the census example is open');
  return f;
}

const clientOptions = envClientOptions;

const names = (tree: JobsTreeProvider) => tree.shownJobs.map((j) => j.name).sort();

describe('job actions (in-host)', () => {
  let tree: JobsTreeProvider;

  before(async () => {
    assert.ok(process.env.AWS_ENDPOINT_URL, 'the suite runs against moto');
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    tree = api.tree;
    const s3 = new S3Client({ ...clientOptions(), forcePathStyle: true });
    const sm = new SageMakerClient(clientOptions());
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/part-0.csv`, Body: 'a,b\n1,2\n' }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/nested/summary.json`, Body: '{"rows":1}' }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `runs/${JOB}/output/other.txt`, Body: 'not under the prefix' }));
      await sm.send(new CreateProcessingJobCommand({
        ProcessingJobName: JOB,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/SageMakerProcessingRole`,
        AppSpecification: { ImageUri: IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'], ContainerArguments: ARGS },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
        ProcessingOutputConfig: {
          Outputs: [{ OutputName: 'results', S3Output: { S3Uri: `s3://${BUCKET}/${PREFIX}`, LocalPath: '/opt/ml/processing/output/results', S3UploadMode: 'EndOfJob' } }],
        },
      }));
    } finally {
      s3.destroy();
      sm.destroy();
    }
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('sagemakerProcessing.clearFilters');
  });

  it('revealJob selects the job in the explorer', async () => {
    const node = await tree.revealJob(JOB);
    assert.equal(node?.kind === 'job' && node.job.name, JOB);
    assert.equal(tree.getParent(node!), undefined);
    const view = tree.treeView;
    assert.ok(view, 'the tree view is attached');
    await waitFor('the job is selected', () => view.selection.some((n) => n.kind === 'job' && n.job.name === JOB), 20_000);
    assert.equal(await tree.revealJob('no-such-job'), undefined);
  });

  it('downloadOutputs copies the output prefix into <workspace>/outputs/<job>/<output>', async () => {
    const base = path.join(folder().uri.fsPath, 'outputs', JOB);
    fs.rmSync(base, { recursive: true, force: true });
    await vscode.commands.executeCommand('sagemakerProcessing.downloadOutputs', JOB);
    assert.equal(fs.readFileSync(path.join(base, 'results', 'part-0.csv'), 'utf8'), 'a,b\n1,2\n');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(base, 'results', 'nested', 'summary.json'), 'utf8')), { rows: 1 });
    assert.ok(!fs.existsSync(path.join(base, 'other.txt')) && !fs.existsSync(path.join(base, 'results', 'other.txt')), 'only the output prefix');
  });

  it('downloadOutputs with a target folder downloads there', async () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-dl-'));
    await vscode.commands.executeCommand('sagemakerProcessing.downloadOutputs', JOB, vscode.Uri.file(target));
    assert.equal(fs.readFileSync(path.join(target, 'results', 'part-0.csv'), 'utf8'), 'a,b\n1,2\n');
    fs.rmSync(target, { recursive: true, force: true });
  });

  it('saveAsDefinition adds the job to .vscode/sagemaker-processing.json, which stays valid', async () => {
    const file = path.join(folder().uri.fsPath, DEFINITION_FILE);
    const text = fs.readFileSync(file, 'utf8');
    const before = parseJsonc(text).value as { jobs: Record<string, unknown> };
    // census-preprocessing already runs preprocessing.py: no second job for it unless asked ('add').
    await vscode.commands.executeCommand('sagemakerProcessing.saveAsDefinition', JOB);
    assert.equal(fs.readFileSync(file, 'utf8'), text, 'nothing written for a script a job already runs');
    await vscode.commands.executeCommand('sagemakerProcessing.saveAsDefinition', JOB, 'add');
    const parsed = parseJsonc(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(parsed.problems, []);
    const value = parsed.value as { jobs: Record<string, { image?: string; arguments?: string[]; outputs?: { name?: string; destination?: string }[] }> };
    const added = Object.keys(value.jobs).filter((k) => !(k in before.jobs));
    assert.deepEqual(added, [JOB]);
    const job = value.jobs[JOB];
    assert.equal(job.image, IMAGE);
    assert.deepEqual(job.arguments, ARGS);
    assert.equal(job.outputs?.[0]?.destination, `s3://${BUCKET}/${PREFIX}`);
    for (const k of Object.keys(before.jobs)) assert.ok(k in value.jobs, `kept job ${k}`);
    const errors = validateDefinition(parsed.value, { workspaceFolder: folder().uri.fsPath }).filter((p) => p.severity === 'error');
    assert.deepEqual(errors, []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('filterName and filterStatus with an argument narrow the listed jobs', async () => {
    await tree.reload();
    assert.ok(names(tree).includes(JOB) && names(tree).includes(process.env.SMP_SEEDED_JOB!), names(tree).join(','));
    await vscode.commands.executeCommand('sagemakerProcessing.filterName', 'actions');
    assert.equal(tree.filter.nameContains, 'actions');
    await tree.reload();
    assert.deepEqual(names(tree), [JOB]);
    await vscode.commands.executeCommand('sagemakerProcessing.filterName', '');
    await vscode.commands.executeCommand('sagemakerProcessing.filterStatus', 'Failed');
    await tree.reload();
    assert.equal(tree.filter.status, 'Failed');
    assert.deepEqual(names(tree), []);
    assert.match(tree.description, /Failed/);
    await vscode.commands.executeCommand('sagemakerProcessing.filterStatus', 'Completed');
    await tree.reload();
    assert.ok(names(tree).includes(JOB) && names(tree).includes(process.env.SMP_SEEDED_JOB!), names(tree).join(','));
    await vscode.commands.executeCommand('sagemakerProcessing.filterStatus', 'NotAStatus');
    assert.equal(tree.filter.status, 'Completed', 'an unknown status leaves the filter alone');
    await vscode.commands.executeCommand('sagemakerProcessing.filterStatus', '');
    assert.equal(tree.filter.status, undefined);
  });

  it('switchRegion with an argument updates the setting and re-targets the tree', async () => {
    const cfg = () => vscode.workspace.getConfiguration('sagemakerProcessing');
    await vscode.commands.executeCommand('sagemakerProcessing.switchRegion', 'eu-west-1');
    assert.equal(cfg().get('region'), 'eu-west-1');
    await waitFor('the tree targets eu-west-1', () => tree.description.includes('eu-west-1'), 20_000);
    await tree.reload();
    assert.equal(tree.hasError, false);
    assert.ok(!names(tree).includes(JOB), `moto keeps jobs per region: ${names(tree).join(',')}`);
    await vscode.commands.executeCommand('sagemakerProcessing.switchRegion', '');
    assert.equal(cfg().get('region') || undefined, undefined);
    await waitFor('the tree is back on the default region', () => !tree.description.includes('eu-west-1'), 20_000);
    await tree.reload();
    assert.ok(names(tree).includes(JOB), names(tree).join(','));
  });

  it('switchProfile with an argument reads the shared files, re-targets the tree at once, and switches back', async () => {
    const cfg = () => vscode.workspace.getConfiguration('sagemakerProcessing');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-profiles-'));
    const keys = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_REGION', 'AWS_DEFAULT_REGION'] as const;
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    fs.writeFileSync(path.join(dir, 'config'), '[profile inhost-alt]\nregion = eu-central-1\n\n[profile inhost-nokeys]\nregion = us-east-1\n');
    fs.writeFileSync(path.join(dir, 'credentials'), `[inhost-alt]\naws_access_key_id = ${process.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${process.env.AWS_SECRET_ACCESS_KEY}\n`);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    // The region must come from the profile, as it does for a user without AWS_REGION.
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      // Start a load under the old target and switch while it is in flight: its answer must not show.
      void tree.reload();
      await vscode.commands.executeCommand('sagemakerProcessing.switchProfile', 'inhost-alt');
      assert.equal(cfg().get('profile'), 'inhost-alt');
      await waitFor('the tree targets the profile', () => tree.description.startsWith('inhost-alt'), 20_000);
      await tree.reload();
      assert.equal(tree.hasError, false, 'no error after the switch');
      assert.ok(!names(tree).includes(JOB), `the profile's region (eu-central-1) has none of us-east-1's jobs: ${names(tree).join(',')}`);
      await waitFor('the region resolved from the profile shows', () => tree.description.includes('eu-central-1'), 20_000);

      // A profile without keys: the credentials message with its fix-it (switch profile), not an exception.
      await vscode.commands.executeCommand('sagemakerProcessing.switchProfile', 'inhost-nokeys');
      await waitFor('the tree targets inhost-nokeys', () => tree.description.startsWith('inhost-nokeys'), 20_000);
      await tree.reload();
      assert.equal(tree.hasError, true, 'no credentials is reported');
      const rows = await tree.getChildren();
      assert.deepEqual(rows, [], 'the credentials welcome view (with its links) shows instead of rows');
    } finally {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await vscode.commands.executeCommand('sagemakerProcessing.switchProfile', '');
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(cfg().get('profile') || undefined, undefined);
    await waitFor('the tree is back on the default profile', () => tree.description.startsWith('default profile'), 20_000);
    await tree.reload();
    assert.equal(tree.hasError, false);
    assert.ok(names(tree).includes(JOB), names(tree).join(','));
  });
});
