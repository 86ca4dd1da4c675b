import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../core/definition/files';
import { checkDefinitionText } from '../core/definition/resolve';
import { checkLocalPath, realWorkspace } from '../core/definition/confine';
import { t } from './l10n';
import { DEFINITION_FILE, type DefinitionProblem } from '../core/definition/types';
import type { Ctx } from './context';
import { DefinitionCodeLens } from './codeLens';
import { allowOutsideWorkspace, setting } from './settings';
import { definitionUri, isDefinitionDocument } from './definitionFiles';

export { DEFINITION_GLOB, definitionUri, folderFor, isDefinitionDocument, readDefinitionText } from './definitionFiles';

export function problemRange(doc: vscode.TextDocument | undefined, p: DefinitionProblem): vscode.Range {
  if (doc && p.offset !== undefined) return new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + Math.max(1, p.length ?? 1)));
  const line = p.line ?? 0;
  const col = p.column ?? 0;
  return new vscode.Range(line, col, line, col + Math.max(1, p.length ?? 1));
}

/** The folder a definition's paths are relative to: `<folder>/.vscode/sagemaker-processing.json`'s folder, else the workspace folder of a `*.sagemaker-processing.json` file (or its own folder). */
function folderOfDefinition(uri: vscode.Uri): string {
  if (path.basename(path.dirname(uri.fsPath)) === '.vscode' && path.basename(uri.fsPath) === 'sagemaker-processing.json') return path.dirname(path.dirname(uri.fsPath));
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

const SOURCE = 'SageMaker Processing';
/** Our diagnostics of syntax and schema problems (also reported by VS Code's JSON language service). */
const JSON_SERVICE = new WeakSet<vscode.Diagnostic>();

/** Problems of a definition text, as the run command would see them (files checked on disk, confined as Run confines them). */
export function definitionProblems(text: string, workspaceFolder: string): DefinitionProblem[] {
  const roleSetting = setting<string>('defaultRoleArn', '').trim();
  const ws = realWorkspace(workspaceFolder);
  const allowOutside = allowOutsideWorkspace();
  return checkDefinitionText(text, {
    workspaceFolder,
    fileExists: (p) => nodeFileSystem.exists(p),
    isDirectory: (p) => nodeFileSystem.isDirectory(p),
    confine: (p, expect, within) => checkLocalPath({ path: p, expect, within }, ws, { allowOutside }),
    defaultRoleArn: roleSetting || undefined,
    requireRole: true,
  }).problems;
}

/**
 * Diagnostics for `.vscode/sagemaker-processing.json` while editing (field path and line in the Problems panel),
 * and the code lenses on Python scripts.
 */
export function registerDefinitions(ctx: Ctx): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('sagemaker-processing');
  const lens = new DefinitionCodeLens();
  ctx.push(diagnostics, lens);

  // Our problems per file, all of them; what is published leaves out the syntax and schema problems VS Code's JSON
  // language service already shows for the same lines (one entry per problem in Problems, not two).
  const ours = new Map<string, vscode.Diagnostic[]>();
  const published = new Map<string, string>();
  const publish = (uri: vscode.Uri) => {
    const all = ours.get(uri.toString());
    if (!all) return;
    const others = vscode.languages.getDiagnostics(uri).filter((d) => d.source !== SOURCE);
    // A syntax or schema problem of ours: the service's entry on the same lines is the same problem (it may point at
    // the key where we point at the value). Any other problem of ours: the same when the service marks the same text
    // (e.g. a schema pattern over a path we check too).
    const same = (d: vscode.Diagnostic, o: vscode.Diagnostic) => JSON_SERVICE.has(d)
      ? o.range.start.line <= d.range.end.line && d.range.start.line <= o.range.end.line
      : !(o.range.intersection(d.range)?.isEmpty ?? true);
    const shown = all.filter((d) => !others.some((o) => same(d, o)));
    const key = shown.map((d) => `${d.range.start.line}:${d.range.start.character}:${d.message}`).join('\n');
    if (published.get(uri.toString()) === key) return;
    published.set(uri.toString(), key);
    diagnostics.set(uri, shown);
  };
  const setProblems = (uri: vscode.Uri, doc: vscode.TextDocument | undefined, problems: DefinitionProblem[]) => {
    ours.set(uri.toString(), problems.map((p) => {
      const d = new vscode.Diagnostic(problemRange(doc, p), p.path ? `${p.path}: ${p.message}` : p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = SOURCE;
      if (p.jsonService) JSON_SERVICE.add(d);
      return d;
    }));
    published.delete(uri.toString());
    publish(uri);
  };
  const forget = (uri: vscode.Uri) => {
    ours.delete(uri.toString());
    published.delete(uri.toString());
    diagnostics.delete(uri);
  };
  const check = (doc: vscode.TextDocument) => {
    if (!isDefinitionDocument(doc)) return;
    setProblems(doc.uri, doc, definitionProblems(doc.getText(), folderOfDefinition(doc.uri)));
  };
  const checkFile = (uri: vscode.Uri) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return check(open);
    let text: string;
    try {
      text = fs.readFileSync(uri.fsPath, 'utf8');
    } catch {
      forget(uri);
      return;
    }
    setProblems(uri, undefined, definitionProblems(text, folderOfDefinition(uri)));
  };

  const watcher = vscode.workspace.createFileSystemWatcher(`**/${DEFINITION_FILE}`);
  ctx.push(
    watcher,
    watcher.onDidCreate((u) => { ctx.markUsed(t('{0} was created.', DEFINITION_FILE)); checkFile(u); lens.refresh(); }),
    watcher.onDidChange((u) => { checkFile(u); lens.refresh(); }),
    watcher.onDidDelete((u) => { forget(u); lens.refresh(); }),
    vscode.languages.onDidChangeDiagnostics((e) => { for (const u of e.uris) if (ours.has(u.toString())) publish(u); }),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isDefinitionDocument(e.document)) return;
      check(e.document);
      lens.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sagemakerProcessing.codeLens.enabled')) lens.refresh();
      if (e.affectsConfiguration('sagemakerProcessing.defaultRoleArn') || e.affectsConfiguration('sagemakerProcessing.allowPathsOutsideWorkspace')) for (const f of vscode.workspace.workspaceFolders ?? []) checkFile(definitionUri(f));
    }),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, lens),
  );
  // Definition files that are not open still show their problems (after activation, off the critical path).
  const initial = setTimeout(() => {
    for (const d of vscode.workspace.textDocuments) check(d);
    for (const f of vscode.workspace.workspaceFolders ?? []) if (fs.existsSync(definitionUri(f).fsPath)) checkFile(definitionUri(f));
  }, 200);
  ctx.push({ dispose: () => clearTimeout(initial) });
}
