import * as vscode from 'vscode';
import { parseJsonc } from '../core/definition/parse';
import { jobsForScript } from '../core/definition/resolve';
import { mergeDefaults } from '../core/definition/validate';
import type { DefinitionFile } from '../core/definition/types';
import { folderFor, readDefinitionText } from './definitionFiles';
import { setting } from './settings';
import { t } from './l10n';

/** "Run as Processing Job (<job> · <type> ×<count>)", "Run Locally in Docker", "Edit Job Definition" — or "Create Job Definition…" (the commands' titles). */
export class DefinitionCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly trust = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!setting('codeLens.enabled', true)) return [];
    const folder = folderFor(doc.uri);
    if (!folder) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const text = readDefinitionText(folder);
    let keys: string[] = [];
    let def: DefinitionFile | undefined;
    if (text !== undefined) {
      const parsed = parseJsonc(text);
      const v = parsed.value as DefinitionFile | undefined;
      if (v && typeof v === 'object' && v.jobs && typeof v.jobs === 'object') {
        def = v;
        try {
          keys = jobsForScript(v, doc.uri.fsPath, folder.uri.fsPath);
        } catch {
          keys = [];
        }
      }
    }
    const only = keys.length === 1 ? keys[0] : undefined;
    const edit = new vscode.CodeLens(range, { title: `$(edit) ${t('Edit Job Definition')}`, command: 'sagemakerProcessing.editDefinition', arguments: [doc.uri, only] });
    // Untrusted workspace: browsing only — no lens that runs, schedules or writes (the commands refuse there too).
    if (!vscode.workspace.isTrusted) return def && keys.length > 0 ? [edit] : [];
    if (!def || keys.length === 0) {
      return [new vscode.CodeLens(range, { title: `$(new-file) ${t('Create Job Definition…')}`, command: 'sagemakerProcessing.createDefinition', arguments: [doc.uri] })];
    }
    const lenses: vscode.CodeLens[] = [];
    for (const key of keys) {
      const m = mergeDefaults(def.defaults, def.jobs[key] ?? {});
      const type = typeof m.instanceType === 'string' ? m.instanceType : 'ml.m5.xlarge';
      const count = typeof m.instanceCount === 'number' ? m.instanceCount : 1;
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) ${t('Run as Processing Job ({0} · {1} ×{2})', key, type, count)}`, command: 'sagemakerProcessing.runJob', arguments: [doc.uri, key] }));
    }
    for (const key of keys) {
      const sched = def.jobs[key]?.schedule;
      if (sched && typeof sched === 'object' && typeof sched.expression === 'string') {
        const when = `${sched.expression}${sched.timezone ? ` ${sched.timezone}` : ''}`;
        lenses.push(new vscode.CodeLens(range, { title: `$(calendar) ${t('Schedule Job… ({0})', when)}`, command: 'sagemakerProcessing.scheduleJob', arguments: [doc.uri, key] }));
      }
    }
    lenses.push(new vscode.CodeLens(range, { title: `$(play) ${t('Run Locally in Docker')}`, command: 'sagemakerProcessing.runLocally', arguments: [doc.uri, only] }));
    lenses.push(new vscode.CodeLens(range, { title: `$(debug-alt) ${t('Debug Locally in Docker')}`, command: 'sagemakerProcessing.debugLocally', arguments: [doc.uri, only] }));
    lenses.push(edit);
    return lenses;
  }

  dispose(): void {
    this.trust.dispose();
    this.changed.dispose();
  }
}
