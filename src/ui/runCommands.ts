// The commands on a definition's job: Run as Processing Job, Show Request, Create/Edit Job Definition, Copy as Python
// SDK code / AWS CLI input JSON. Each goes through the run pipeline (runPipeline.ts).
import * as vscode from 'vscode';
import { toCliInputJson } from '../core/definition/export';
import { parseJsonc } from '../core/definition/parse';
import { jobsForScript } from '../core/definition/resolve';
import { mergeDefaults } from '../core/definition/validate';
import type { DefinitionFile } from '../core/definition/types';
import type { PreparedJob } from '../core/submit';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import { pipelineNameFor, stepNameFor } from '../core/schedule/pipeline';
import { folderFor, readDefinitionText } from './definitionFiles';
import { t } from './l10n';
import { offerCreate, openDefinitionAt, prepareRun, runTarget, submitRun } from './runPipeline';
import { showReadOnlyJson } from './readonlyDocs';

async function withPrepared(ctx: Ctx, uri: unknown, key: unknown, f: (p: PreparedJob) => Promise<void>): Promise<void> {
  const target = runTarget(uri, key);
  if (!target) return;
  const p = await prepareRun(ctx, target);
  if (p) await f(p);
}

/** Run as Processing Job, Show request, Create/Edit definition, Copy as Python SDK code / AWS CLI input JSON. */
export const runCommands: Record<string, CommandFactory> = {
  runJob: (ctx) => async (uri?: unknown, key?: unknown) => {
    if (!ctx.requireTrust(t('Running a processing job is disabled in an untrusted workspace.'))) return undefined;
    const target = runTarget(uri, key);
    return target ? submitRun(ctx, target) : undefined;
  },
  // Show Request and Copy as… resolve the workspace's definition (its variables, its build block, an STS call): the
  // same trust as running it. A read-only JSON document named after the job (not an untitled one asking to be saved).
  showRequest: (ctx) => async (uri?: unknown, key?: unknown) => {
    if (!ctx.requireTrust(t('Showing the request of a job definition is disabled in an untrusted workspace.'))) return;
    await withPrepared(ctx, uri, key, async (p) => {
      await showReadOnlyJson((d) => ctx.push(d), 'CreateProcessingJob', `${p.job.key}.json`, toCliInputJson(p.request));
    });
  },
  createDefinition: (ctx) => async (uri?: unknown) => {
    if (!ctx.requireTrust(t('Creating a job definition is disabled in an untrusted workspace.'))) return;
    await (await import('./lazy/wizard')).createDefinition(uri);
  },
  editDefinition: () => async (uri?: unknown, key?: unknown) => {
    const target = runTarget(uri, key);
    if (!target) return;
    const text = readDefinitionText(target.folder);
    if (text === undefined) return offerCreate(target);
    let k = target.key;
    if (!k && target.scriptPath) {
      const def = parseJsonc(text).value as DefinitionFile | undefined;
      if (def?.jobs && typeof def.jobs === 'object') k = jobsForScript(def, target.scriptPath, target.folder.uri.fsPath)[0];
    }
    await openDefinitionAt(target.folder, undefined, k);
  },
  copyAsPython: (ctx) => async (uri?: unknown, key?: unknown) => {
    if (!ctx.requireTrust(t('Copying a job definition as code is disabled in an untrusted workspace.'))) return;
    await withPrepared(ctx, uri, key, async (p) => {
      const raw = mergeDefaults(p.definition.defaults, p.definition.jobs[p.job.key]);
      // A scheduled job: the same processor as a pipeline step, with its schedule (what "Schedule Job…" creates).
      const sched = p.definition.jobs[p.job.key]?.schedule;
      const workspaceFolder = folderFor(vscode.Uri.file(p.job.scriptPath))?.uri.fsPath;
      const { toPipelinePython, toPythonSdk } = await import('./lazy/exportCode');
      const code = sched ? toPipelinePython(p.job, { pipelineName: pipelineNameFor(p.job.key, sched), stepName: stepNameFor(p.job.key), schedule: sched, workspaceFolder }) : toPythonSdk(p.job, raw.baseJobName, { workspaceFolder, jobName: raw.jobName });
      await vscode.env.clipboard.writeText(code);
      void vscode.window.showInformationMessage(t('Copied "{0}" as SageMaker Python SDK code.', p.job.key));
    });
  },
  copyAsCliJson: (ctx) => async (uri?: unknown, key?: unknown) => {
    if (!ctx.requireTrust(t('Copying a job definition as AWS CLI input is disabled in an untrusted workspace.'))) return;
    await withPrepared(ctx, uri, key, async (p) => {
      await vscode.env.clipboard.writeText(toCliInputJson(p.request));
      void vscode.window.showInformationMessage(t('Copied "{0}" as input for aws sagemaker create-processing-job --cli-input-json.', p.job.key));
    });
  },
};
