// The "Get started" walkthrough's steps complete on what the user did, not on a click: these context keys say so.
// They are set whenever and however the outcome happens: from what the workspace already holds when the extension
// activates (a definition, a local run's folder under .sagemaker-local/, a build record of a pushed image, downloaded
// outputs under outputs/, outcomes this workspace reached before), and as it happens (the jobs list, local runs, tasks,
// commands — also when started from the walkthrough's own buttons). Nothing here calls AWS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseBuildsFile, BUILDS_FILE } from '../core/build/record';
import { parseJsonc } from '../core/definition/parse';
import type { DefinitionFile } from '../core/definition/types';
import { LOCAL_OUTPUT_ROOT } from '../core/local/plan';
import { commandRan, type CommandFactory } from './commands';
import type { Ctx } from './context';
import { definitionUri } from './definitionFiles';
import { WALKTHROUGH_KEYS } from './walkthroughKeys';

export { WALKTHROUGH_KEYS };

export type WalkthroughKey = keyof typeof WALKTHROUGH_KEYS;

/** workspaceState: the outcomes this workspace reached (set again at the next activation). */
const REACHED_KEY = 'sagemakerProcessing.walkthrough.reached';
/** The commands whose end means "logs opened". */
const LOG_COMMANDS = new Set(['sagemakerProcessing.showLogs', 'sagemakerProcessing.showRunning']);

const reached = new Set<WalkthroughKey>();
let remember: ((keys: WalkthroughKey[]) => void) | undefined;

/** The walkthrough step each outcome completes (package.json's steps). */
const STEP_OF: Record<WalkthroughKey, string> = {
  connected: 'target', hasDefinition: 'definition', localRunCompleted: 'local', imagePushed: 'build', jobSubmitted: 'run', logsOpened: 'logs', outputsDownloaded: 'outputs',
};

/**
 * Marks a step's outcome as reached (once; the walkthrough remembers completed steps itself). The context key alone
 * is not enough: VS Code's walkthroughs service starts when a walkthrough is first shown, and a key that is already
 * true then is taken as seen, never as a completion. So the step is also marked complete (welcome.markStepComplete).
 */
export function reach(key: WalkthroughKey): void {
  if (reached.has(key)) return;
  reached.add(key);
  void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[key], true);
  void Promise.resolve(vscode.commands.executeCommand('welcome.markStepComplete', `${EXTENSION_ID}#gettingStarted#${STEP_OF[key]}`)).catch(() => undefined);
  remember?.([...reached]);
}

/** Which outcomes were reached in this window (the in-host tests read it). */
export function reachedOutcomes(): WalkthroughKey[] {
  return [...reached];
}

/** The job keys a folder's definition file defines (none when it is missing or unreadable). */
function definedJobs(file: string): string[] {
  try {
    const def = parseJsonc(fs.readFileSync(file, 'utf8')).value as Partial<DefinitionFile> | undefined;
    return def && typeof def.jobs === 'object' && def.jobs ? Object.keys(def.jobs) : [];
  } catch {
    return [];
  }
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether a folder holds a file, looking at most `depth` levels down (cheap: stops at the first file). */
function holdsFile(dir: string, depth = 3): boolean {
  for (const e of entries(dir)) {
    if (e.isFile()) return true;
    if (e.isDirectory() && depth > 0 && holdsFile(path.join(dir, e.name), depth - 1)) return true;
  }
  return false;
}

/** What a workspace folder shows was done: outcomes read from its files only. */
export function outcomesOnDisk(folder: string, definitionFile: string): WalkthroughKey[] {
  const found: WalkthroughKey[] = [];
  if (definedJobs(definitionFile).length) found.push('hasDefinition');
  const local = path.join(folder, LOCAL_OUTPUT_ROOT);
  // A local run leaves its outputs in .sagemaker-local/<job>/ (the extension's runs and the CLI's `run --local`).
  if (entries(local).some((e) => e.isDirectory() && holdsFile(path.join(local, e.name)))) found.push('localRunCompleted');
  let builds: string | undefined;
  try {
    builds = fs.readFileSync(path.join(folder, BUILDS_FILE), 'utf8');
  } catch {
    builds = undefined;
  }
  // A record is written only after a push completed and its digest was read (core/build/record.ts).
  if (Object.keys(parseBuildsFile(builds).records).length) found.push('imagePushed');
  const outputs = path.join(folder, 'outputs');
  if (entries(outputs).some((e) => e.isDirectory() && holdsFile(path.join(outputs, e.name)))) found.push('outputsDownloaded');
  return found;
}

/** A listed job name made from one of the definition's job keys (`<key>-<yyyy-mm-dd-hh-mm-ss-mmm>`). */
function fromDefinition(name: string, keys: string[]): boolean {
  return keys.some((k) => name.startsWith(`${k}-`) && /^\d{4}(-\d{2}){5}-\d{3}$/.test(name.slice(k.length + 1)));
}

/** Wires the outcomes to what the extension does (call once at activation, after the feature modules). */
export function registerWalkthrough(ctx: Ctx): void {
  const since = Date.now();
  const state = ctx.extension.workspaceState;
  remember = (keys) => void state.update(REACHED_KEY, keys);
  // What this workspace reached before: at once, without reading anything else.
  const before = state.get<string[]>(REACHED_KEY, []);
  for (const k of before) if (k in WALKTHROUGH_KEYS) reach(k as WalkthroughKey);
  let jobKeys: string[] = [];
  const folders = () => vscode.workspace.workspaceFolders ?? [];
  const checkDefinitions = () => {
    jobKeys = folders().flatMap((f) => definedJobs(definitionUri(f).fsPath));
    if (jobKeys.length) reach('hasDefinition');
  };
  const checkDisk = () => {
    for (const f of folders()) {
      if (f.uri.scheme !== 'file') continue;
      for (const k of outcomesOnDisk(f.uri.fsPath, definitionUri(f).fsPath)) reach(k);
    }
    checkDefinitions();
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/sagemaker-processing.json');
  ctx.push(
    watcher,
    watcher.onDidCreate(checkDefinitions),
    watcher.onDidChange(checkDefinitions),
    ctx.tree.onDidLoad((jobs) => {
      reach('connected');
      // A job created in this window, or one made from this workspace's definition before (the list is the proof).
      if (jobs.some((j) => j.creationTime.getTime() >= since || fromDefinition(j.name, jobKeys))) reach('jobSubmitted');
    }),
    vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.definition.type === 'sagemaker-image' && e.exitCode === 0) reach('imagePushed');
    }),
    commandRan.event((id) => {
      if (LOG_COMMANDS.has(id)) reach('logsOpened');
    }),
  );
  const store = ctx.localJobs;
  const checkLocal = () => {
    if (store.list().some((j) => j.status === 'Completed')) reach('localRunCompleted');
  };
  ctx.push(store.onDidChange(checkLocal));
  // Off the activation path: cheap reads of each folder's definition file, .sagemaker-local/ and outputs/, and the
  // local runs this workspace remembers.
  const timer = setTimeout(() => {
    checkDisk();
    checkLocal();
  }, 500);
  ctx.push({ dispose: () => clearTimeout(timer) });
}

/** "SageMaker Processing: Get Started": opens the walkthrough. */
export const walkthroughCommands: Record<string, CommandFactory> = {
  openWalkthrough: () => () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#gettingStarted`, false),
};

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';
