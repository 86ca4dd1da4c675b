import * as vscode from 'vscode';
import { Ctx } from './ui/context';
import { runCommands } from './ui/runCommands';
import { registerDefinitions } from './ui/definitions';
import { JobsTreeProvider, VIEW_ID } from './ui/jobsTree';
import { logCommands } from './ui/logChannels';
import { localCommands, localJobStore } from './ui/localJobs';
import { buildCommands } from './ui/buildTask';
import { registerCommands, registerUnavailable, type Services } from './ui/commands';
import { JobStatusBar } from './ui/statusBar';
import { jobActionCommands, registerJobDocuments } from './ui/jobActions';
import { compareCommands } from './ui/compare';
import { reachedOutcomes, registerWalkthrough, walkthroughCommands } from './ui/walkthrough';

export interface ExtensionApi {
  /** Milliseconds spent in activate(), for the activation benchmark and the in-host tests. */
  activationMs: number;
  /** CPU time (user + system) the extension host process spent during activate(): ours, whatever else the machine runs. */
  activationCpuMs: number;
  ctx: Ctx;
  /** The tree, status bar and other services (the in-host tests drive them). */
  services: Services;
  /** The walkthrough outcomes reached in this window (the in-host tests read them). */
  walkthroughOutcomes: () => string[];
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);

  const tree = new JobsTreeProvider(ctx);
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.attach(treeView);
  const statusBar = new JobStatusBar(ctx, tree);
  ctx.push(tree, treeView, statusBar, ctx.onDidChangeTarget(() => tree.resetForNewTarget()));
  ctx.push(treeView.onDidChangeVisibility((e) => statusBar.setViewVisible(e.visible)));

  const services: Services = { ctx, tree, statusBar };
  registerCommands(services, jobActionCommands);
  registerJobDocuments(services);
  // Feature modules register here, one line each.
  registerCommands(services, logCommands);
  registerCommands(services, runCommands);
  registerDefinitions(services);
  registerCommands(services, buildCommands);
  services.localJobs = localJobStore(ctx);
  registerCommands(services, localCommands);
  registerCommands(services, compareCommands);

  if (services.localJobs) {
    tree.setLocalJobs(services.localJobs);
    statusBar.setLocalJobs(services.localJobs);
  }

  registerWalkthrough(services);
  registerCommands(services, walkthroughCommands);

  const contributed = (context.extension.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
  registerUnavailable(services, contributed);

  const cpu = process.cpuUsage(cpu0);
  return { activationMs: performance.now() - t0, activationCpuMs: (cpu.user + cpu.system) / 1000, ctx, services, walkthroughOutcomes: reachedOutcomes };
}

export function deactivate(): void {
  /* everything is owned by Ctx, disposed through context.subscriptions */
}
