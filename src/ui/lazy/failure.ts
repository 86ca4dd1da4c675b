// "Why did it fail?" in the workbench (lazy: loaded when a run fails or a failure command runs). The failure summary
// of a cloud job (its description and CloudWatch logs) or a local run (its record and the container output this
// window saw), the block at the end of the job's channel, the failing frames as diagnostics in Problems, and the way
// back to the failing line: Open Failing Line, Re-run Locally, Debug Locally with a breakpoint there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobSummary } from '../../core/jobs';
import { DEFINITION_FILE } from '../../core/definition/types';
import { baseJobName, candidatesFor, mapWithCandidates, type MappingCandidate } from '../../core/failure/paths';
import { cloudJobSummary, summaryHeadline, summaryLines, type FailureSummary, type MappedFrame } from '../../core/failure/summary';
import { candidateOf, definitionCandidates, localFailureSummary } from '../../core/local/failureMappings';
import type { Ctx } from '../context';
import type { JobNode } from '../types';
import { t } from '../l10n';

const summaries = new Map<string, FailureSummary>();
const pending = new Map<string, Promise<FailureSummary | undefined>>();
/** The diagnostics of each job (by its base name: the next run of the same job clears them). */
const problems = new Map<string, { jobName: string; entries: [vscode.Uri, vscode.Diagnostic][] }>();
let collection: vscode.DiagnosticCollection | undefined;

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The jobs of every workspace folder's definition (open editor text first), as mapping candidates. */
function workspaceCandidates(): { folder: vscode.WorkspaceFolder; candidate: MappingCandidate }[] {
  const out: { folder: vscode.WorkspaceFolder; candidate: MappingCandidate }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const uri = vscode.Uri.joinPath(folder.uri, DEFINITION_FILE);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string | undefined = open?.getText();
    if (text === undefined) {
      try {
        text = fs.readFileSync(uri.fsPath, 'utf8');
      } catch {
        continue;
      }
    }
    for (const candidate of definitionCandidates(text, folder.uri.fsPath, process.env)) out.push({ folder, candidate });
  }
  return out;
}

function mapper(jobName: string, first: MappingCandidate[]): (file: string) => string | undefined {
  let all: MappingCandidate[] | undefined;
  return (file) => {
    const own = mapWithCandidates(file, first, isFile);
    if (own) return own.local;
    all ??= candidatesFor(jobName, workspaceCandidates().map((c) => c.candidate));
    return mapWithCandidates(file, all, isFile)?.local;
  };
}

async function compute(ctx: Ctx, job: JobSummary, local: boolean): Promise<FailureSummary | undefined> {
  if (local) {
    const input = ctx.localJobs.failureInput?.(job.name);
    const r = input?.record ?? { name: job.name, key: '', status: job.status, failureReason: job.failureReason, exitMessage: job.exitMessage, instanceCount: 1 };
    return localFailureSummary(r, { spec: input?.spec, logs: input?.logs }, isFile, mapper(job.name, []));
  }
  const d = await (await ctx.aws.sagemaker()).describeProcessingJob(job.name);
  return cloudJobSummary(await ctx.aws.logs(), d, mapper(job.name, []));
}

/** The failure summary of a Failed or Stopped job or local run (cached per job; undefined for any other status). */
export function summarize(ctx: Ctx, job: JobSummary, local: boolean): Promise<FailureSummary | undefined> {
  const done = summaries.get(job.name);
  if (done) return Promise.resolve(done);
  let p = pending.get(job.name);
  if (!p) {
    p = compute(ctx, job, local).then((s) => {
      if (s) summaries.set(job.name, s);
      return s;
    }).finally(() => pending.delete(job.name));
    pending.set(job.name, p);
  }
  return p;
}

/** The summary already known (no AWS call). */
export function known(jobName: string): FailureSummary | undefined {
  return summaries.get(jobName);
}

