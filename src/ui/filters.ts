// What the job explorer lists: reload, the next page, and its filters (status, name, creation time).
import * as vscode from 'vscode';
import { JOB_STATUSES, type JobStatus } from '../core/jobs';
import type { CommandFactory } from './commands';
import { t } from './l10n';

const TIME_WINDOWS = [
  { label: () => t('Last hour'), hours: 1 },
  { label: () => t('Last 24 hours'), hours: 24 },
  { label: () => t('Last 7 days'), hours: 24 * 7 },
  { label: () => t('Last 30 days'), hours: 24 * 30 },
];

const validateName = (v: string) => (v.length > 63 ? t('At most 63 characters') : /^[a-zA-Z0-9-]*$/.test(v) ? undefined : t('Job names have only letters, digits and hyphens'));

/** The explorer's list commands (view title and welcome links). */
export const filterCommands: Record<string, CommandFactory> = {
  refresh: (ctx) => async () => {
    await ctx.tree.reload();
    void ctx.monitor.scheduler.pollNow();
  },
  loadMore: (ctx) => () => ctx.tree.loadMore(),

  // A string argument (a status, '' for all) skips the quick pick: for keybindings, links and tests.
  filterStatus: (ctx) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      if (arg && !(JOB_STATUSES as readonly string[]).includes(arg)) {
        void vscode.window.showErrorMessage(t('Unknown job status "{0}"; one of {1}.', arg, JOB_STATUSES.join(', ')));
        return;
      }
      ctx.tree.setFilter({ ...ctx.tree.filter, status: (arg || undefined) as JobStatus | undefined });
      return;
    }
    const current = ctx.tree.filter.status;
    const items: (vscode.QuickPickItem & { status?: JobStatus })[] = [
      { label: t('All statuses'), picked: !current },
      ...JOB_STATUSES.map((st) => ({ label: st, status: st, description: st === current ? t('current') : undefined })),
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: t('Show jobs with status') });
    if (pick) ctx.tree.setFilter({ ...ctx.tree.filter, status: pick.status });
  },
  // A string argument ('' for any name) skips the input box.
  filterName: (ctx) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      const problem = validateName(arg.trim());
      if (problem) void vscode.window.showErrorMessage(t('Name filter "{0}": {1}', arg, problem));
      else ctx.tree.setFilter({ ...ctx.tree.filter, nameContains: arg.trim() || undefined });
      return;
    }
    const value = await vscode.window.showInputBox({
      prompt: t('Show jobs whose name contains (empty: any name)'),
      value: ctx.tree.filter.nameContains ?? '',
      validateInput: validateName,
    });
    if (value !== undefined) ctx.tree.setFilter({ ...ctx.tree.filter, nameContains: value.trim() || undefined });
  },
  filterTime: (ctx) => async () => {
    const items = [{ label: t('Any time'), hours: 0 }, ...TIME_WINDOWS.map((w) => ({ label: w.label(), hours: w.hours }))];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: t('Show jobs created in') });
    if (pick) ctx.tree.setFilter({ ...ctx.tree.filter, window: pick.hours ? { label: pick.label.toLowerCase(), hours: pick.hours } : undefined });
  },
  clearFilters: (ctx) => () => ctx.tree.setFilter({}),
};
