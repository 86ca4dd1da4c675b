// Compare Runs (lazy bundle; src/ui/compare.ts registers its commands): two jobs selected in the explorer, a job and the current definition, or a failed job and the last
// run of the same job that worked — a diff editor of their requests as normalised JSON (src/core/compare.ts).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { explainAwsError } from '../../aws/errors';
import { codeObjectUris, comparisonText, definitionJobsFor, jobScriptText, lastSuccessfulRun, scriptCodeObject, type CompareExtras } from '../../core/compare';
import { parseJsonc } from '../../core/definition/parse';
import { baseJobName } from '../../core/jobToDefinition';
import { parseS3Uri } from '../../core/s3uri';
import { DEFINITION_FILE, type DefinitionFile } from '../../core/definition/types';
import type { ProcessingJobDescriptionLike } from '../../core/jobDetails';
import type { JobSummary } from '../../core/jobs';
import type { CommandFactory } from '../commands';
import type { Ctx } from '../context';
import type { JobNode } from '../jobsTree';
import { folderFor, readDefinitionText } from '../definitionFiles';
import { readOnlyDocuments } from '../readonlyDocs';
import { t } from '../l10n';
import { prepareRun } from '../runPipeline';
import { costShown, lookupPrice } from '../costs';
import { runCostFacts, runNumbers } from '../../core/jobPage/cost';
import type { MetricSeries } from '../../core/jobPage/model';

type JobArg = JobNode | JobSummary | string | undefined;

function jobName(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const a = arg as { kind?: string; job?: JobSummary; local?: boolean; name?: string };
    if (a.kind === 'job' && a.job && !a.local) return a.job.name;
    if (!a.kind && typeof a.name === 'string') return a.name;
  }
  return undefined;
}

function summaryOf(ctx: Ctx, name: string): JobSummary | undefined {
  return ctx.tree.shownJobs.find((j) => j.name === name);
}

/** ETags of a request's code objects (HeadObject; a missing object or a failed call leaves the ETag out). */
async function codeETags(ctx: Ctx, r: ProcessingJobDescriptionLike): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const uris = codeObjectUris(r);
  if (!uris.length) return out;
  const s3 = await ctx.aws.s3();
  await Promise.all(uris.map(async (uri) => {
    const loc = parseS3Uri(uri);
    if (!loc) return;
    try {
      const head = await s3.headObject(loc.bucket, loc.key);
      if (head?.etag) out[uri] = head.etag.replace(/"/g, '');
    } catch (err) {
      ctx.log.warn(t('Compare: no ETag for {0}: {1}', uri, explainAwsError(err)));
    }
  }));
  return out;
}

/** One side of a comparison: its title, normalised request text and, when it is one text file, its script. */
interface Side {
  title: string;
  text: string;
  code?: { fileName: string; text: string };
}

/** The script a job ran, read from its code object in S3 (undefined when it is an archive, gone or unreadable). */
async function jobCode(ctx: Ctx, desc: ProcessingJobDescriptionLike): Promise<Side['code']> {
  try {
    return await jobScriptText(await ctx.aws.s3(), desc);
  } catch (err) {
    ctx.log.warn(t('Compare: cannot read the code of {0}: {1}', desc.ProcessingJobName ?? '?', explainAwsError(err)));
    return undefined;
  }
}

/** A run's numbers beside its request: duration, cost, peak CPU and memory (CloudWatch, as the job page reads them). */
async function runSide(ctx: Ctx, desc: ProcessingJobDescriptionLike): Promise<Record<string, string>> {
  const showCost = costShown();
  const type = desc.ProcessingResources?.ClusterConfig?.InstanceType;
  const [metrics, price] = await Promise.all([
    (async (): Promise<{ series?: MetricSeries[]; error?: string }> => {
      if (!desc.ProcessingStartTime || !desc.ProcessingJobName) return { series: [] };
      const start = new Date(new Date(desc.ProcessingStartTime).getTime() - 60_000);
      const end = new Date((desc.ProcessingEndTime ? new Date(desc.ProcessingEndTime).getTime() : Date.now()) + 120_000);
      try {
        const cw = await ctx.aws.cloudwatch();
        return { series: await cw.jobMetrics(desc.ProcessingJobName, desc.ProcessingResources?.ClusterConfig?.InstanceCount ?? 1, start, end, Date.now() - start.getTime() < 3 * 3600_000 ? 1 : 60) };
      } catch (err) {
        const why = explainAwsError(err);
        ctx.log.warn(t('Compare: could not read the instance metrics of {0}: {1}', desc.ProcessingJobName, why));
        return { error: t('Could not read the instance metrics: {0}', why) };
      }
    })(),
    showCost && runCostFacts(desc) ? lookupPrice(ctx, type) : Promise.resolve(undefined),
  ]);
  return runNumbers(desc, { metrics: metrics.series, metricsError: metrics.error, price, showCost, now: Date.now() });
}