export function headline(s: FailureSummary): string {
  return summaryHeadline(s);
}

function rel(p: string): string {
  return vscode.workspace.asRelativePath(p);
}

function diagnosticsCollection(ctx: Ctx): vscode.DiagnosticCollection {
  if (!collection) {
    collection = vscode.languages.createDiagnosticCollection('sagemakerProcessing.failures');
    ctx.push(collection, { dispose: () => { collection = undefined; problems.clear(); summaries.clear(); } });
  }
  return collection;
}

function lineRange(f: MappedFrame): vscode.Range {
  const line = Math.max(0, (f.line ?? 1) - 1);
  return new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
}

function render(): void {
  if (!collection) return;
  const byUri = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
  for (const p of problems.values()) {
    for (const [uri, d] of p.entries) {
      const e = byUri.get(uri.toString()) ?? { uri, list: [] };
      e.list.push(d);
      byUri.set(uri.toString(), e);
    }
  }
  collection.clear();
  for (const e of byUri.values()) collection.set(e.uri, e.list);
}

/**
 * Shows a failure: the summary block at the end of the job's channel, and the failing frame (an error on the raising
 * line, the other workspace frames as related information) in Problems, replacing that job's earlier ones.
 */
export function report(ctx: Ctx, s: FailureSummary): void {
  ctx.logs.appendAtEnd?.(s.jobName, summaryLines(s, rel), s.local);
  if (s.status !== 'Failed') return;
  const entries: [vscode.Uri, vscode.Diagnostic][] = [];
  const failing = s.failing;
  if (failing?.local) {
    const d = new vscode.Diagnostic(lineRange(failing), s.exception ?? s.class.title, vscode.DiagnosticSeverity.Error);
    d.source = `SageMaker Processing: ${s.jobName}`; // the product's name, as in every language
    d.code = s.class.category;
    const others = s.frames.filter((f) => f.local && f !== failing);
    if (others.length) {
      d.relatedInformation = others.reverse().map((f) => new vscode.DiagnosticRelatedInformation(
        new vscode.Location(vscode.Uri.file(f.local!), lineRange(f)), f.name ? t('called from {0}', f.name) : t('called from here')));
    }
    entries.push([vscode.Uri.file(failing.local), d]);
  }
  diagnosticsCollection(ctx);
  problems.set(baseJobName(s.jobName), { jobName: s.jobName, entries });
  render();
}

/** A run of the same job completed: its failure problems go. */
export function clearFor(jobName: string): void {
  if (problems.delete(baseJobName(jobName))) render();
}

/** "Clear Failure Problems". */
export function clearAll(): void {
  problems.clear();
  render();
}

/** How many failure problems Problems shows (the in-host tests read it). */
export function problemCount(): number {
  let n = 0;
  for (const p of problems.values()) n += p.entries.length;
  return n;
}

type Arg = JobNode | { jobName: string; local?: boolean } | string | undefined;

function jobOfArg(ctx: Ctx, arg: Arg): { job: JobSummary; local: boolean } | undefined {
  if (typeof arg === 'string') return { job: { name: arg, arn: '', status: 'Failed', creationTime: new Date() }, local: !!ctx.localJobs.failureInput?.(arg) };
  if (arg && 'kind' in arg && arg.kind === 'job') return { job: arg.job, local: !!arg.local };
  if (arg && 'jobName' in arg) return { job: { name: arg.jobName, arn: '', status: 'Failed', creationTime: new Date() }, local: !!arg.local };
  // From the palette: the newest failure known in this window.
  const last = [...summaries.values()].filter((s) => s.failing?.local).pop();
  return last ? { job: { name: last.jobName, arn: '', status: 'Failed', creationTime: new Date() }, local: last.local } : undefined;
}

