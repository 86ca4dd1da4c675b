// "Schedules" in the explorer, "Schedule Job…" and the schedule actions (Run Now, Pause/Resume, Delete, Show Runs).
// The node appears only in a workspace whose definition schedules a job, or once this extension has scheduled one;
// it loads (ListSchedules) only when expanded — never on its own.
import * as vscode from 'vscode';
import { awsSchedulePorts } from '../aws/schedulePorts';
import { explainAwsError } from '../aws/errors';
import { summaryFromDescription } from '../core/jobDetails';
import type { JobSummary } from '../core/jobs';
import { parseJsonc } from '../core/definition/parse';
import { DEFINITION_FILE, DefinitionError, type DefinitionFile } from '../core/definition/types';
import { SCHEDULE_GROUP } from '../core/schedule/pipeline';
import { deleteSchedule, listManagedSchedules, nextRunOf, runNow, scheduleJob, setScheduleState, type PipelineExecution, type ScheduleInfo } from '../core/schedule/service';
import { Cancelled } from '../core/submit';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import type { SchedNode, SchedulesTreeSection, SectionChild } from './types';
import { definitionUri, folderFor, readDefinitionText } from './definitionFiles';
import { imageForRun } from './buildTask';
import { addScheduleEdits, checkTimeOfDay, dailySchedule, machineTimeZone, parseTimeOfDay } from '../core/schedule/addSchedule';
import { sdkSetting, setting } from './settings';
import { t } from './l10n';

export type { SchedNode, SectionChild } from './types';

const USED_KEY = 'sagemakerProcessing.schedulesUsed';
const ROLE_SETTING = 'sagemakerProcessing.defaultRoleArn';

function fmtTime(d?: Date): string {
  return d ? d.toISOString().replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC') : '—';
}

/** Whether any workspace definition has a job with a `schedule` (local file reads only). */
function workspaceSchedulesJobs(): boolean {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const text = readDefinitionText(folder);
    if (text === undefined) continue;
    const def = parseJsonc(text).value as DefinitionFile | undefined;
    if (def?.jobs && typeof def.jobs === 'object' && Object.values(def.jobs).some((j) => j && typeof j === 'object' && 'schedule' in j)) return true;
  }
  return false;
}

export class SchedulesSection implements vscode.Disposable, SchedulesTreeSection {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private list?: ScheduleInfo[];
  private error?: string;
  private loading?: Promise<void>;
  private runs = new Map<string, PipelineExecution[]>();
  private gen = 0;

  constructor(private readonly ctx: Ctx) {}

  /** Shown when the workspace schedules a job or this extension has scheduled one (no AWS call to decide). */
  visible(): boolean {
    return this.ctx.extension.globalState.get<boolean>(USED_KEY, false) || workspaceSchedulesJobs();
  }

  async markUsed(): Promise<void> {
    await this.ctx.extension.globalState.update(USED_KEY, true);
  }

  get schedules(): readonly ScheduleInfo[] | undefined {
    return this.list;
  }

  refresh(): void {
    this.gen++;
    this.list = undefined;
    this.error = undefined;
    this.loading = undefined;
    this.runs.clear();
    this.changed.fire();
  }

  /** Loads now and waits (commands and tests). */
  async reload(): Promise<readonly ScheduleInfo[]> {
    this.refresh();
    await this.ensureLoaded();
    this.changed.fire();
    return this.list ?? [];
  }

  private async ensureLoaded(): Promise<void> {
    if (this.list || this.error) return;
    const gen = this.gen;
    this.loading ??= (async () => {
      try {
        const l = await listManagedSchedules(awsSchedulePorts(this.ctx.aws));
        if (gen === this.gen) this.list = l;
      } catch (err) {
        if (gen === this.gen) {
          this.error = explainAwsError(err);
          this.ctx.log.error(t('Listing the schedules failed: {0}', this.error));
        }
      }
    })();
    await this.loading;
  }

