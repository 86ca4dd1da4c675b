import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';

describe('image build task and Dockerfile lens', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('provides a sagemaker-image task for the census job\'s build block', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'sagemaker-image' });
    const t = tasks.find((x) => x.definition.job === 'census-preprocessing');
    assert.ok(t, `no task for census-preprocessing: ${tasks.map((x) => x.name).join(', ')}`);
    assert.equal(t.name, 'Build and push census-preprocessing (sagemaker-processing-census:latest)');
    assert.equal(t.definition.repository, 'sagemaker-processing-census');
    assert.equal(t.source, 'sagemaker-image');
    assert.ok(t.execution instanceof vscode.CustomExecution, 'the task runs in a pseudoterminal, not a shell');
  });

  it('shows "Build and Push Image" as a code lens on the Dockerfile', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'Dockerfile');
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const lens = lenses.find((l) => l.command?.command === 'sagemakerProcessing.buildImage');
    assert.ok(lens, `no build lens: ${lenses.map((l) => l.command?.title).join(', ')}`);
    assert.match(lens.command!.title, /Build and Push Image/);
  });
});
