// The first hour (issue 17), inside the extension host against the suite's moto: Compare Runs (two jobs, the last
// successful run, the current definition), Show Request as a read-only document, Download Outputs with nothing to
// download, Open in AWS Console at a custom endpoint, *.sagemaker-processing.json files (JSONC, our diagnostics, one
// entry per problem), and the relative times of the tree redrawn only while the view is visible.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateProcessingJobCommand, DescribeProcessingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ExtensionApi } from '../../../src/extension';
import type { JobNode, JobsTreeProvider } from '../../../src/ui/jobsTree';
import { waitFor } from '../../support/net';
import { envClientOptions } from '../../support/awsEnv';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';
const ACCOUNT = '123456789012';
const BUCKET = 'inhost-first-hour';
const OLD = 'fh-compare-2026-11-27-10-00-00-000';
const NEW = 'fh-compare-2026-11-27-11-00-00-000';
const EMPTY = 'fh-empty-outputs';
const CODE: Record<string, string> = { [OLD]: 'print("ratio 0.2")\n', [NEW]: 'print("ratio 0.3")\n' };

const clientOptions = envClientOptions;

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the census example is open');
  return f;
}

const md5 = (s: string | Buffer) => crypto.createHash('md5').update(s).digest('hex');

/** The two sides of the diff editor in front, parsed. */
async function activeDiff(): Promise<{ left: vscode.TextDocument; right: vscode.TextDocument; l: Record<string, any>; r: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let input: unknown;
  // The requests' diff; Compare may open the code's own diff ("Code: …") right after it, next to it.
  await waitFor('a diff editor is active', () => {
    const group = vscode.window.tabGroups.activeTabGroup;
    const active = group.activeTab;
    const tab = active?.label.startsWith('Code: ') ? group.tabs[group.tabs.indexOf(active) - 1] : active;
    return (input = tab?.input) instanceof vscode.TabInputTextDiff;
  }, 20_000);
  const diff = input as vscode.TabInputTextDiff;
  const left = await vscode.workspace.openTextDocument(diff.original);
  const right = await vscode.workspace.openTextDocument(diff.modified);
  return { left, right, l: JSON.parse(left.getText()), r: JSON.parse(right.getText()) };
}

function jobNode(tree: JobsTreeProvider, name: string): JobNode {
  const job = tree.shownJobs.find((j) => j.name === name);
  assert.ok(job, `${name} is listed`);
  return { kind: 'job', job };
}

