// Thin shells registered at activation for "Create Job Definition from SDK Code" and the %%writefile cell runs; the
// work (parsing with the user's Python, mapping, writing) is in the lazy bundle ./lazy/sdkImport.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { t } from './l10n';
import type { CommandFactory } from './commands';

export const IMPORT_KIND = vscode.CodeActionKind.Refactor.append('sagemakerProcessing.fromCode');

const lazy = () => import('./lazy/sdkImport');

export const sdkImportCommands = {
  createDefinitionFromCode: (ctx: Ctx) => async (uri?: unknown, range?: unknown) => {
    if (!ctx.requireTrust(t('Creating a job definition from code is disabled in an untrusted workspace (it runs your Python to parse the code).'))) return undefined;
    return (await lazy()).createDefinitionFromCode(ctx, uri, range);
  },
  runWritefileCell: (ctx: Ctx) => async (cell?: unknown) => {
    if (!ctx.requireTrust(t('Running a processing job is disabled in an untrusted workspace.'))) return undefined;
    return (await lazy()).runWritefileCell(ctx, cell, 'cloud');
  },
  runWritefileCellLocally: (ctx: Ctx) => async (cell?: unknown) => {
    if (!ctx.requireTrust(t('Running a job locally is disabled in an untrusted workspace.'))) return undefined;
    return (await lazy()).runWritefileCell(ctx, cell, 'local');
  },
} satisfies Record<string, CommandFactory>;

/** The code action on Python files and notebook cells, and the status bar items of %%writefile cells. */
export function registerSdkImport(ctx: Ctx): void {
  ctx.push(
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, {
      provideCodeActions: async (doc, range, _context, token) => {
        if (!vscode.workspace.isTrusted || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'vscode-notebook-cell')) return undefined;
        return (await lazy()).codeActions(doc, range, token);
      },
    }, { providedCodeActionKinds: [IMPORT_KIND] }),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider('jupyter-notebook', {
      provideCellStatusBarItems: (cell) => {
        if (cell.kind !== vscode.NotebookCellKind.Code) return undefined;
        const first = cell.document.lineAt(0).text.trim().split(/\s+/);
        if (first[0] !== '%%writefile' || first.length < 2) return undefined;
        const run = new vscode.NotebookCellStatusBarItem(`$(cloud-upload) ${t('Run as Processing Job')}`, vscode.NotebookCellStatusBarAlignment.Left);
        run.command = { title: t('Run as Processing Job'), command: 'sagemakerProcessing.runWritefileCell', arguments: [cell.document.uri] };
        run.tooltip = t('Write the file of this %%writefile cell, then run its job in SageMaker');
        const local = new vscode.NotebookCellStatusBarItem(`$(play) ${t('Run Locally')}`, vscode.NotebookCellStatusBarAlignment.Left);
        local.command = { title: t('Run Locally'), command: 'sagemakerProcessing.runWritefileCellLocally', arguments: [cell.document.uri] };
        local.tooltip = t('Write the file of this %%writefile cell, then run its job locally in Docker');
        return [run, local];
      },
    }),
  );
}
