import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFINITION_FILE } from '../core/definition/types';

export const DEFINITION_GLOB = `**/${DEFINITION_FILE}`;

/** `.vscode/sagemaker-processing.json`, or a `*.sagemaker-processing.json` file (the schema applies to both). */
export function isDefinitionDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && (doc.uri.fsPath.endsWith(path.join('.vscode', 'sagemaker-processing.json')) || doc.uri.fsPath.endsWith('.sagemaker-processing.json'));
}

export function definitionUri(folder: vscode.WorkspaceFolder): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, DEFINITION_FILE);
}

/** The workspace folder holding a file (or the first one). */
export function folderFor(uri?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) || vscode.workspace.workspaceFolders?.[0];
}

/** The definition text: from the open (maybe unsaved) editor, else from disk; undefined when there is no file. */
export function readDefinitionText(folder: vscode.WorkspaceFolder): string | undefined {
  const uri = definitionUri(folder);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return fs.readFileSync(uri.fsPath, 'utf8');
  } catch {
    return undefined;
  }
}