describe('first hour (in-host)', () => {
  let tree: JobsTreeProvider;

  before(async () => {
    assert.ok(process.env.AWS_ENDPOINT_URL, 'the suite runs against moto');
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    tree = api.tree;
    const s3 = new S3Client({ ...clientOptions(), forcePathStyle: true });
    const sm = new SageMakerClient(clientOptions());
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const job = (name: string, args: string[], outputs?: string) => ({
        ProcessingJobName: name,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/SageMakerProcessingRole`,
        AppSpecification: { ImageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fh:1`, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'], ContainerArguments: args },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' as const, VolumeSizeInGB: 30 } },
        ProcessingInputs: [{ InputName: 'code', S3Input: { S3Uri: `s3://${BUCKET}/${name}/input/code/preprocessing.py`, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix' as const, S3InputMode: 'File' as const } }],
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: outputs ?? `s3://${BUCKET}/${name}/output/train`, LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' as const } }] },
      });
      for (const name of [OLD, NEW]) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${name}/input/code/preprocessing.py`, Body: CODE[name] }));
      await sm.send(new CreateProcessingJobCommand(job(OLD, ['--ratio', '0.2'])));
      // The newer run must be created strictly later (the last successful run is the newest *before* it).
      const oldCreated = (await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: OLD }))).CreationTime!.getTime();
      await waitFor('the clock moved past the first job\'s creation', () => Date.now() > oldCreated + 1, 20_000);
      await sm.send(new CreateProcessingJobCommand(job(NEW, ['--ratio', '0.3'])));
      await sm.send(new CreateProcessingJobCommand(job(EMPTY, [], `s3://${BUCKET}/nothing/here`)));
    } finally {
      s3.destroy();
      sm.destroy();
    }
    await tree.reload();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Compare Runs of two selected jobs: a diff of their normalised requests, older on the left', async () => {
    await vscode.commands.executeCommand('sagemakerProcessing.compareJobs', jobNode(tree, NEW), [jobNode(tree, NEW), jobNode(tree, OLD)]);
    const { left, right, l, r } = await activeDiff();
    assert.equal(left.uri.scheme, 'sagemaker-processing-view');
    assert.equal(path.posix.basename(left.uri.path), `${OLD}.json`);
    assert.equal(path.posix.basename(right.uri.path), `${NEW}.json`);
    assert.deepEqual(l.arguments, ['--ratio', '0.2']);
    assert.deepEqual(r.arguments, ['--ratio', '0.3']);
    // Job names inside URIs are generic, so only the real differences remain: arguments and the code's ETag.
    assert.equal(l.inputs.code.source, `s3://${BUCKET}/\${jobName}/input/code/preprocessing.py`);
    assert.equal(l.inputs.code.source, r.inputs.code.source);
    assert.equal(l.inputs.code.etag, md5(CODE[OLD]));
    assert.equal(r.inputs.code.etag, md5(CODE[NEW]));
    assert.deepEqual(l.outputs, r.outputs);
    assert.deepEqual(l.resources, r.resources); // (moto drops ProcessingResources from Describe)
  });

  it('Compare with Last Successful Run: the newest completed run of the same base name before it', async () => {
    await vscode.commands.executeCommand('sagemakerProcessing.compareWithLastSuccessful', jobNode(tree, NEW));
    const { left, right } = await activeDiff();
    assert.equal(path.posix.basename(left.uri.path), `${OLD}.json`);
    assert.equal(path.posix.basename(right.uri.path), `${NEW}.json`);
  });

  it('Compare with Job Definition: the request the definition would send now, code ETag from the local file', async () => {
    await vscode.commands.executeCommand('sagemakerProcessing.compareWithDefinition', OLD, 'census-preprocessing');
    const { right, r } = await activeDiff();
    assert.equal(path.posix.basename(right.uri.path), 'census-preprocessing (definition).json');
    assert.deepEqual(r.arguments, ['--train-test-split-ratio', '0.2']);
    const script = fs.readFileSync(path.join(folder().uri.fsPath, 'preprocessing.py'));
    assert.equal(r.inputs.code.etag, md5(script));
    assert.match(r.inputs.code.source, /\/\$\{jobName\}\/input\/code\/preprocessing\.py$/);
  });

  it('Show Request opens a read-only JSON document named after the job, not an untitled one', async () => {
    const script = vscode.Uri.file(path.join(folder().uri.fsPath, 'preprocessing.py'));
    // The actions suite added a second job for this script: name the job (the palette would ask).
    await vscode.commands.executeCommand('sagemakerProcessing.showRequest', script, 'census-preprocessing');
    let doc: vscode.TextDocument | undefined;
    await waitFor('the request document is shown', () => (doc = vscode.window.activeTextEditor?.document)?.uri.scheme === 'sagemaker-processing-view', 20_000);
    assert.equal(doc!.isUntitled, false);
    assert.equal(doc!.languageId, 'json');
    assert.equal(doc!.uri.path, '/CreateProcessingJob/census-preprocessing.json');
    assert.match(JSON.parse(doc!.getText()).ProcessingJobName, /^census-preprocessing-\d{4}-/);
  });

  it('Download Outputs of a job whose outputs are empty downloads nothing and creates no folder', async () => {
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smp-fh-')), 'out');
    const result = await vscode.commands.executeCommand<{ files: number }>('sagemakerProcessing.downloadOutputs', EMPTY, vscode.Uri.file(target));
    assert.deepEqual(result, { files: 0 });
    assert.equal(fs.existsSync(target), false);
  });

  it('Open in AWS Console says why not when the job lives at a custom endpoint', async () => {
    const result = await vscode.commands.executeCommand<{ url?: string; reason?: string }>('sagemakerProcessing.openInConsole', OLD);
    assert.equal(result?.url, undefined);
    assert.match(result?.reason ?? '', /custom endpoint/);
  });

  it('*.sagemaker-processing.json: JSONC, our diagnostics, and a schema problem listed once', async () => {
    const file = path.join(folder().uri.fsPath, 'extra.sagemaker-processing.json');
    fs.writeFileSync(file, [
      '{',
      '  // a comment: JSONC',
      '  "version": "1",',
      '  "jobs": {',
      '    "extra": {',
      '      "script": "missing.py",',
      '      "image": "img:1",',
      `      "role": "arn:aws:iam::${ACCOUNT}:role/R",`,
      '      "instanceCount": "two"',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'));
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'jsonc');
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SageMaker Processing');
    const others = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'SageMaker Processing');
    await waitFor('our diagnostic for the missing script', () => ours().some((d) => /missing\.py/.test(d.message) && d.range.start.line === 5), 20_000);
    await waitFor('the JSON language service reports the type problem', () => others().some((d) => d.range.start.line === 8), 20_000);
    await waitFor('the type problem is listed once', () => vscode.languages.getDiagnostics(uri).filter((d) => d.range.start.line === 8).length === 1, 20_000);
    assert.equal(ours().filter((d) => d.range.start.line === 8).length, 0, 'ours left out where the schema says it');
    assert.ok(ours().some((d) => /missing\.py/.test(d.message)), 'ours kept where only we see it');
    fs.rmSync(file);
  });

  it('relative times are redrawn on time while the view is visible, and not at all while it is hidden', async () => {
    const view = tree.treeView!;
    await vscode.commands.executeCommand('workbench.view.extension.sagemakerProcessing');
    await waitFor('the view is visible', () => view.visible, 20_000);
    await tree.reload();
    // Jobs under an hour old are listed ("just now", "3 min ago"): their labels change within a minute.
    assert.ok(tree.shownJobs.some((j) => Date.now() - j.creationTime.getTime() < 3_000_000), 'a recent job is shown');
    await waitFor('a redraw is scheduled', () => tree.relativeTimes?.dueAt !== undefined, 20_000);
    const inMs = tree.relativeTimes!.dueAt! - Date.now();
    assert.ok(inMs > 0 && inMs <= 61_000, `due in ${inMs} ms`);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the view is hidden', () => !view.visible, 20_000);
    assert.equal(tree.relativeTimes!.dueAt, undefined, 'nothing scheduled while hidden');
  });

  it('walkthrough steps complete on outcomes: jobs listed, a definition, a job created in this window, outputs downloaded', async () => {
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    // The explorer listed jobs, the census folder has a definition, this suite created jobs after activation, and
    // the actions suite downloaded outputs (files written; the empty download above does not count).
    await waitFor('the outcomes are reached', () => ['connected', 'hasDefinition', 'jobSubmitted', 'outputsDownloaded'].every((k) => api.walkthroughOutcomes().includes(k)), 20_000);
    assert.ok(!api.walkthroughOutcomes().includes('imagePushed'), 'no image was pushed in this suite');
  });
});
