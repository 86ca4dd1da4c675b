import * as vscode from 'vscode';
import { Ctx } from './ui/context';
import { t } from './ui/l10n';
import { registerDefinitions } from './ui/definitions';
import { definitionUri } from './ui/definitionFiles';
import { DEFINITION_FILE } from './core/definition/types';
import { JobsTreeProvider, VIEW_ID } from './ui/jobsTree';
import { jobLogChannels } from './ui/logChannels';
import { localJobStore } from './ui/localJobs';
import { registerCommands } from './ui/commands';
import { createCommands } from './ui/commandTable';
import { registerLocalDebug } from './ui/localDebug';
import { JobStatusBar } from './ui/statusBar';
import { endedRunCostText } from './ui/costs';
import { JobMonitor } from './ui/jobMonitor';
import { EndNotifications } from './ui/notifications';
import { registerJobDocuments } from './ui/jobDocument';
import { registerS3Files } from './ui/s3Files';
import { schedulesSection } from './ui/schedules';
import { reachedOutcomes, registerWalkthrough } from './ui/walkthrough';
import { registerAgentTools, type AgentToolsApi } from './ui/lmTools';
import { registerSdkImport } from './ui/sdkImport';
import { registerFailureLinks } from './ui/failures';

export interface ExtensionApi {
  /** Milliseconds spent in activate(), for the activation benchmark and the in-host tests. */
  activationMs: number;
  /** CPU time (user + system) the extension host process spent during activate(): ours, whatever else the machine runs. */
  activationCpuMs: number;
  ctx: Ctx;
  /** The jobs tree (also `ctx.tree`, as the commands see it; the in-host tests drive it). */
  tree: JobsTreeProvider;
  /** The walkthrough outcomes reached in this window (the in-host tests read them). */
  walkthroughOutcomes: () => string[];
  /** The job monitor (polling, watched jobs, end-of-run events) and the end-of-run notifications (the in-host tests read them). */
  monitor: JobMonitor;
  notifications: EndNotifications;
  /** The language-model tools registered in this window and whether the MCP server definition is (in-host tests). */
  agentTools: AgentToolsApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);

  const tree = new JobsTreeProvider(ctx);
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.attach(treeView);
  // One job monitor polls and follows jobs and local runs; the tree, the status bar and the notifications subscribe.
  const monitor = new JobMonitor(ctx, tree);
  const statusBar = new JobStatusBar(monitor, tree, (name) => endedRunCostText(ctx, name), async (name) => (await (await ctx.aws.sagemaker()).describeProcessingJob(name)).ProcessingStartTime);
  const notifications = new EndNotifications(ctx, monitor);
  ctx.push(tree, treeView, monitor, statusBar, notifications, ctx.onDidChangeTarget(() => tree.resetForNewTarget()));
  ctx.push(treeView.onDidChangeVisibility((e) => {
    if (e.visible) ctx.markUsed(t('The jobs view was opened.'));
    monitor.setViewVisible(e.visible);
  }));
  if (treeView.visible) ctx.markUsed(t('The jobs view was opened.'));
  if (!ctx.used) void markUsedIfDefinitionExists(ctx);

  const localJobs = localJobStore(ctx);
  ctx.attach({ tree, monitor, logs: jobLogChannels(ctx), localJobs });
  tree.follow(monitor, localJobs);
  monitor.setLocalJobs(localJobs);
  registerJobDocuments(ctx);
  registerS3Files(ctx);
  registerDefinitions(ctx);
  tree.setSchedules(schedulesSection(ctx));
  // Every command, from one table (src/ui/commandTable.ts).
  registerCommands(ctx, createCommands());
  registerLocalDebug(ctx);
  registerFailureLinks(ctx);
  registerWalkthrough(ctx);
  registerSdkImport(ctx);
  const agentTools = registerAgentTools(ctx);

  const cpu = process.cpuUsage(cpu0);
  return { activationMs: performance.now() - t0, activationCpuMs: (cpu.user + cpu.system) / 1000, ctx, tree, walkthroughOutcomes: reachedOutcomes, monitor, notifications, agentTools };
}

/** A workspace folder with a definition file uses the extension (checked without blocking activation). */
async function markUsedIfDefinitionExists(ctx: Ctx): Promise<void> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const found = await vscode.workspace.fs.stat(definitionUri(folder)).then(() => true, () => false);
    if (found) return ctx.markUsed(t('{0} exists in {1}.', DEFINITION_FILE, folder.name));
  }
}

export function deactivate(): void {
  /* everything is owned by Ctx, disposed through context.subscriptions */
}