async function jobSide(ctx: Ctx, name: string): Promise<Side> {
  const desc = await ctx.tree.describe(name);
  const [etags, code, run] = await Promise.all([codeETags(ctx, desc), jobCode(ctx, desc), runSide(ctx, desc)]);
  return { title: name, text: comparisonText(desc, { etags, run }), code };
}

/**
 * Opens the diff editor of two sides (left: older / reference, right: the one in question) and, when both scripts are
 * at hand and differ, a second one of the code itself (the request only shows the code object's ETag changing).
 */
export async function showComparison(ctx: Ctx, left: Side, right: Side): Promise<void> {
  const docs = readOnlyDocuments((d) => ctx.push(d));
  const l = docs.set('compare', `${left.title}.json`, left.text);
  const r = docs.set('compare', `${right.title}.json`, right.text);
  const title = `${left.title} ↔ ${right.title}`;
  await vscode.commands.executeCommand('vscode.diff', l, r, title, { preview: false });
  if (left.code && right.code && left.code.text !== right.code.text) {
    const lc = docs.set('compare-code', `${left.title}/${left.code.fileName}`, left.code.text);
    const rc = docs.set('compare-code', `${right.title}/${right.code.fileName}`, right.code.text);
    await vscode.commands.executeCommand('vscode.diff', lc, rc, t('Code: {0} ↔ {1}', left.title, right.title), { preview: false });
  }
  ctx.log.info(t('Compared {0} with {1}', left.title, right.title));
}

/** Says a failed comparison: `say` makes the whole sentence from the cause. */
function fail(ctx: Ctx, err: unknown, say: (cause: string) => string): void {
  const text = say(explainAwsError(err));
  ctx.log.error(text);
  void vscode.window.showErrorMessage(text);
}

/** The current definition's request for a definition job, as the run command would build it (no upload, no build). */
async function definitionSide(ctx: Ctx, key: string): Promise<Side | undefined> {
  const folder = folderFor(undefined);
  if (!folder) return undefined;
  // The run pipeline's prepare step, as Show Request uses it (no upload, no build).
  const prepared = await prepareRun(ctx, { folder, key });
  if (!prepared) return undefined;
  // What the code objects would be: a single-part upload's ETag is the MD5 of its bytes.
  const etags: CompareExtras['etags'] = {};
  const script = scriptCodeObject(prepared.request);
  let code: Side['code'];
  for (const u of prepared.uploads) {
    const uri = `s3://${u.bucket}/${u.key}`;
    if (!codeObjectUris(prepared.request).includes(uri)) continue;
    const body = 'file' in u.body ? fs.readFileSync(u.body.file) : 'content' in u.body ? Buffer.from(u.body.content) : undefined;
    if (body) etags[uri] = crypto.createHash('md5').update(body).digest('hex');
    // The local script, as it would be uploaded (the other side's is read from S3).
    if (body && script?.uri === uri && body.length <= 1_000_000 && !body.includes(0)) code = { fileName: script.fileName, text: body.toString('utf8') };
  }
  return { title: t('{0} (definition)', key), text: comparisonText(prepared.request, { etags }), code };
}

async function compareWithDefinition(ctx: Ctx, name: string, keyArg?: string): Promise<void> {
  const folder = folderFor(undefined);
  const text = folder ? readDefinitionText(folder) : undefined;
  if (!folder || text === undefined) {
    void vscode.window.showInformationMessage(t('There is no {0} to compare {1} with.', DEFINITION_FILE, name));
    return;
  }
  let key = keyArg;
  if (!key) {
    const def = parseJsonc(text).value as DefinitionFile | undefined;
    const { keys, exact } = definitionJobsFor(name, def?.jobs ?? {}, def?.defaults);
    if (!keys.length) {
      void vscode.window.showInformationMessage(t('{0} defines no jobs to compare {1} with.', DEFINITION_FILE, name));
      return;
    }
    key = keys.length === 1 && exact ? keys[0]
      : (await vscode.window.showQuickPick(keys, { placeHolder: t('Definition job to compare {0} with', name) }));
    if (!key) return;
  }
  const [left, right] = await Promise.all([jobSide(ctx, name), definitionSide(ctx, key)]);
  if (right) await showComparison(ctx, left, right);
}

