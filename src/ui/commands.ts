import * as vscode from 'vscode';
import type { Ctx } from './context';
import type { JobsTreeProvider, JobNode } from './jobsTree';

/** Everything a command factory may need. Feature modules add their own fields as they grow. */
export interface Services {
  ctx: Ctx;
  tree: JobsTreeProvider;
}

export type CommandFactory = (s: Services) => (...args: never[]) => unknown;

const registered = new Set<string>();

/**
 * Registers command factories by short name (`sagemakerProcessing.<name>`), the rust-analyzer pattern: each feature
 * module exports a `Record<string, CommandFactory>` and extension.ts registers it here.
 */
export function registerCommands(s: Services, factories: Record<string, CommandFactory>): void {
  for (const [name, factory] of Object.entries(factories)) {
    const id = `sagemakerProcessing.${name}`;
    if (registered.has(id)) throw new Error(`command ${id} registered twice`);
    registered.add(id);
    s.ctx.push(vscode.commands.registerCommand(id, factory(s)), { dispose: () => registered.delete(id) });
  }
}

/** Call last: any contributed command no feature registered says so instead of failing with "command not found". */
export function registerUnavailable(s: Services, contributed: readonly string[]): void {
  for (const id of contributed) {
    if (registered.has(id)) continue;
    const name = id.replace(/^sagemakerProcessing\./, '');
    s.ctx.push(
      vscode.commands.registerCommand(id, () => {
        void vscode.window.showInformationMessage(`SageMaker Processing: "${name}" is not available in this version yet.`);
      }),
    );
  }
}

function jobName(node: JobNode | undefined): string | undefined {
  return node?.kind === 'job' ? node.job.name : undefined;
}

/** Commands of the jobs view itself. */
export const viewCommands: Record<string, CommandFactory> = {
  refresh: (s) => () => s.tree.refresh(),
  copyName: () => async (node?: JobNode) => {
    const name = jobName(node);
    if (name) await vscode.env.clipboard.writeText(name);
  },
  copyArn: () => async (node?: JobNode) => {
    if (node?.kind === 'job') await vscode.env.clipboard.writeText(node.job.arn);
  },
};
