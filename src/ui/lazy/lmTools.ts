// The language-model tools' bodies, loaded at their first use (dist/lazy-lmTools.js): the tools of src/core/tools
// over the extension's AWS clients and settings, and the confirmations of the tools that write (run_job, stop_job:
// they say exactly what will be sent). Read-only tools run without a prompt.
import * as vscode from 'vscode';
import { createToolContext } from '../../agentTools';
import { invokeTool, runInput, type ToolContext } from '../../core/tools/tools';
import { toolSpec } from '../../core/tools/specs';
import type { Ctx } from '../context';
import { setting } from '../settings';
import { t } from '../l10n';

type Input = Record<string, unknown>;

function toolContext(ctx: Ctx): ToolContext {
  return createToolContext(ctx.aws, {
    folders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    allowWrites: vscode.workspace.isTrusted,
    role: setting<string>('defaultRoleArn', '') || undefined,
    bucket: setting<string>('defaultBucket', '') || undefined,
    allowOutsideWorkspace: setting<boolean>('allowPathsOutsideWorkspace', false),
    log: (l) => ctx.log.info(l),
  });
}

function signalOf(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}

/** What the chat shows before a tool runs: for the tools that write, a confirmation naming everything sent. */
export async function prepareInvocation(ctx: Ctx, name: string, o: vscode.LanguageModelToolInvocationPrepareOptions<Input>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
  const spec = toolSpec(name);
  if (!spec?.writes) return { invocationMessage: t('Using the SageMaker Processing tool {0}', name) };
  // Nothing to confirm: invoke refuses (below) without sending anything.
  if (!vscode.workspace.isTrusted) return { invocationMessage: untrustedRefusal(name) };
  const input = o.input ?? {};
  if (name === 'stop_job') {
    const job = String(input.jobName ?? '');
    return {
      invocationMessage: t('Stopping processing job {0}', job),
      confirmationMessages: { title: t('Stop processing job {0}?', job), message: new vscode.MarkdownString(t('StopProcessingJob will be sent for **{0}** in {1}. The job ends as Stopped; what it has not written yet is lost.', job, ctx.aws.current.region ?? t('the default region'))) },
    };
  }
  const run = runInput(input);
  const lines: string[] = [];
  try {
    const plan = await toolContext(ctx).runner!.plan(run, signalOf(token));
    lines.push(
      plan.local ? t('Local run in Docker of job "{0}" ({1}) as {2}', plan.jobKey, plan.definitionFile, plan.jobName) : t('CreateProcessingJob for job "{0}" ({1}) as {2}', plan.jobKey, plan.definitionFile, plan.jobName),
      t('Image: {0}', plan.image) + (plan.builds ? ` ${t('(built first)')}` : ''),
      t('Instances: {0} × {1}', plan.instanceType, plan.instanceCount),
      t('Inputs: {0}', plan.inputs.map((x) => `${x.name} ← ${x.source}`).join(', ') || '—'),
      t('Arguments: {0}', plan.arguments.join(' ') || '—'),
    );
    if (!plan.local) lines.push(t('The code and local inputs are uploaded to S3 first. This job is billed by SageMaker.'));
  } catch (err) {
    lines.push(t('Job "{0}" cannot be prepared: {1}', run.job, (err as Error)?.message ?? String(err)));
  }
  if (run.wait) lines.push(t('The tool waits until the job ends.'));
  // One paragraph a line, not a list: the workbench's dialog (invokeTool outside a chat) renders the message as plain
  // text, and its plain-text renderer keeps a list item's backslash escapes.
  const md = new vscode.MarkdownString(lines.map((l) => l.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1')).join('\n\n'));
  return {
    invocationMessage: run.local ? t('Running job "{0}" locally', run.job) : t('Running job "{0}" in SageMaker', run.job),
    confirmationMessages: { title: run.local ? t('Run job "{0}" locally in Docker?', run.job) : t('Run job "{0}" in SageMaker?', run.job), message: md },
  };
}

/** Why a tool that runs, uploads or writes does nothing in an untrusted workspace. */
function untrustedRefusal(name: string): string {
  return t('{0} is disabled in an untrusted workspace: it would run, upload or change something. Nothing was sent. Trust the folder to use it.', name);
}

export async function invoke(ctx: Ctx, name: string, o: vscode.LanguageModelToolInvocationOptions<Input>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
  if (toolSpec(name)?.writes && !vscode.workspace.isTrusted) throw new Error(untrustedRefusal(name));
  ctx.markUsed(t('A language-model tool ({0}) was used.', name));
  const r = await invokeTool(name, o.input ?? {}, toolContext(ctx), signalOf(token));
  if (r.isError) throw new Error(r.text);
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.text)]);
}
