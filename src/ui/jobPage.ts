// "Show Job Page": the thin stub registered at activation. The page itself (a webview with the timeline, the cost and
// the CPU/memory/disk charts) lives in the lazy bundle src/ui/lazy/jobPage.ts → dist/lazy-jobPage.js, loaded on first use.
import type { CommandFactory } from './commands';
import type { JobArg } from './jobActions';
import { pickJob } from './jobActions';
import { t } from './l10n';

export const jobPageCommands: Record<string, CommandFactory> = {
  showJobPage: (ctx) => async (arg?: JobArg) => {
    const j = await pickJob(ctx, arg, t('Job to show'));
    if (!j) return;
    const page = await import('./lazy/jobPage');
    return page.showJobPage(ctx, j.job.name, j.local);
  },
};
