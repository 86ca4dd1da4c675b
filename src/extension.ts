import * as vscode from 'vscode';
import { Ctx } from './ui/context';
import { JobsTreeProvider, VIEW_ID } from './ui/jobsTree';
import { registerCommands, registerUnavailable, viewCommands, type Services } from './ui/commands';

export interface ExtensionApi {
  /** Milliseconds spent in activate(), for the activation benchmark and the in-host tests. */
  activationMs: number;
  ctx: Ctx;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);

  const view = { description: undefined as string | undefined };
  const tree = new JobsTreeProvider(ctx, view);
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const syncDescription = tree.onDidChangeTreeData(() => setTimeout(() => (treeView.description = view.description), 0));
  ctx.push(tree, treeView, syncDescription, ctx.onDidChangeTarget(() => tree.refresh()));
  treeView.onDidChangeVisibility(() => (treeView.description = view.description));

  const services: Services = { ctx, tree };
  registerCommands(services, viewCommands);
  // Feature modules register here, one line each.

  const contributed = (context.extension.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
  registerUnavailable(services, contributed);

  return { activationMs: performance.now() - t0, ctx };
}

export function deactivate(): void {
  /* everything is owned by Ctx, disposed through context.subscriptions */
}
