// "Create Job Definition from SDK Code" and "Run as Processing Job" on %%writefile cells (lazy bundle): the user's
// Python parses the code (src/local/pythonAst.ts), core/sdkImport maps it, the save-definition code writes it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { t } from '../l10n';
import { PYTHON_CANDIDATES } from '../../core/local/debugpyInstall';
import { findPythonForAst, parsePython } from '../../local/pythonAst';
import { importFromNotebookCells, importFromPythonText, type CodeImport, type Parse } from '../../core/sdkImport/importCode';
import { writefileOf } from '../../core/sdkImport/notebook';
import type { ImportedJob } from '../../core/sdkImport/fromCode';
import { planImportFromCode } from '../../core/saveDefinition';
import { addJobToDefinitionText } from '../../core/jobToDefinition';
import { DEFINITION_FILE, type DefinitionFile } from '../../core/definition/types';
import { jobsForScript } from '../../core/definition/resolve';
import { parse as parseJsonc } from 'jsonc-parser';

const IMPORT_KIND = vscode.CodeActionKind.Refactor.append('sagemakerProcessing.fromCode');

let python: Promise<string | undefined> | undefined;
let pythonFor: string | undefined;

/** The user's Python: the Python extension's interpreter setting when set, else python3/python on the PATH. */
function userPython(): Promise<string | undefined> {
  const configured = vscode.workspace.getConfiguration('python').get<string>('defaultInterpreterPath');
  const candidates = configured && configured !== 'python' ? [configured, ...PYTHON_CANDIDATES] : PYTHON_CANDIDATES;
  const key = candidates.join('\n');
  if (!python || pythonFor !== key) {
    pythonFor = key;
    python = findPythonForAst(candidates);
  }
  return python;
}

async function parser(): Promise<Parse> {
  const py = await userPython();
  if (!py) throw new Error(t('No Python was found to read the code (tried {0}); set python.defaultInterpreterPath.', PYTHON_CANDIDATES.join(', ')));
  return (src) => parsePython(py, src);
}

function notebookOfCell(doc: vscode.TextDocument): { nb: vscode.NotebookDocument; index: number } | undefined {
  for (const nb of vscode.workspace.notebookDocuments) {
    const index = nb.getCells().findIndex((c) => c.document.uri.toString() === doc.uri.toString());
    if (index >= 0) return { nb, index };
  }
  return undefined;
}