/** "Open Failing Line": the raising line's file in the workspace, at that line. */
export async function openFailingLine(ctx: Ctx, arg: Arg): Promise<void> {
  const j = jobOfArg(ctx, arg);
  if (!j) {
    void vscode.window.showInformationMessage(t('No failed run with a failing line in this workspace is known yet.'));
    return;
  }
  const s = await summarize(ctx, j.job, j.local);
  const f = s?.failing;
  if (!s || !f?.local) {
    void vscode.window.showInformationMessage(s?.unknowns.length
      ? t('The failing line of {0} is not known: {1}', j.job.name, s.unknowns.join(' '))
      : t('The failing line of {0} is not a file of this workspace.', j.job.name));
    return;
  }
  const range = lineRange(f);
  await vscode.window.showTextDocument(vscode.Uri.file(f.local), { selection: new vscode.Range(range.start, range.start), preview: false });
}

/** Where the job's definition is (folder's definition file and job key), for Re-run/Debug Locally; undefined: elsewhere. */
export function localTarget(ctx: Ctx, job: JobSummary, local: boolean): { uri: vscode.Uri; key: string } | undefined {
  if (local) {
    const r = ctx.localJobs.failureInput?.(job.name)?.record;
    return r?.key ? { uri: vscode.Uri.file(path.join(r.workspaceDir, DEFINITION_FILE)), key: r.key } : undefined;
  }
  const base = baseJobName(job.name).toLowerCase();
  const match = workspaceCandidates().find((c) => baseJobName(c.candidate.jobName).toLowerCase() === base);
  return match ? { uri: vscode.Uri.joinPath(match.folder.uri, DEFINITION_FILE), key: match.candidate.key } : undefined;
}

/** Re-run Locally / Debug Locally with a Breakpoint at the Failing Line, through the local run commands. */
export async function runFromFailure(ctx: Ctx, arg: Arg, debug: boolean): Promise<void> {
  const j = jobOfArg(ctx, arg);
  if (!j) return;
  const target = localTarget(ctx, j.job, j.local);
  if (!target) {
    // Not from this workspace's definition: the cloud job's own request (a local replay of one: that job's again).
    const cloudJob = j.local ? replays.get(j.job.name) : j.job.name;
    if (cloudJob) return replayFromRequest(ctx, cloudJob, j.job, j.local, debug);
    void vscode.window.showWarningMessage(t('{0} did not come from a job definition of this workspace, and the job it replayed is not known in this window, so it cannot be run locally from here.', j.job.name));
    return;
  }
  if (debug) await breakAtFailingLine(ctx, j.job, j.local);
  await vscode.commands.executeCommand(debug ? 'sagemakerProcessing.debugLocally' : 'sagemakerProcessing.runLocally', target.uri, target.key);
}

/** Debug at the Failing Line: a breakpoint on the raising line (`where` maps it elsewhere, e.g. to the downloaded code). */
async function breakAtFailingLine(ctx: Ctx, job: JobSummary, local: boolean, where?: (f: MappedFrame) => string | undefined): Promise<void> {
  const s = await summarize(ctx, job, local);
  const f = s?.failing;
  const file = f ? (where?.(f) ?? f.local) : undefined;
  if (f && file) {
    const at = new vscode.Location(vscode.Uri.file(file), lineRange(f).start);
    const exists = vscode.debug.breakpoints.some((b) => b instanceof vscode.SourceBreakpoint && b.location.uri.fsPath === at.uri.fsPath && b.location.range.start.line === at.range.start.line);
    if (!exists) vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(at)]);
  } else {
    void vscode.window.showInformationMessage(t('The failing line of {0} is not known, so no breakpoint was set; debugging it anyway.', job.name));
  }
}

/** Local runs made from a cloud job's own request, by their name → that job (for their own Re-run/Debug Locally). */
const replays = new Map<string, string>();
/** Workspace files looked up by relative path (not in these folders). */
const NOT_CODE = '{**/node_modules/**,**/.sagemaker-local/**,**/.git/**}';

