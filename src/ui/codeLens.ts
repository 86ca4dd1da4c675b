import * as vscode from 'vscode';
import { parseJsonc } from '../core/definition/parse';
import { jobsForScript } from '../core/definition/resolve';
import { mergeDefaults } from '../core/definition/validate';
import type { DefinitionFile } from '../core/definition/types';
import { folderFor, readDefinitionText } from './definitionFiles';
import { setting } from './settings';

/** "Run as Processing Job (<job> · <type> ×<count>)", "Run Locally in Docker", "Edit Job Definition" — or "Create Job Definition…" (the commands' titles). */
export class DefinitionCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

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
    if (!def || keys.length === 0) {
      return [new vscode.CodeLens(range, { title: '$(new-file) Create Job Definition…', command: 'sagemakerProcessing.createDefinition', arguments: [doc.uri] })];
    }
    const lenses: vscode.CodeLens[] = [];
    for (const key of keys) {
      const m = mergeDefaults(def.defaults, def.jobs[key] ?? {});
      const type = typeof m.instanceType === 'string' ? m.instanceType : 'ml.m5.xlarge';
      const count = typeof m.instanceCount === 'number' ? m.instanceCount : 1;
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) Run as Processing Job (${key} · ${type} ×${count})`, command: 'sagemakerProcessing.runJob', arguments: [doc.uri, key] }));
    }
    for (const key of keys) {
      const sched = def.jobs[key]?.schedule;
      if (sched && typeof sched === 'object' && typeof sched.expression === 'string') {
        lenses.push(new vscode.CodeLens(range, { title: `$(calendar) Schedule Job… (${sched.expression}${sched.timezone ? ` ${sched.timezone}` : ''})`, command: 'sagemakerProcessing.scheduleJob', arguments: [doc.uri, key] }));
      }
    }
    const only = keys.length === 1 ? keys[0] : undefined;
    lenses.push(new vscode.CodeLens(range, { title: '$(play) Run Locally in Docker', command: 'sagemakerProcessing.runLocally', arguments: [doc.uri, only] }));
    lenses.push(new vscode.CodeLens(range, { title: '$(debug-alt) Debug Locally in Docker', command: 'sagemakerProcessing.debugLocally', arguments: [doc.uri, only] }));
    lenses.push(new vscode.CodeLens(range, { title: '$(edit) Edit Job Definition', command: 'sagemakerProcessing.editDefinition', arguments: [doc.uri, only] }));
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