const cellsOf = (nb: vscode.NotebookDocument) => nb.getCells().map((c) => ({ code: c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python', text: c.document.getText() }));

interface Source {
  /** The file or notebook the code is in. */
  uri: vscode.Uri;
  result: CodeImport;
}

const cache = new Map<string, Promise<Source | undefined>>();

/** The jobs of a Python document (a whole file, or a notebook cell with the cells above it), cached per version. */
function importsOf(doc: vscode.TextDocument): Promise<Source | undefined> {
  const cell = doc.uri.scheme === 'vscode-notebook-cell' ? notebookOfCell(doc) : undefined;
  const key = cell ? `${cell.nb.uri.toString()}@${cell.nb.version}#${cell.index}@${doc.version}` : `${doc.uri.toString()}@${doc.version}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const parse = await parser();
      if (cell) return { uri: cell.nb.uri, result: await importFromNotebookCells(cellsOf(cell.nb), cell.index, parse) };
      return { uri: doc.uri, result: await importFromPythonText(doc.getText(), parse) };
    })();
    if (cache.size > 20) cache.clear();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

const overlaps = (j: ImportedJob, range: vscode.Range) => !j.statement || (j.statement.startLine <= range.end.line + 1 && j.statement.endLine >= range.start.line + 1);

export async function codeActions(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.CodeAction[] | undefined> {
  let src: Source | undefined;
  try {
    src = await importsOf(doc);
  } catch {
    return undefined; // no Python: the command says why when run from the palette
  }
  if (!src || token.isCancellationRequested) return undefined;
  const isCell = doc.uri.scheme === 'vscode-notebook-cell';
  return src.result.jobs
    .filter((j) => isCell || overlaps(j, range))
    .map((j) => {
      const a = new vscode.CodeAction(t('Create Job Definition from SDK Code ({0})', j.key), IMPORT_KIND);
      a.command = { title: a.title, command: 'sagemakerProcessing.createDefinitionFromCode', arguments: [doc.uri, j.statement ? new vscode.Range(j.statement.startLine - 1, 0, j.statement.endLine - 1, 0) : undefined] };
      return a;
    });
}

function folderFor(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.getWorkspaceFolder(uri) ?? (vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : undefined);
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
}

export interface CreatedFromCode {
  key: string;
  notes: string[];
  sdk: 'v2' | 'v3';
  /** Scripts written from %%writefile cells because they were not there yet. */
  wroteScripts: string[];
}

/** The command: the code at `uri` (a Python file or a notebook cell; default: the active editor) → a job in the definition. */
export async function createDefinitionFromCode(ctx: Ctx, uriArg?: unknown, rangeArg?: unknown): Promise<CreatedFromCode | undefined> {
  ctx.markUsed(t('A job definition was created from SDK code.'));
  let doc: vscode.TextDocument | undefined;
  let range: vscode.Range | undefined = rangeArg instanceof vscode.Range ? rangeArg : undefined;
  if (uriArg instanceof vscode.Uri) {
    doc = await vscode.workspace.openTextDocument(uriArg);
  } else if (vscode.window.activeNotebookEditor && vscode.window.activeNotebookEditor.notebook.cellCount) {
    const ed = vscode.window.activeNotebookEditor;
    doc = ed.notebook.cellAt(ed.selection.start).document;
  } else if (vscode.window.activeTextEditor) {
    doc = vscode.window.activeTextEditor.document;
    if (!range && !vscode.window.activeTextEditor.selection.isEmpty) range = vscode.window.activeTextEditor.selection;
  }
  if (!doc || doc.languageId !== 'python') {
    void vscode.window.showWarningMessage(t('Open a Python file or a notebook cell with SageMaker Python SDK code (a processor and its .run(…) call).'));
    return undefined;
  }
  let src: Source | undefined;
  try {
    src = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: t('Reading the SDK code…') }, () => importsOf(doc));
  } catch (err) {
    void vscode.window.showErrorMessage(t('Could not read the code: {0}', (err as Error).message));
    return undefined;
  }
  if (!src) return undefined;
  const isCell = doc.uri.scheme === 'vscode-notebook-cell';
  const jobs = src.result.jobs.filter((j) => isCell || !range || overlaps(j, range));
  if (!jobs.length) {
    void vscode.window.showWarningMessage(src.result.reason ?? t('No processor `.run(…)` call of the SageMaker Python SDK was found here (ScriptProcessor, SKLearnProcessor, FrameworkProcessor, PySparkProcessor…).'));
    return undefined;
  }
  let chosen = jobs[0];
  if (jobs.length > 1) {
    const pick = await vscode.window.showQuickPick(jobs.map((j) => ({ label: j.key, description: t('line {0}', j.line), detail: String(j.job.script ?? ''), j })), { placeHolder: t('Which run() call?') });
    if (!pick) return undefined;
    chosen = pick.j;
  }
  const folder = folderFor(src.uri);
  if (!folder) {
    void vscode.window.showWarningMessage(t('Open a folder to save a job definition in.'));
    return undefined;
  }
  const codeFolder = path.dirname(src.uri.fsPath);
  const defUri = vscode.Uri.joinPath(folder.uri, DEFINITION_FILE);
  // The definition as the editor has it when it is open (unsaved edits included), else as on disk.
  const openDef = vscode.workspace.textDocuments.find((d) => d.uri.toString() === defUri.toString());
  const text = openDef ? openDef.getText() : await readText(defUri);
  const plan = planImportFromCode(chosen, text, { workspaceFolder: folder.uri.fsPath, codeFolder });
  // A %%writefile cell above made the script: write it when it is not on disk yet (as running the cell would).
  const wroteScripts: string[] = [];
  for (const wf of src.result.writefiles) {
    const abs = path.resolve(codeFolder, wf.path);
    const scriptAbs = typeof plan.job.script === 'string' ? path.resolve(folder.uri.fsPath, plan.job.sourceDir ?? '', plan.job.script) : undefined;
    if (abs === scriptAbs && !fs.existsSync(abs) && !wf.append) {
      await vscode.workspace.fs.writeFile(vscode.Uri.file(abs), Buffer.from(wf.content, 'utf8'));
      wroteScripts.push(path.relative(folder.uri.fsPath, abs));
    }
  }
  const out = addJobToDefinitionText(text, plan.key, plan.job);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
  if (openDef && !openDef.isClosed) {
    // Edit the open document and save it: a run right after (the %%writefile cell's) reads the new job from it, not
    // a copy that has not caught up with the file yet.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(defUri, new vscode.Range(openDef.positionAt(0), openDef.positionAt(openDef.getText().length)), out.text);
    await vscode.workspace.applyEdit(edit);
    await openDef.save();
  } else await vscode.workspace.fs.writeFile(defUri, Buffer.from(out.text, 'utf8'));
  const defDoc = await vscode.workspace.openTextDocument(defUri);
  const editor = await vscode.window.showTextDocument(defDoc, { preview: false });
  const at = out.text.indexOf(`"${out.key}"`);
  if (at >= 0) editor.revealRange(new vscode.Range(defDoc.positionAt(at), defDoc.positionAt(at)), vscode.TextEditorRevealType.AtTop);
  ctx.log.info(t('Create Job Definition from SDK Code: job "{0}" from {1} (SDK {2} spelling).', out.key, vscode.workspace.asRelativePath(src.uri), chosen.sdk));
  for (const n of plan.notes) ctx.log.info(t('Not carried over ({0}): {1}', out.key, n));
  for (const s of wroteScripts) ctx.log.info(t('Wrote {0} from its %%writefile cell.', s));
  if (plan.sameScript.length) ctx.log.info(t('Job "{0}" in {1} already runs the same script.', plan.sameScript[0], DEFINITION_FILE));
  const message = plan.notes.length
    ? plan.notes.length === 1
      ? t('Created job "{0}" in {1}. One value could not be carried over: {2}', out.key, DEFINITION_FILE, plan.notes[0])
      : t('Created job "{0}" in {1}. {2} values could not be carried over: {3}', out.key, DEFINITION_FILE, plan.notes.length, plan.notes.join(' '))
    : t('Created job "{0}" in {1}; everything in the code was carried over.', out.key, DEFINITION_FILE);
  const show = t('Show Details');
  void (plan.notes.length ? vscode.window.showWarningMessage(message, show) : vscode.window.showInformationMessage(message)).then((c) => {
    if (c === show) ctx.log.show(true);
  });
  return { key: out.key, notes: plan.notes, sdk: chosen.sdk, wroteScripts };
}

/** A %%writefile cell: write its file, then run the job whose script it is (adding one from the notebook's SDK code when none does). */
export async function runWritefileCell(ctx: Ctx, cellArg: unknown, mode: 'cloud' | 'local'): Promise<unknown> {
  let cellDoc: vscode.TextDocument | undefined;
  if (cellArg instanceof vscode.Uri) cellDoc = await vscode.workspace.openTextDocument(cellArg);
  else if (vscode.window.activeNotebookEditor) {
    const ed = vscode.window.activeNotebookEditor;
    cellDoc = ed.notebook.cellAt(ed.selection.start).document;
  }
  const cell = cellDoc ? notebookOfCell(cellDoc) : undefined;
  const wf = cellDoc ? writefileOf(cellDoc.getText()) : undefined;
  if (!cell || !wf) {
    void vscode.window.showWarningMessage(t('Select a notebook cell that starts with %%writefile.'));
    return undefined;
  }
  const folder = folderFor(cell.nb.uri);
  if (!folder) {
    void vscode.window.showWarningMessage(t('Open a folder to save a job definition in.'));
    return undefined;
  }
  const abs = path.resolve(path.dirname(cell.nb.uri.fsPath), wf.path);
  const before = wf.append ? (await readText(vscode.Uri.file(abs))) ?? '' : '';
  await vscode.workspace.fs.writeFile(vscode.Uri.file(abs), Buffer.from(before + wf.content, 'utf8'));
  ctx.log.info(t('Wrote {0} from its %%writefile cell.', vscode.workspace.asRelativePath(abs)));
  const defUri = vscode.Uri.joinPath(folder.uri, DEFINITION_FILE);
  const jobsFor = async () => {
    const text = await readText(defUri);
    const def = text ? (parseJsonc(text, [], { allowTrailingComma: true }) as DefinitionFile | undefined) : undefined;
    try {
      return def && typeof def === 'object' && def.jobs ? jobsForScript(def, abs, folder.uri.fsPath) : [];
    } catch {
      return [];
    }
  };
  if (!(await jobsFor()).length) {
    // The notebook's SDK code below may run this script: offer to import it.
    let job: { uri: vscode.Uri } | undefined;
    try {
      const parse = await parser();
      const cells = cellsOf(cell.nb);
      for (let i = cells.length - 1; i > cell.index && !job; i--) {
        if (!cells[i].code) continue;
        const r = await importFromNotebookCells(cells, i, parse);
        const codeFolder = path.dirname(cell.nb.uri.fsPath);
        if (r.jobs.some((j) => typeof j.job.script === 'string' && path.resolve(codeFolder, j.job.sourceDir ?? '', j.job.script) === abs)) job = { uri: cell.nb.cellAt(i).document.uri };
      }
    } catch {
      job = undefined;
    }
    const create = t('Create from the Notebook\'s SDK Code');
    const wizard = t('Create Job Definition');
    const choice = await vscode.window.showInformationMessage(t('No job in {0} runs {1} yet.', DEFINITION_FILE, vscode.workspace.asRelativePath(abs)), ...(job ? [create] : []), wizard);
    if (choice === create && job) {
      const made = await createDefinitionFromCode(ctx, job.uri);
      if (!made) return undefined;
    } else {
      if (choice === wizard) await vscode.commands.executeCommand('sagemakerProcessing.createDefinition', vscode.Uri.file(abs));
      return undefined;
    }
  }
  return vscode.commands.executeCommand(mode === 'cloud' ? 'sagemakerProcessing.runJob' : 'sagemakerProcessing.runLocally', vscode.Uri.file(abs));
}