/** Other jobs to compare with: shown jobs, plus the current definition. */
async function pickOther(ctx: Ctx, name: string): Promise<{ job?: string; definition?: true } | undefined> {
  const items: (vscode.QuickPickItem & { job?: string; definition?: true })[] = [
    { label: `$(file-code) ${t('Current job definition')}`, description: DEFINITION_FILE, definition: true },
    ...ctx.tree.shownJobs.filter((j) => j.name !== name).map((j) => ({ label: j.name, description: j.status, job: j.name })),
  ];
  return vscode.window.showQuickPick(items, { placeHolder: t('Compare {0} with', name) });
}

/** The jobs of the same base name (the shown ones, and one ListProcessingJobs page filtered by that name). */
async function sameBaseJobs(ctx: Ctx, name: string): Promise<JobSummary[]> {
  const base = baseJobName(name);
  const byName = new Map(ctx.tree.shownJobs.map((j) => [j.name, j]));
  try {
    const sm = await ctx.aws.sagemaker();
    const page = await sm.listProcessingJobs({ nameContains: base.slice(0, 63) });
    for (const j of page.jobs) if (!byName.has(j.name)) byName.set(j.name, j);
  } catch (err) {
    ctx.log.warn(t('Compare: could not list the jobs named like {0}: {1}', base, explainAwsError(err)));
  }
  return [...byName.values()];
}

export const compareCommands: Record<string, CommandFactory> = {
  // From the explorer: (clicked node, selected nodes); two selected jobs compare at once, else pick the other side.
  compareJobs: (ctx) => async (arg?: JobArg, selected?: unknown, other?: unknown) => {
    const picked = Array.isArray(selected) ? selected.map(jobName).filter((n): n is string => !!n) : [];
    const names = [...new Set(picked.length ? picked : [jobName(arg)].filter((n): n is string => !!n))];
    if (typeof other === 'string') names.push(other);
    if (names.length > 2) {
      void vscode.window.showWarningMessage(t('Select two processing jobs to compare (or one, to compare it with another job or the job definition).'));
      return;
    }
    try {
      if (names.length === 0) {
        const first = await vscode.window.showQuickPick(ctx.tree.shownJobs.map((j) => ({ label: j.name, description: j.status })), { placeHolder: t('Job to compare') });
        if (!first) return;
        names.push(first.label);
      }
      if (names.length === 1) {
        const pick = await pickOther(ctx, names[0]);
        if (!pick) return;
        if (pick.definition) return compareWithDefinition(ctx, names[0]);
        names.push(pick.job!);
      }
      // Older on the left, so the diff reads as "what changed since".
      const [a, b] = names.map((n) => ({ n, t: summaryOf(ctx, n)?.creationTime.getTime() ?? 0 })).sort((x, y) => x.t - y.t).map((x) => x.n);
      const [left, right] = await Promise.all([jobSide(ctx, a), jobSide(ctx, b)]);
      await showComparison(ctx, left, right);
    } catch (err) {
      fail(ctx, err, (cause) => (names.length === 2 ? t('Could not compare {0} and {1}: {2}', names[0], names[1], cause) : t('Could not compare {0}: {1}', names.join(', '), cause)));
    }
  },

  compareWithDefinition: (ctx) => async (arg?: JobArg, key?: unknown) => {
    const name = jobName(arg);
    if (!name) return;
    try {
      await compareWithDefinition(ctx, name, typeof key === 'string' ? key : undefined);
    } catch (err) {
      fail(ctx, err, (cause) => t('Could not compare {0} with the job definition: {1}', name, cause));
    }
  },

  compareWithLastSuccessful: (ctx) => async (arg?: JobArg) => {
    const name = jobName(arg);
    if (!name) return;
    try {
      const jobs = await sameBaseJobs(ctx, name);
      const self = jobs.find((j) => j.name === name) ?? { name, creationTime: (await ctx.tree.describe(name)).CreationTime ?? new Date() };
      const good = lastSuccessfulRun(self, jobs);
      if (!good) {
        void vscode.window.showInformationMessage(t('No completed run of {0} before {1} to compare with.', baseJobName(name), name));
        return;
      }
      const [left, right] = await Promise.all([jobSide(ctx, good.name), jobSide(ctx, name)]);
      await showComparison(ctx, left, right);
    } catch (err) {
      fail(ctx, err, (cause) => t('Could not compare {0} with its last successful run: {1}', name, cause));
    }
  },
};
