// The "Get started" walkthrough's steps complete on what the user did, not on a click: these context keys say so.
// Nothing here calls AWS; it listens to what the explorer, local runs, tasks and commands already do.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseJsonc } from '../core/definition/parse';
import type { DefinitionFile } from '../core/definition/types';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import { definitionUri } from './definitionFiles';
import { WALKTHROUGH_KEYS } from './walkthroughKeys';

export { WALKTHROUGH_KEYS };

export type WalkthroughKey = keyof typeof WALKTHROUGH_KEYS;

const reached = new Set<WalkthroughKey>();

/** Marks a step's outcome as reached (once; the walkthrough remembers completed steps itself). */
export function reach(key: WalkthroughKey): void {
  if (reached.has(key)) return;
  reached.add(key);
  void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[key], true);
}

/** Which outcomes were reached in this window (the in-host tests read it). */
export function reachedOutcomes(): WalkthroughKey[] {
  return [...reached];
}

function definesJobs(file: string): boolean {
  try {
    const def = parseJsonc(fs.readFileSync(file, 'utf8')).value as Partial<DefinitionFile> | undefined;
    return !!def && typeof def.jobs === 'object' && !!def.jobs && Object.keys(def.jobs).length > 0;
  } catch {
    return false;
  }
}

/** Wires the outcomes to what the extension does (call once at activation, after the feature modules). */
export function registerWalkthrough(ctx: Ctx): void {
  const since = Date.now();
  const checkDefinitions = () => {
    if ((vscode.workspace.workspaceFolders ?? []).some((f) => definesJobs(definitionUri(f).fsPath))) reach('hasDefinition');
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/sagemaker-processing.json');
  ctx.push(
    watcher,
    watcher.onDidCreate(checkDefinitions),
    watcher.onDidChange(checkDefinitions),
    ctx.tree.onDidLoad((jobs) => {
      reach('connected');
      if (jobs.some((j) => j.creationTime.getTime() >= since)) reach('jobSubmitted');
    }),
    vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.definition.type === 'sagemaker-image' && e.exitCode === 0) reach('imagePushed');
    }),
  );
  const store = ctx.localJobs;
  const checkLocal = () => {
    if (store.list().some((j) => j.status === 'Completed')) reach('localRunCompleted');
  };
  ctx.push(store.onDidChange(checkLocal));
  // Off the activation path: a cheap read of each folder's definition file.
  const t = setTimeout(checkDefinitions, 500);
  ctx.push({ dispose: () => clearTimeout(t) });
}

/** "SageMaker Processing: Get Started": opens the walkthrough. */
export const walkthroughCommands: Record<string, CommandFactory> = {
  openWalkthrough: () => () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#gettingStarted`, false),
};

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';