  treeItem(n: SchedNode): vscode.TreeItem {
    switch (n.kind) {
      case 'schedulesRoot': {
        const item = new vscode.TreeItem(t('Schedules'), vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('calendar');
        item.description = this.list ? `${this.list.length}` : undefined;
        item.tooltip = t('Pipelines and EventBridge schedules made with "Schedule Job…" (schedule group {0})', SCHEDULE_GROUP);
        item.accessibilityInformation = { label: this.list ? t('Schedules, {0}', this.list.length) : t('Schedules') };
        item.id = 'schedulesRoot';
        item.contextValue = 'schedulesRoot';
        return item;
      }
      case 'schedule': {
        const s = n.schedule;
        const next = nextRunOf(s);
        const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
        const paused = s.state !== 'ENABLED';
        item.iconPath = new vscode.ThemeIcon(paused ? 'debug-pause' : 'watch', paused ? new vscode.ThemeColor('disabledForeground') : undefined);
        item.description = `${s.expression}${s.timezone !== 'UTC' ? ` ${s.timezone}` : ''} · ${paused ? t('Paused') : t('next {0}', fmtTime(next))}`;
        item.tooltip = new vscode.MarkdownString([
          `**${s.name}** — ${paused ? t('paused (DISABLED)') : 'ENABLED'}`,
          t('Expression: {0} ({1})', `\`${s.expression}\``, s.timezone),
          t('Next run: {0}', paused ? '—' : fmtTime(next)),
          t('Pipeline: {0}', s.pipelineName ?? s.targetArn),
          ...(s.startDate ? [t('Start: {0}', fmtTime(s.startDate))] : []),
          ...(s.endDate ? [t('End: {0}', fmtTime(s.endDate))] : []),
        ].join('\n\n'));
        item.accessibilityInformation = { label: `${s.name}, ${item.description}` };
        item.id = `schedule:${s.name}`;
        item.contextValue = `schedule state-${s.state}`;
        return item;
      }
      case 'run': {
        const r = n.run;
        const item = new vscode.TreeItem(fmtTime(r.startTime), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = r.status + (r.failureReason ? `: ${r.failureReason}` : '');
        item.iconPath = new vscode.ThemeIcon(r.status === 'Succeeded' ? 'pass' : r.status === 'Failed' ? 'error' : r.status === 'Executing' ? 'sync~spin' : 'circle-outline');
        item.tooltip = r.arn;
        item.id = `run:${r.arn}`;
        item.contextValue = 'pipelineRun';
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(n.icon ?? 'info');
        item.command = n.command;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  async children(n: SchedNode): Promise<SectionChild[]> {
    const ports = awsSchedulePorts(this.ctx.aws);
    if (n.kind === 'schedulesRoot') {
      await this.ensureLoaded();
      if (this.error) return [{ sched: { kind: 'info', text: this.error, icon: 'warning', command: { command: 'sagemakerProcessing.refreshSchedules', title: t('Retry') } } }];
      if (!this.list?.length) return [{ sched: { kind: 'info', text: t('No schedules yet: use "Schedule Job…" on a job with a "schedule" block') } }];
      return this.list.map((schedule) => ({ sched: { kind: 'schedule', schedule } }));
    }
    try {
      if (n.kind === 'schedule') {
        const name = n.schedule.pipelineName ?? n.schedule.name;
        const runs = await ports.listPipelineExecutions(name);
        this.runs.set(n.schedule.name, runs);
        if (!runs.length) return [{ sched: { kind: 'info', text: t('No runs yet') } }];
        return runs.map((run) => ({ sched: { kind: 'run', run, schedule: n.schedule.name } }));
      }
      if (n.kind === 'run') {
        const jobs = await this.runJobs(n.run.arn);
        if (!jobs.length) return [{ sched: { kind: 'info', text: t('No processing job known for this run ({0})', n.run.status) } }];
        return jobs.map((job) => ({ job }));
      }
    } catch (err) {
      return [{ sched: { kind: 'info', text: explainAwsError(err), icon: 'warning' } }];
    }
    return [];
  }

  /** The processing jobs of a pipeline execution, as job summaries. */
  async runJobs(executionArn: string): Promise<JobSummary[]> {
    const arns = await awsSchedulePorts(this.ctx.aws).executionJobs(executionArn);
    const sm = await this.ctx.aws.sagemaker();
    return Promise.all(arns.map(async (arn) => summaryFromDescription(await sm.describeProcessingJob(arn.split('/').pop() ?? arn))));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function scheduleName(arg: unknown): string | undefined {
  const a = arg as { kind?: string; node?: SchedNode; schedule?: ScheduleInfo } | string | undefined;
  if (typeof a === 'string') return a;
  if (a?.kind === 'sched' && a.node?.kind === 'schedule') return a.node.schedule.name;
  if (a?.kind === 'schedule' && a.schedule) return a.schedule.name;
  return undefined;
}

async function pickSchedule(ctx: Ctx, arg: unknown): Promise<string | undefined> {
  const name = scheduleName(arg);
  if (name) return name;
  const list = await schedulesSection(ctx).reload();
  if (!list?.length) {
    void vscode.window.showInformationMessage(t('SageMaker Processing: no schedules yet.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(list.map((x) => ({ label: x.name, description: `${x.expression} · ${x.state}` })), { placeHolder: t('Schedule') }))?.label;
}

async function pickRole(jobRole: string): Promise<string | undefined> {
  const fromSetting = setting<string>('defaultRoleArn', '').trim();
  const enterArn = t('Enter a role ARN…');
  const items = [
    { label: jobRole, description: t('the job\'s role (needs a trust policy for scheduler.amazonaws.com)') },
    ...(fromSetting && fromSetting !== jobRole ? [{ label: fromSetting, description: ROLE_SETTING }] : []),
    { label: enterArn, description: '' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: t('Role EventBridge Scheduler assumes to start the pipeline'), placeHolder: t('Set "schedule.role" in the definition to skip this') });
  if (!picked) return undefined;
  if (picked.label !== enterArn) return picked.label;
  return vscode.window.showInputBox({ prompt: t('IAM role ARN for EventBridge Scheduler (sagemaker:StartPipelineExecution)'), validateInput: (v) => (/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(v) ? undefined : t('an IAM role ARN')) });
}

/**
 * "Schedule Job…" for a job without a `schedule` block: pick the job (unless given), ask the time of day, and write
 * `"schedule": { "expression": "cron(M H * * ? *)", "timezone": <the machine's> }` into the definition (an edit of the
 * document, so comments, formatting and undo are kept), then show it. Returns the job key, or undefined when dismissed.
 */
async function offerDailySchedule(folder: vscode.WorkspaceFolder, keys: string[], key: string | undefined): Promise<string | undefined> {
  if (!keys.length) {
    void vscode.window.showWarningMessage(t('SageMaker Processing: the definition has no job to schedule.'));
    return undefined;
  }
  const zone = machineTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const jobKey = key ?? (await vscode.window.showQuickPick(keys, { title: t('No job has a "schedule" block yet: add a daily schedule to'), placeHolder: t('Job to schedule') }));
  if (!jobKey) return undefined;
  const time = await vscode.window.showInputBox({
    title: t('Add a daily schedule to "{0}"', jobKey),
    prompt: t('Run every day at (HH:MM, time zone {0}). It is written into the job definition as its "schedule" block.', zone),
    value: '06:00',
    validateInput: checkTimeOfDay,
  });
  const at = time === undefined ? undefined : parseTimeOfDay(time);
  if (!at) return undefined;
  const uri = definitionUri(folder);
  const doc = await vscode.workspace.openTextDocument(uri);
  const edits = addScheduleEdits(doc.getText(), jobKey, dailySchedule(at.hour, at.minute, zone));
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(we)) || !(await doc.save())) {
    void vscode.window.showErrorMessage(t('SageMaker Processing: could not write the schedule into {0}.', DEFINITION_FILE));
    return undefined;
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const at0 = doc.getText().indexOf('"schedule"', doc.getText().indexOf(JSON.stringify(jobKey)));
  if (at0 >= 0) {
    const pos = doc.positionAt(at0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return jobKey;
}

async function guarded(ctx: Ctx, what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (err) {
    if (err instanceof Cancelled) return;
    const msg = err instanceof DefinitionError ? t('the job definition has problems: {0}', err.message.split('\n').slice(0, 3).join('; ')) : explainAwsError(err);
    ctx.log.error(`${what}: ${msg}`);
    void vscode.window.showErrorMessage(t('SageMaker Processing: {0} failed: {1}', what, msg));
  }
}

/** Schedule Job…, Run Now, Pause, Resume, Delete, Show Runs, Refresh Schedules. */
/** The "Schedules" section of this extension instance (created on first use, disposed with the Ctx). */
export function schedulesSection(ctx: Ctx): SchedulesSection {
  return ctx.single(SchedulesSection, () => new SchedulesSection(ctx));
}


/** Pause (`enabled` false) or Resume a schedule: the same steps, one verb apart. */
function setStateCommand(ctx: Ctx, enabled: boolean): (arg?: unknown) => Promise<void> {
  return async (arg?: unknown) => {
    const untrusted = enabled ? t('Resuming a schedule is disabled in an untrusted workspace.') : t('Pausing a schedule is disabled in an untrusted workspace.');
    if (!ctx.requireTrust(untrusted)) return;
    const name = await pickSchedule(ctx, arg);
    if (!name) return;
    await guarded(ctx, enabled ? t('Resume') : t('Pause'), async () => {
      await setScheduleState(awsSchedulePorts(ctx.aws), name, enabled);
      await schedulesSection(ctx).reload();
    });
  };
}
export const scheduleCommands: Record<string, CommandFactory> = {
  scheduleJob: (ctx) => async (uri?: unknown, key?: unknown) => {
    if (!ctx.requireTrust(t('Scheduling a job is disabled in an untrusted workspace.'))) return undefined;
    const u = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    const folder = folderFor(u);
    if (!folder) return undefined;
    let text = readDefinitionText(folder);
    if (text === undefined) {
      void vscode.window.showErrorMessage(t('SageMaker Processing: no {0} in {1}.', DEFINITION_FILE, folder.name));
      return undefined;
    }
    const def = parseJsonc(text).value as DefinitionFile | undefined;
    const jobs = Object.entries(def?.jobs ?? {}).filter(([, j]) => j && typeof j === 'object');
    const scheduled = jobs.filter(([, j]) => 'schedule' in j).map(([k]) => k);
    let jobKey = typeof key === 'string' ? key : undefined;
    const unscheduled = jobs.map(([k]) => k).filter((k) => !scheduled.includes(k));
    if (!jobKey && scheduled.length) {
      // The jobs with a block, then those without (picking one offers to add a block).
      const items = [
        ...scheduled.map((k) => ({ label: k, description: String((def?.jobs[k]?.schedule as { expression?: string } | undefined)?.expression ?? '') })),
        ...unscheduled.map((k) => ({ label: k, description: t('no "schedule" yet: add a daily one') })),
      ];
      jobKey = items.length === 1 ? items[0].label : (await vscode.window.showQuickPick(items, { placeHolder: t('Job to schedule') }))?.label;
      if (!jobKey) return undefined;
    }
    if (!jobKey || !scheduled.includes(jobKey)) {
      // No block yet: offer a daily one (a chosen time, the machine's time zone), written into the definition.
      const given = jobKey;
      jobKey = undefined;
      await guarded(ctx, t('Schedule Job'), async () => {
        jobKey = await offerDailySchedule(folder, jobs.map(([k]) => k), given);
      });
      if (!jobKey) return undefined;
      text = readDefinitionText(folder) ?? text;
    }
    if (!jobKey) return undefined;
    const chosen: string = jobKey;
    const definitionText = text;
    let result: Awaited<ReturnType<typeof scheduleJob>>;
    await guarded(ctx, t('Schedule Job'), async () => {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Scheduling {0}', chosen), cancellable: true }, (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return scheduleJob(awsSchedulePorts(ctx.aws), {
          definitionText,
          definitionFile: DEFINITION_FILE,
          workspaceFolder: folder.uri.fsPath,
          jobKey: chosen,
          defaultRoleArn: setting<string>('defaultRoleArn', '').trim() || undefined,
          defaultBucket: setting<string>('defaultBucket', '').trim() || undefined,
          sdk: sdkSetting(),
          pickRole,
          // Build then schedule, as Run does: a job with `build` runs the pushed digest.
          resolveBuildImage: setting<boolean>('buildBeforeRun', true) ? (build, c) => imageForRun(ctx, folder, c.key ?? chosen, build) : undefined,
          signal: ac.signal,
          onProgress: (p) => progress.report({ message: p.message }),
        });
      });
      if (!result) return;
      await schedulesSection(ctx).markUsed();
      ctx.tree.refresh();
      await schedulesSection(ctx).reload();
      const done = (how: 'created' | 'updated') => (how === 'created' ? t('created') : t('updated'));
      void vscode.window.showInformationMessage(result.nextRun
        ? t('Scheduled "{0}": pipeline {1}, schedule {2}. Next run: {3}.', chosen, done(result.pipeline), done(result.schedule), fmtTime(result.nextRun))
        : t('Scheduled "{0}": pipeline {1}, schedule {2}.', chosen, done(result.pipeline), done(result.schedule)));
    });
    return result?.pipelineName;
  },
  refreshSchedules: (ctx) => () => {
    schedulesSection(ctx).refresh();
  },
  scheduleRunNow: (ctx) => async (arg?: unknown) => {
    if (!ctx.requireTrust(t('Starting a pipeline is disabled in an untrusted workspace.'))) return;
    const name = await pickSchedule(ctx, arg);
    if (!name) return;
    await guarded(ctx, t('Run Now'), async () => {
      const arn = await runNow(awsSchedulePorts(ctx.aws), name);
      ctx.log.info(t('Started the pipeline run {0}', arn));
      schedulesSection(ctx).refresh();
      void vscode.window.showInformationMessage(t('Started a run of "{0}".', name));
    });
  },
  schedulePause: (ctx) => setStateCommand(ctx, false),
  scheduleResume: (ctx) => setStateCommand(ctx, true),
  scheduleDelete: (ctx) => async (arg?: unknown) => {
    if (!ctx.requireTrust(t('Deleting a schedule is disabled in an untrusted workspace.'))) return;
    const name = await pickSchedule(ctx, arg);
    if (!name) return;
    const del = t('Delete');
    const ok = await vscode.window.showWarningMessage(t('Delete the schedule "{0}" and its pipeline? Past runs\' jobs and outputs stay.', name), { modal: true }, del);
    if (ok !== del) return;
    await guarded(ctx, del, async () => {
      const r = await deleteSchedule(awsSchedulePorts(ctx.aws), name);
      await schedulesSection(ctx).reload();
      void vscode.window.showInformationMessage(r.pipelineDeleted ? t('Deleted the schedule "{0}" and its pipeline.', name) : t('Deleted the schedule "{0}".', name));
    });
  },
  scheduleShowRuns: (ctx) => async (arg?: unknown) => {
    const name = await pickSchedule(ctx, arg);
    if (!name) return;
    await guarded(ctx, t('Show Runs'), async () => {
      const ports = awsSchedulePorts(ctx.aws);
      const sched = await ports.getSchedule(SCHEDULE_GROUP, name);
      const runs = await ports.listPipelineExecutions(sched?.pipelineName ?? name);
      if (!runs.length) {
        void vscode.window.showInformationMessage(t('"{0}" has not run yet.', name));
        return;
      }
      const picked = await vscode.window.showQuickPick(runs.map((r) => ({ label: fmtTime(r.startTime), description: r.status, detail: r.failureReason, run: r })), { placeHolder: t('Runs of {0} (pipeline executions)', name) });
      if (!picked || !schedulesSection(ctx)) return;
      const jobs = await schedulesSection(ctx).runJobs(picked.run.arn);
      if (!jobs.length) {
        void vscode.window.showInformationMessage(t('No processing job is known for this run yet ({0}).', picked.run.status));
        return;
      }
      // The run's job in the job list, with its logs, like any other job.
      const node = (await ctx.tree.revealJob(jobs[0].name)) ?? { kind: 'job', job: jobs[0] };
      await vscode.commands.executeCommand('sagemakerProcessing.showLogs', node);
    });
  },
};
