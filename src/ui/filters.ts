// What the job explorer lists: reload, the next page, and its filters (status, name, creation time).
import * as vscode from 'vscode';
import { JOB_STATUSES, type JobStatus } from '../core/jobs';
import type { CommandFactory } from './commands';
import { t } from './l10n';
import { JobMonitor } from './jobMonitor';

const TIME_WINDOWS = [
  { label: () => t('Last hour'), hours: 1 },
  { label: () => t('Last 24 hours'), hours: 24 },
  { label: () => t('Last 7 days'), hours: 24 * 7 },
  { label: () => t('Last 30 days'), hours: 24 * 30 },
];

const validateName = (v: string) => (v.length > 63 ? t('At most 63 characters') : /^[a-zA-Z0-9-]*$/.test(v) ? undefined : t('Job names have only letters, digits and hyphens'));

/** The explorer's list commands (view title and welcome links). */
export const filterCommands: Record<string, CommandFactory> = {
  refresh: (s) => async () => {
    await s.tree.reload();
    if (s.statusBar instanceof JobMonitor) void s.statusBar.scheduler.pollNow();
  },
  loadMore: (s) => () => s.tree.loadMore(),

  // A string argument (a status, '' for all) skips the quick pick: for keybindings, links and tests.
  filterStatus: (s) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      if (arg && !(JOB_STATUSES as readonly string[]).includes(arg)) {
        void vscode.window.showErrorMessage(t('Unknown job status "{0}"; one of {1}.', arg, JOB_STATUSES.join(', ')));
        return;
      }
      s.tree.setFilter({ ...s.tree.filter, status: (arg || undefined) as JobStatus | undefined });
      return;
    }
    const current = s.tree.filter.status;
    const items: (vscode.QuickPickItem & { status?: JobStatus })[] = [
      { label: t('All statuses'), picked: !current },
      ...JOB_STATUSES.map((st) => ({ label: st, status: st, description: st === current ? t('current') : undefined })),
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: t('Show jobs with status') });
    if (pick) s.tree.setFilter({ ...s.tree.filter, status: pick.status });
  },
  // A string argument ('' for any name) skips the input box.
  filterName: (s) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      const problem = validateName(arg.trim());
      if (problem) void vscode.window.showErrorMessage(t('Name filter "{0}": {1}', arg, problem));
      else s.tree.setFilter({ ...s.tree.filter, nameContains: arg.trim() || undefined });
      return;
    }
    const value = await vscode.window.showInputBox({
      prompt: t('Show jobs whose name contains (empty: any name)'),
      value: s.tree.filter.nameContains ?? '',
      validateInput: validateName,
    });
    if (value !== undefined) s.tree.setFilter({ ...s.tree.filter, nameContains: value.trim() || undefined });
  },
  filterTime: (s) => async () => {
    const items = [{ label: t('Any time'), hours: 0 }, ...TIME_WINDOWS.map((w) => ({ label: w.label(), hours: w.hours }))];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: t('Show jobs created in') });
    if (pick) s.tree.setFilter({ ...s.tree.filter, window: pick.hours ? { label: pick.label.toLowerCase(), hours: pick.hours } : undefined });
  },
  clearFilters: (s) => () => s.tree.setFilter({}),
};