/**
 * Re-run Locally / Debug at the Failing Line for a job that did not come from this workspace's definition (the SDK,
 * the console, another person): its own request — image, entrypoint, arguments, environment, S3 inputs, outputs —
 * with its code taken from the workspace when the same files are there, else downloaded into
 * `.sagemaker-local/<job>-code/`. What cannot be reproduced locally is written to the run's channel and said.
 */
async function replayFromRequest(ctx: Ctx, cloudJob: string, failed: JobSummary, failedLocal: boolean, debug: boolean): Promise<void> {
  if (!ctx.requireTrust(t('Running a job locally is disabled in an untrusted workspace.'))) return;
  const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showErrorMessage(t('Open a folder first: the local run of {0} writes its code and outputs under it.', cloudJob));
    return;
  }
  try {
    const { replayJob } = await import('../../local/replayJob');
    const { rerunJobName } = await import('../../core/jobToDefinition');
    const d = await (await ctx.aws.sagemaker()).describeProcessingJob(cloudJob);
    const localName = rerunJobName(cloudJob, new Date());
    const ws = folder.uri.fsPath;
    // Files of the workspace by relative path (the code objects' paths), the first few matches.
    const byRelative = new Map<string, string[]>();
    const inputs = (d.ProcessingInputs ?? []).filter((i) => i.S3Input?.S3Uri);
    for (const i of inputs) {
      const parsed = /^s3:\/\/[^/]+\/(.*)$/.exec(i.S3Input!.S3Uri!);
      const base = parsed?.[1].split('/').pop();
      if (base && /\.\w+$/.test(base) && !byRelative.has(base)) byRelative.set(base, (await vscode.workspace.findFiles(`**/${base}`, NOT_CODE, 5)).map((u) => u.fsPath));
    }
    const entryFiles = [...(d.AppSpecification?.ContainerEntrypoint ?? []), ...(d.AppSpecification?.ContainerArguments ?? [])].map((a) => a.split('/').pop() ?? '').filter((b) => /\.(py|sh|R|jar)$/.test(b));
    for (const b of entryFiles) if (!byRelative.has(b)) byRelative.set(b, (await vscode.workspace.findFiles(`**/${b}`, NOT_CODE, 5)).map((u) => u.fsPath));
    const codeRoot = path.join(ws, '.sagemaker-local', `${baseJobName(cloudJob)}-code`);
    const r = await replayJob(d, {
      s3: await ctx.aws.s3(),
      localName,
      mapPath: mapper(cloudJob, []),
      locate: (rel, size) => {
        const direct = path.join(ws, ...rel.split('/'));
        if (isFile(direct) && fs.statSync(direct).size === size) return direct;
        return (byRelative.get(rel) ?? []).find((p) => fs.statSync(p).size === size);
      },
      codeDir: (input) => path.join(codeRoot, input),
    });
    replays.set(localName, cloudJob);
    const prepared = { jobKey: '', workspaceDir: ws, resolved: { spec: r.spec, allowNetwork: r.allowNetwork, roleArn: r.roleArn, localOnlyOutputs: r.localOnlyOutputs, localPaths: [] } };
    if (debug) {
      // The failing frame of the job (or of its failed replay) in the code this run uses.
      const codeAt = r.code.find((c) => c.input === 'code') ?? r.code[0];
      const dest = codeAt ? r.spec.inputs.find((i) => i.name === codeAt.input)?.destination : undefined;
      await breakAtFailingLine(ctx, failed, failedLocal, (f) => {
        if (!codeAt || !dest || !f.file.startsWith(dest + '/')) return undefined;
        const rel = f.file.slice(dest.length + 1).split('/');
        const p = codeAt.path.endsWith('.py') && !isFile(path.join(codeAt.path, ...rel)) ? path.join(path.dirname(codeAt.path), ...rel) : path.join(codeAt.path, ...rel);
        return isFile(p) ? p : undefined;
      });
    }
    await vscode.commands.executeCommand(debug ? 'sagemakerProcessing.debugLocally' : 'sagemakerProcessing.runLocally', { prepared });
    ctx.logs.appendLines(localName, [
      `[local] ${t('Built from the request of {0} (it did not come from this workspace\'s job definition). Not reproduced locally:', cloudJob)}`,
      ...r.notes.map((n) => `[local]   - ${n}`),
    ]);
    const more = t('Show Notes');
    void vscode.window.showInformationMessage(t('{0} runs locally from the request of {1}; {2} things differ from the cloud run (written in its channel).', localName, cloudJob, r.notes.length), more).then((c) => {
      if (c === more) void vscode.commands.executeCommand('sagemakerProcessing.showLogs', { job: { name: localName }, local: true });
    });
  } catch (err) {
    void vscode.window.showErrorMessage(t('Cannot run {0} locally from its request: {1}', cloudJob, err instanceof Error ? err.message : String(err)));
  }
}

