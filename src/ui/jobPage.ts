// "Show Job Page": the thin stub registered at activation. The page itself (a webview with the timeline, the cost and
// the CPU/memory/disk charts) lives in the lazy bundle src/ui/lazy/jobPage.ts → dist/lazy-jobPage.js, loaded on first use.
// It is handed the activation bundle's services (the failure summaries, the job monitor's changes, the local runs'
// samples) so it shares them instead of keeping copies of its own.
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import type { JobArg } from './jobActions';
import type { JobMonitor } from './jobMonitor';
import { pickJob } from './jobActions';
import { failureFor } from './failures';
import { t } from './l10n';

export const jobPageCommands: Record<string, CommandFactory> = {
  showJobPage: (ctx) => async (arg?: JobArg) => {
    const j = await pickJob(ctx, arg, t('Job to show'));
    if (!j) return;
    const page = await import('./lazy/jobPage');
    return page.showJobPage(ctx, j.job.name, j.local, pageDeps(ctx));
  },
};

function pageDeps(ctx: Ctx) {
  const monitor = ctx.monitor as Partial<JobMonitor>;
  return {
    failure: async (job: Parameters<typeof failureFor>[1], local: boolean) => (await failureFor(ctx, job, local, 8000, false))?.summary,
    changes: monitor.onDidChangeJobs,
    pollSoon: () => {
      monitor.scheduler?.setActive(true);
      void monitor.scheduler?.pollNow();
    },
    localMetrics: (name: string) => ctx.localJobs.metrics?.(name),
  };
}
