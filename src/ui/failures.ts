// The activation side of "Why did it fail?": thin stubs that load the lazy bundle (src/ui/lazy/failure.ts) when a run
// failed or a failure command runs. Nothing here reads logs or parses tracebacks.
import * as vscode from 'vscode';
import type { JobSummary } from '../core/jobs';
import type { FailureSummary } from '../core/failure/summary';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import type { JobNode } from './types';

type Lazy = typeof import('./lazy/failure');
let loaded: Promise<Lazy> | undefined;

/** The lazy bundle (loaded once). */
export function failureModule(): Promise<Lazy> {
  return (loaded ??= import('./lazy/failure'));
}

const headlines = new Map<string, string>();

/**
 * The failure summary of an ended job, shown in its channel and in Problems (unless `show` is false); undefined after
 * `ms` or on an error.
 */
export async function failureFor(ctx: Ctx, job: JobSummary, local: boolean, ms = 5000, show = true): Promise<{ summary: FailureSummary; headline: string } | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const m = await failureModule();
    const s = await Promise.race([m.summarize(ctx, job, local), new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
    if (!s) return undefined;
    if (show) m.report(ctx, s);
    const headline = m.headline(s);
    headlines.set(job.name, headline);
    if (headlines.size > 200) headlines.delete(headlines.keys().next().value!);
    return { summary: s, headline };
  } catch (err) {
    ctx.log.warn(`${job.name}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** A run of a job completed: the failure problems of its earlier runs go (only when the bundle was ever loaded). */
export function jobCompleted(jobName: string): void {
  if (loaded) void loaded.then((m) => m.clearFor(jobName));
}

/** The headline of a failure already summarized in this window (no loading, no AWS call). */
export function knownHeadline(jobName: string): string | undefined {
  return headlines.get(jobName);
}

/**
 * Clickable frames in the jobs' log channels (the output panel's documents, scheme `output`): a thin provider that
 * loads the bundle only for one of our channels showing a Python frame or the summary's `→  file:line`.
 */
export function registerFailureLinks(ctx: Ctx): void {
  ctx.push(vscode.languages.registerDocumentLinkProvider({ scheme: 'output' }, {
    provideDocumentLinks: async (doc) => {
      if (!decodeURIComponent(doc.uri.path).includes('SageMaker: ')) return [];
      if (!/File "\/|→ {2}/.test(doc.getText())) return [];
      return (await failureModule()).outputLinks(ctx, doc);
    },
  }));
}

type Arg = JobNode | { jobName: string; local?: boolean } | string | undefined;

export const failureCommands: Record<string, CommandFactory> = {
  openFailingLine: (ctx: Ctx) => async (arg?: Arg) => (await failureModule()).openFailingLine(ctx, arg),
  clearFailureProblems: () => async () => (await failureModule()).clearAll(),
  // Through Run/Debug Locally in Docker (which refuse in an untrusted workspace).
  rerunLocallyFromFailure: (ctx: Ctx) => async (arg?: Arg) => (await failureModule()).runFromFailure(ctx, arg, false),
  debugFailingLine: (ctx: Ctx) => async (arg?: Arg) => (await failureModule()).runFromFailure(ctx, arg, true),
};
