import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkDefinitionText } from '../core/definition/resolve';
import { DEFINITION_FILE, type DefinitionProblem } from '../core/definition/types';
import type { Services } from './commands';
import { DefinitionCodeLens } from './codeLens';
import { setting } from './settings';
import { definitionUri, isDefinitionDocument } from './definitionFiles';

export { DEFINITION_GLOB, definitionUri, folderFor, isDefinitionDocument, readDefinitionText } from './definitionFiles';

export function problemRange(doc: vscode.TextDocument | undefined, p: DefinitionProblem): vscode.Range {
  if (doc && p.offset !== undefined) return new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + Math.max(1, p.length ?? 1)));
  const line = p.line ?? 0;
  const col = p.column ?? 0;
  return new vscode.Range(line, col, line, col + Math.max(1, p.length ?? 1));
}

function folderOfDefinition(uri: vscode.Uri): string {
  return path.dirname(path.dirname(uri.fsPath));
}

/** Problems of a definition text, as the run command would see them (files checked on disk). */
export function definitionProblems(text: string, workspaceFolder: string): DefinitionProblem[] {
  const roleSetting = setting<string>('defaultRoleArn', '').trim();
  return checkDefinitionText(text, {
    workspaceFolder,
    fileExists: (p) => fs.existsSync(p),
    isDirectory: (p) => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    defaultRoleArn: roleSetting || undefined,
    requireRole: true,
  }).problems;
}

/**
 * Diagnostics for `.vscode/sagemaker-processing.json` while editing (field path and line in the Problems panel),
 * and the code lenses on Python scripts.
 */
export function registerDefinitions(s: Services): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('sagemaker-processing');
  const lens = new DefinitionCodeLens();
  s.ctx.push(diagnostics, lens);

  const check = (doc: vscode.TextDocument) => {
    if (!isDefinitionDocument(doc)) return;
    const problems = definitionProblems(doc.getText(), folderOfDefinition(doc.uri));
    diagnostics.set(doc.uri, problems.map((p) => {
      const d = new vscode.Diagnostic(problemRange(doc, p), p.path ? `${p.path}: ${p.message}` : p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'SageMaker Processing';
      return d;
    }));
  };
  const checkFile = (uri: vscode.Uri) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return check(open);
    let text: string;
    try {
      text = fs.readFileSync(uri.fsPath, 'utf8');
    } catch {
      diagnostics.delete(uri);
      return;
    }
    const problems = definitionProblems(text, folderOfDefinition(uri));
    diagnostics.set(uri, problems.map((p) => {
      const d = new vscode.Diagnostic(problemRange(undefined, p), p.path ? `${p.path}: ${p.message}` : p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'SageMaker Processing';
      return d;
    }));
  };

  const watcher = vscode.workspace.createFileSystemWatcher(`**/${DEFINITION_FILE}`);
  s.ctx.push(
    watcher,
    watcher.onDidCreate((u) => { s.ctx.markUsed(`created ${DEFINITION_FILE}`); checkFile(u); lens.refresh(); }),
    watcher.onDidChange((u) => { checkFile(u); lens.refresh(); }),
    watcher.onDidDelete((u) => { diagnostics.delete(u); lens.refresh(); }),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isDefinitionDocument(e.document)) return;
      check(e.document);
      lens.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sagemakerProcessing.codeLens.enabled')) lens.refresh();
      if (e.affectsConfiguration('sagemakerProcessing.defaultRoleArn')) for (const f of vscode.workspace.workspaceFolders ?? []) checkFile(definitionUri(f));
    }),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, lens),
  );
  // Definition files that are not open still show their problems (after activation, off the critical path).
  const initial = setTimeout(() => {
    for (const d of vscode.workspace.textDocuments) check(d);
    for (const f of vscode.workspace.workspaceFolders ?? []) if (fs.existsSync(definitionUri(f).fsPath)) checkFile(definitionUri(f));
  }, 200);
  s.ctx.push({ dispose: () => clearTimeout(initial) });
}
