import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';

// A scheduled job in the census example: its code lens and "Copy as Python SDK Code" (the definition is restored after).
describe('scheduled job (in-host)', () => {
  let defPath = '';
  let original = '';
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    defPath = vscode.Uri.joinPath(folder(), '.vscode', 'sagemaker-processing.json').fsPath;
    original = fs.readFileSync(defPath, 'utf8');
    const scheduled = original.replace('"baseJobName": "census-preprocessing",', '"baseJobName": "census-preprocessing",\n      "schedule": { "expression": "cron(0 6 * * ? *)", "timezone": "Europe/Berlin" },');
    assert.notEqual(scheduled, original, 'the example definition has the expected shape');
    await setText(scheduled);
  });
  after(async () => {
    if (original) await setText(original);
  });
  /** Through the document, which an earlier test may have open (the extension reads the open editor's text first). */
  async function setText(text: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(defPath));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    assert.equal(fs.readFileSync(defPath, 'utf8'), text);
  }

  it('code lens "Schedule Job…" on the script names the expression and time zone', async () => {
    const script = vscode.Uri.joinPath(folder(), 'preprocessing.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', script);
    const lens = lenses.find((l) => l.command?.command === 'sagemakerProcessing.scheduleJob');
    assert.equal(lens?.command?.title, '$(calendar) Schedule Job… (cron(0 6 * * ? *) Europe/Berlin)');
    assert.deepEqual(lens?.command?.arguments?.[1], 'census-preprocessing');
  });

  it('"Copy as Python SDK Code" gives the Pipeline + ProcessingStep + put_triggers code', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('sagemakerProcessing.copyAsPython', vscode.Uri.joinPath(folder(), 'preprocessing.py'), 'census-preprocessing');
    const code = await vscode.env.clipboard.readText();
    assert.match(code, /step = ProcessingStep\(name="census-preprocessing", step_args=step_args\)/);
    assert.match(code, /pipeline\.put_triggers\(\[PipelineSchedule\(name="census-preprocessing", cron="0 6 \* \* \? \*", enabled=True\)\]/);
    assert.match(code, /ScheduleExpressionTimezone="Europe\/Berlin"/);
  });
});
