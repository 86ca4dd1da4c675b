import * as vscode from 'vscode';
import type { Ctx } from './context';
import { t } from './l10n';

/** A command's factory: given the one context object, the handler registered under the command's id. */
export type CommandFactory = (ctx: Ctx) => (...args: never[]) => unknown;

/** Registers every command of the table (see commandTable.ts) under its full id. */
export function registerCommands(ctx: Ctx, table: Record<string, CommandFactory>): void {
  for (const [id, factory] of Object.entries(table)) {
    const handler = factory(ctx) as (...args: unknown[]) => unknown;
    ctx.push(vscode.commands.registerCommand(id, (...args: unknown[]) => {
      ctx.markUsed(t('The command {0} ran.', id));
      return handler(...args);
    }));
  }
}
