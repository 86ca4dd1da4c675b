import * as vscode from 'vscode';
import type { Ctx } from './context';
import { t } from './l10n';

/** A command's factory: given the one context object, the handler registered under the command's id. */
export type CommandFactory = (ctx: Ctx) => (...args: never[]) => unknown;

/** Fires a command's id once its handler ended without an error. */
export const commandRan = new vscode.EventEmitter<string>();

/** Registers every command of the table (see commandTable.ts) under its full id. */
export function registerCommands(ctx: Ctx, table: Record<string, CommandFactory>): void {
  for (const [id, factory] of Object.entries(table)) {
    const handler = factory(ctx) as (...args: unknown[]) => unknown;
    ctx.push(vscode.commands.registerCommand(id, (...args: unknown[]) => {
      ctx.markUsed(t('The command {0} ran.', id));
      const result = handler(...args);
      // Listeners (the walkthrough) learn which commands ran to the end without throwing.
      void Promise.resolve(result).then(() => commandRan.fire(id), () => undefined);
      return result;
    }));
  }
}
