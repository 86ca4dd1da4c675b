import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';

function scriptUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the census example is open');
  return vscode.Uri.joinPath(folder.uri, 'preprocessing.py');
}

describe('run as processing job (in-host)', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('code lenses on the script name the job, its instance type and count', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scriptUri()));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', scriptUri());
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('$(cloud-upload) Run as Processing Job (census-preprocessing · ml.m5.xlarge ×1)'), titles.join(' | '));
    assert.ok(titles.includes('$(play) Run Locally in Docker'));
    assert.ok(titles.includes('$(edit) Edit Job Definition'));
    const run = lenses.find((l) => l.command?.command === 'sagemakerProcessing.runJob');
    assert.deepEqual(run?.command?.arguments?.[1], 'census-preprocessing');
  });

  it('"Show request" opens the exact CreateProcessingJob request as JSON, without submitting', async () => {
    await vscode.commands.executeCommand('sagemakerProcessing.showRequest', scriptUri());
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'json');
    const req = JSON.parse(doc!.getText());
    assert.match(req.ProcessingJobName, /^census-preprocessing-\d{4}(-\d{2}){5}-\d{3}$/);
    assert.deepEqual(req.AppSpecification.ContainerEntrypoint, ['python3', '/opt/ml/processing/input/code/preprocessing.py']);
    assert.equal(req.ProcessingInputs.at(-1).InputName, 'code');
    assert.equal(req.ProcessingInputs.at(-1).S3Input.S3Uri, `s3://sagemaker-us-east-1-123456789012/${req.ProcessingJobName}/input/code/preprocessing.py`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('"Edit definition" opens the definition file at the job', async () => {
    await vscode.commands.executeCommand('sagemakerProcessing.editDefinition', scriptUri());
    const ed = vscode.window.activeTextEditor;
    assert.ok(ed && ed.document.uri.fsPath.endsWith('.vscode/sagemaker-processing.json'));
    assert.equal(ed.document.getText(ed.selection), '"census-preprocessing"');
  });
});
