import * as vscode from 'vscode';
import type { Ctx } from './context';
import type { JobsTreeProvider, JobNode } from './jobsTree';

/** Everything a command factory may need. */
export interface Services {
  ctx: Ctx;
  tree: JobsTreeProvider;
}

export type CommandFactory = (s: Services) => (...args: never[]) => unknown;

function jobName(node: JobNode | undefined): string | undefined {
  return node?.kind === 'job' ? node.job.name : undefined;
}

/** Commands are small factories registered by name (the rust-analyzer pattern). */
export const commands: Record<string, CommandFactory> = {
  refresh: (s) => () => s.tree.refresh(),
  copyName: () => async (node?: JobNode) => {
    const name = jobName(node);
    if (name) await vscode.env.clipboard.writeText(name);
  },
  copyArn: () => async (node?: JobNode) => {
    if (node?.kind === 'job') await vscode.env.clipboard.writeText(node.job.arn);
  },
};

/** Commands contributed in package.json that a later feature fills in: say so instead of failing silently. */
export function registerCommands(s: Services, contributed: readonly string[]): void {
  for (const [name, factory] of Object.entries(commands)) {
    s.ctx.push(vscode.commands.registerCommand(`sagemakerProcessing.${name}`, factory(s)));
  }
  for (const id of contributed) {
    const name = id.replace(/^sagemakerProcessing\./, '');
    if (name in commands) continue;
    s.ctx.push(
      vscode.commands.registerCommand(id, () => {
        void vscode.window.showInformationMessage(`SageMaker Processing: "${name}" is not available in this version yet.`);
      }),
    );
  }
}