/** `File "/opt/ml/processing/input/code/x.py", line 6` (a Python frame), and the summary's `→  x.py:6`. */
const FRAME = /File "([^"\n]+)", line (\d+)/g;
const ARROW = /→ {2}(\S(?:.*\S)?):(\d+)\s*$/;
/** At most this many lines of a channel are scanned (its end: a traceback is there). */
const LINK_LINES = 20_000;

/** The job of a channel's document (`output:extension-output-<ext>-#<n>-SageMaker: <job>`), if it is one of ours. */
export function channelJob(uri: vscode.Uri): string | undefined {
  const m = /SageMaker: ([A-Za-z0-9][A-Za-z0-9-]*)$/.exec(decodeURIComponent(uri.path));
  return m?.[1];
}

function workspaceFile(relative: string): string | undefined {
  if (path.isAbsolute(relative)) return isFile(relative) ? relative : undefined;
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const parts = relative.split('/');
    // asRelativePath prefixes the folder's name in a multi-root workspace.
    for (const p of [path.join(f.uri.fsPath, ...parts), ...(parts[0] === f.name ? [path.join(f.uri.fsPath, ...parts.slice(1))] : [])]) {
      if (isFile(p)) return p;
    }
  }
  return undefined;
}

function fileLink(range: vscode.Range, file: string, line: number): vscode.DocumentLink {
  const link = new vscode.DocumentLink(range, vscode.Uri.file(file).with({ fragment: `L${line}` }));
  link.tooltip = t('Open {0} at line {1}', vscode.workspace.asRelativePath(file), line);
  return link;
}

/**
 * The links of a job's log channel: each Python frame whose container path maps to a workspace file (the run's own
 * spec first, then the workspace's definitions — the summary's mapping) and each `→  file:line` of the summary block
 * opens that file at that line.
 */
export function outputLinks(ctx: Ctx, doc: vscode.TextDocument): vscode.DocumentLink[] {
  const job = channelJob(doc.uri);
  if (!job) return [];
  const input = ctx.localJobs.failureInput?.(job);
  const map = mapper(job, input?.spec ? [candidateOf(input.record.key, input.spec)] : []);
  const seen = new Map<string, string | undefined>();
  const links: vscode.DocumentLink[] = [];
  for (let i = Math.max(0, doc.lineCount - LINK_LINES); i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    for (const m of text.matchAll(FRAME)) {
      if (!seen.has(m[1])) seen.set(m[1], map(m[1]));
      const local = seen.get(m[1]);
      if (local) links.push(fileLink(new vscode.Range(i, m.index! + 6, i, m.index! + 6 + m[1].length), local, Number(m[2])));
    }
    const a = ARROW.exec(text);
    if (a) {
      const local = workspaceFile(a[1]);
      const start = a.index + 3;
      if (local) links.push(fileLink(new vscode.Range(i, start, i, start + a[1].length + 1 + a[2].length), local, Number(a[2])));
    }
  }
  return links;
}
