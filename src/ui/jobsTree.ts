import * as vscode from 'vscode';
import { isTerminal, sortNewestFirst, type JobSummary } from '../core/jobs';
import { describeFilter, isFiltered, jobItemModel, matchesFilter, toListFilter, type JobFilterState } from '../core/jobItem';
import { jobDetailRows, type DetailRow } from '../core/jobDetails';
import { fetchPage, mergeJobs } from '../core/pagination';
import { classifyAwsError, explainAwsError, isCredentialsError } from '../aws/errors';
import type { ProcessingJobDescription } from '../aws/sagemaker';
import type { Ctx } from './context';
import type { JobNode, JobsView, LocalJobStore, SchedulesTreeSection } from './types';
import type { JobsChange, ShownJobs } from './jobMonitor';
import { RelativeTimeRefresher } from './relativeTimes';
import { t } from './l10n';
import { failureFor, knownHeadline } from './failures';
import { costShown, knownPrice, lookupPrice, mayAsk } from './costs';
import { runCost, runCostFacts, runCostRow } from '../core/jobPage/cost';

export const VIEW_ID = 'sagemakerProcessing.jobs';
export const PAGE_SIZE = 100;

export type { JobNode } from './types';

type ViewState = 'loading' | 'ready' | 'noJobs' | 'noCredentials' | 'error';

export function jobTreeItem(job: JobSummary, now: Date, local = false): vscode.TreeItem {
  const m = jobItemModel(job, now, local ? 'local' : 'cloud');
  const item = new vscode.TreeItem(m.label, local ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
  item.iconPath = new vscode.ThemeIcon(m.icon, m.color ? new vscode.ThemeColor(m.color) : undefined);
  item.description = m.description;
  item.tooltip = new vscode.MarkdownString(m.tooltip);
  item.accessibilityInformation = { label: m.ariaLabel };
  const why = job.status === 'Failed' ? knownHeadline(job.name) : undefined;
  if (why) item.tooltip.appendMarkdown('\n\n').appendText(t('Why: {0}', why));
  item.contextValue = m.contextValue;
  // By name (unique per account and region): stable whether or not the ARN is known yet, so reveal() finds it.
  item.id = `${local ? 'local' : 'job'}:${job.name}`;
  return item;
}

/** The fix-it command for an error message. */
export function fixItCommand(err: unknown): vscode.Command {
  if (isCredentialsError(err)) return { command: 'sagemakerProcessing.switchProfile', title: t('Switch AWS Profile…') };
  if (classifyAwsError(err).kind === 'noRegion') return { command: 'sagemakerProcessing.switchRegion', title: t('Switch AWS Region…') };
  if (classifyAwsError(err).kind === 'network') return { command: 'workbench.action.openSettings', title: t('Open Settings'), arguments: ['sagemakerProcessing.endpointUrl'] };
  return { command: 'sagemakerProcessing.refresh', title: t('Retry') };
}

/**
 * The processing jobs of the current account and region, newest first, a page at a time, filtered, with details on
 * expansion, local runs under their own node, and one message item when something failed (what was shown stays).
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobNode>, ShownJobs, JobsView, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loadedEmitter = new vscode.EventEmitter<readonly JobSummary[]>();
  /** Fires after a load with the jobs shown (the job monitor starts polling when some run). */
  readonly onDidLoad = this.loadedEmitter.event;
  private jobs: JobSummary[] = [];
  private nextToken?: string;
  private errorText?: string;
  private errorFix?: vscode.Command;
  private loaded = false;
  private loading?: Promise<void>;
  private generation = 0;
  private details = new Map<string, { status: string; rows?: DetailRow[]; error?: string; desc?: ProcessingJobDescription }>();
  private filterState: JobFilterState = {};
  private localStore?: LocalJobStore;
  private view?: vscode.TreeView<JobNode>;
  private region?: string;

  constructor(private readonly ctx: Ctx) {}

  /** Connects the tree view (for its description) — call once after createTreeView. */
  attach(view: vscode.TreeView<JobNode>): void {
    this.view = view;
    this.updateDescription();
    // Relative times ("3 min ago") redrawn while visible, when they change; the labels are rebuilt from the jobs shown.
    this.relativeTimes = new RelativeTimeRefresher(
      () => [...this.jobs, ...(this.localStore?.list() ?? [])].map((j) => j.creationTime),
      () => this.changed.fire(undefined),
    );
    this.ctx.push(this.relativeTimes, view.onDidChangeVisibility((e) => this.relativeTimes?.setVisible(e.visible)), this.changed.event(() => this.relativeTimes?.reschedule()));
    this.relativeTimes.setVisible(view.visible);
  }

  /** Redraws the relative times of the shown jobs while the view is visible (the in-host tests read `dueAt`). */
  relativeTimes?: RelativeTimeRefresher;

  /** The tree view (once attached). */
  get treeView(): vscode.TreeView<JobNode> | undefined {
    return this.view;
  }

  /**
   * Reloads, then selects and reveals the job in the explorer (after a submission). Returns the job's node, or
   * undefined when it is not listed (e.g. the filter hides it).
   */
  async revealJob(name: string): Promise<JobNode | undefined> {
    await this.reload();
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return undefined;
    const node: JobNode = { kind: 'job', job };
    await this.view?.reveal(node, { select: true, focus: false, expand: false });
    return node;
  }

  /**
   * Renders what the job monitor follows: a poll's new summaries or error, and the local runs of `localJobs` (under
   * their own node). The tree never polls.
   */
  follow(monitor: { onDidChangeJobs: vscode.Event<JobsChange> }, localJobs?: LocalJobStore): void {
    this.localStore = localJobs;
    this.ctx.push(monitor.onDidChangeJobs((e) => this.render(e)));
    this.changed.fire(undefined);
  }

  private render(e: JobsChange): void {
    if (e.reason === 'local') this.changed.fire(undefined);
    if (e.reason !== 'poll') return;
    if (e.error !== undefined) {
      this.setError(e.error);
      return;
    }
    // A poll worked after an error: what is shown may be stale, reload it.
    if (this.hasError) {
      this.setError(undefined);
      this.refresh();
    }
    this.updateJobs([...e.updates]);
  }

  /** Shows the "Schedules" node (schedules feature): only when the section says so, loaded on expansion. */
  setSchedules(section: SchedulesTreeSection): void {
    this.schedules = section;
    this.ctx.push(section.onDidChange(() => this.changed.fire(undefined)));
    this.changed.fire(undefined);
  }

  private schedules?: SchedulesTreeSection;

  get filter(): JobFilterState {
    return { ...this.filterState };
  }

  setFilter(f: JobFilterState): void {
    this.filterState = { ...f };
    void vscode.commands.executeCommand('setContext', 'sagemakerProcessing.filtered', isFiltered(f));
    this.refresh();
  }

  get shownJobs(): readonly JobSummary[] {
    return this.jobs;
  }

  get hasMore(): boolean {
    return !!this.nextToken;
  }

  get hasError(): boolean {
    return this.errorText !== undefined;
  }

  /** The live list's watermark (ShownJobs.newSince): the newest job shown, less a minute; a day back when none. */
  newSince(): Date | undefined {
    if (!this.loaded) return undefined;
    const newest = this.jobs.reduce((m, j) => Math.max(m, j.creationTime.getTime()), 0);
    return new Date(newest ? newest - 60_000 : Date.now() - 86_400_000);
  }

  /** Jobs shown that have not ended (the poller watches them). */
  nonTerminal(): JobSummary[] {
    return this.jobs.filter((j) => !isTerminal(j.status));
  }

  /** Reloads the first page (and clears cached details). */
  refresh(): void {
    this.loaded = false;
    this.details.clear();
    this.changed.fire(undefined);
  }

  /** Loads now and waits (commands and tests use it). */
  async reload(): Promise<void> {
    this.loaded = false;
    this.details.clear();
    await this.ensureLoaded();
    this.changed.fire(undefined);
  }

  /** Shows or clears a failure of a background call (e.g. a poll); what is shown stays. */
  setError(err: unknown | undefined): void {
    const text = err === undefined ? undefined : explainAwsError(err);
    if (text === this.errorText) return;
    this.errorText = text;
    this.errorFix = err === undefined ? undefined : fixItCommand(err);
    this.changed.fire(undefined);
  }

  /** Replaces a shown job's summary (a poll saw it change); adds it on top when it is new and matches the filter. */
  updateJobs(updates: JobSummary[]): void {
    let changed = false;
    const now = new Date();
    for (const u of updates) {
      const i = this.jobs.findIndex((j) => j.name === u.name);
      if (i >= 0) {
        const old = this.jobs[i];
        const merged = { ...old, ...u, arn: u.arn || old.arn };
        if (old.status !== merged.status || old.endTime?.getTime() !== merged.endTime?.getTime()) {
          this.jobs[i] = merged;
          this.details.delete(u.name);
          changed = true;
        }
      } else if (this.loaded && matchesFilter(u, this.filterState, now)) {
        this.jobs = sortNewestFirst([...this.jobs, u]);
        changed = true;
      }
    }
    if (changed) this.changed.fire(undefined);
  }

  /** Loads the next page ("Load more…"). */
  async loadMore(): Promise<void> {
    if (!this.nextToken) return;
    const gen = this.generation;
    try {
      const sm = await this.ctx.aws.sagemaker();
      const page = await fetchPage((f, token, max) => sm.listProcessingJobs(f, token, max), toListFilter(this.filterState, new Date()), this.nextToken, { pageSize: PAGE_SIZE });
      if (gen !== this.generation) return;
      this.jobs = sortNewestFirst(mergeJobs(this.jobs, page.jobs));
      this.nextToken = page.nextToken;
      this.errorText = undefined;
    } catch (err) {
      if (gen !== this.generation) return;
      this.reportError('ListProcessingJobs', err);
    }
    this.changed.fire(undefined);
  }

  /** The job's DescribeProcessingJob response (cached until its status changes). */
  async describe(name: string): Promise<ProcessingJobDescription> {
    const sm = await this.ctx.aws.sagemaker();
    return sm.describeProcessingJob(name);
  }

  getTreeItem(node: JobNode): vscode.TreeItem {
    switch (node.kind) {
      case 'job':
        return jobTreeItem(node.job, new Date(), node.local);
      case 'detail': {
        const r = node.row;
        const item = new vscode.TreeItem(r.label, r.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = r.value;
        item.tooltip = r.value ? `${r.label}: ${r.value}` : r.label;
        if (r.icon) item.iconPath = new vscode.ThemeIcon(r.icon);
        item.id = node.id;
        item.contextValue = 'detail';
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'sagemakerProcessing.loadMore', title: t('Load More Jobs') };
        item.id = 'loadMore';
        item.contextValue = 'loadMore';
        return item;
      }
      case 'localRoot': {
        const n = this.localStore?.list().length ?? 0;
        const item = new vscode.TreeItem(t('Local runs'), n ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${n}`;
        item.iconPath = new vscode.ThemeIcon('vm');
        item.id = 'localRoot';
        item.contextValue = 'localRoot';
        return item;
      }
      case 'sched':
        return this.schedules!.treeItem(node.node);
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon ?? 'warning', new vscode.ThemeColor('list.warningForeground'));
        item.tooltip = node.command ? `${node.text}\n\n${t('Click: {0}', node.command.title)}` : node.text;
        item.command = node.command;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  /** For TreeView.reveal: cloud jobs, "Local runs" and messages are top level. */
  getParent(node: JobNode): JobNode | undefined {
    if (node.kind === 'job' && node.local) return { kind: 'localRoot' };
    if (node.kind === 'detail') return node.parent;
    return undefined;
  }

  async getChildren(node?: JobNode): Promise<JobNode[]> {
    if (!node) return this.rootChildren();
    if (node.kind === 'job' && !node.local) return this.jobChildren(node);
    if (node.kind === 'detail') return (node.row.children ?? []).map((row, i) => ({ kind: 'detail', row, id: `${node.id}/${i}`, parent: node }));
    if (node.kind === 'sched' && this.schedules) {
      return (await this.schedules.children(node.node)).map((c): JobNode => ('job' in c ? { kind: 'job', job: c.job } : { kind: 'sched', node: c.sched }));
    }
    if (node.kind === 'localRoot') {
      return sortNewestFirst(this.localStore?.list() ?? []).map((job) => ({ kind: 'job', job, local: true }));
    }
    return [];
  }

  private async rootChildren(): Promise<JobNode[]> {
    await this.ensureLoaded();
    const out: JobNode[] = [];
    if (this.errorText) out.push({ kind: 'message', text: this.errorText, command: this.errorFix });
    // Only when there are local runs, so an empty account still gets the welcome view.
    if (this.localStore?.list().length) out.push({ kind: 'localRoot' });
    if (this.schedules?.visible()) out.push({ kind: 'sched', node: { kind: 'schedulesRoot' } });
    out.push(...this.jobs.map((job): JobNode => ({ kind: 'job', job })));
    if (this.nextToken) out.push({ kind: 'loadMore' });
    if (!this.jobs.length && !this.nextToken && !this.errorText && isFiltered(this.filterState)) {
      out.push({ kind: 'message', text: t('No jobs match {0}', describeFilter(this.filterState)), icon: 'filter', command: { command: 'sagemakerProcessing.clearFilters', title: t('Clear Filters') } });
    }
    // Only the credentials message: the welcome view (with its fix-it links) says it better when nothing is shown.
    const shown = out.length === 1 && out[0].kind === 'message' && this.state === 'noCredentials' ? [] : out;
    this.showTargetMessage(shown.length > 0);
    return shown;
  }

  /**
   * The profile, region and filter above the jobs. VS Code folds the header of a container's only view, which hides
   * the view's description, so they are shown as the tree's message too — only when there are rows, because a
   * message would hide the welcome view (whose links say what to do when there are none).
   */
  private showTargetMessage(nonEmpty: boolean): void {
    this.messageShown = nonEmpty;
    const message = nonEmpty ? this.description : undefined;
    // getChildren runs on every refresh: only tell VS Code when the text changes.
    if (this.view && this.view.message !== message) this.view.message = message;
  }

  private messageShown = false;

  private async jobChildren(parent: Extract<JobNode, { kind: 'job' }>): Promise<JobNode[]> {
    const job = parent.job;
    let entry = this.details.get(job.name);
    if (!entry || entry.status !== job.status) {
      try {
        const desc = await this.describe(job.name);
        entry = { status: job.status, rows: jobDetailRows(desc), desc };
        this.learnStart(job.name, desc.ProcessingStartTime);
      } catch (err) {
        entry = { status: job.status, error: explainAwsError(err) };
      }
      if (!entry.error) this.details.set(job.name, entry);
    }
    if (entry.error) return [{ kind: 'message', text: entry.error, command: { command: 'sagemakerProcessing.refresh', title: t('Retry') } }];
    const rows = entry.rows ?? [];
    if (!rows.length) return [{ kind: 'message', text: t('No details available'), icon: 'info' }];
    // A failed job: why, first (from its logs; the failure bundle loads only for failed jobs).
    const why = job.status === 'Failed' ? await failureFor(this.ctx, job, false, 3000, false) : undefined;
    const whyRow: JobNode[] = why ? [{ kind: 'message', text: t('Why: {0}', why.headline), icon: 'error', command: { command: 'sagemakerProcessing.openFailingLine', title: t('Open Failing Line'), arguments: [parent] } }] : [];
    const shown = [...rows];
    const cost = entry.desc && costShown() ? this.costRow(entry.desc, parent) : undefined;
    // The cost right after the instances it was billed for (or last when they are not told).
    if (cost) shown.splice(Math.max(0, rows.findIndex((r) => r.icon === 'server') + 1) || rows.length, 0, cost);
    return [...whyRow, ...shown.map((row, i): JobNode => ({ kind: 'detail', row, id: `detail:${job.name}/${i}`, parent }))];
  }

  /**
   * A finished run's cost row: with the price when it is known; otherwise the instance-hours while the price is asked
   * (once per region and type, src/ui/costs.ts), and the job's rows are drawn again when it arrives.
   */
  private costRow(desc: ProcessingJobDescription, parent: JobNode): DetailRow | undefined {
    const facts = runCostFacts(desc);
    if (!facts) return undefined;
    const known = knownPrice(this.ctx, facts.instanceType);
    if (known) return runCostRow(runCost(facts, known), false);
    if (!mayAsk(this.ctx, facts.instanceType)) return runCostRow(runCost(facts, undefined), false);
    void lookupPrice(this.ctx, facts.instanceType).then((p) => {
      if (p) this.changed.fire(parent);
    }, () => undefined);
    return runCostRow(runCost(facts, undefined), true);
  }

  /** A description told the job's start (lists do not): its row's tooltip can then say the duration. */
  private learnStart(name: string, start: Date | undefined): void {
    const i = this.jobs.findIndex((j) => j.name === name);
    if (!start || i < 0 || this.jobs[i].startTime) return;
    this.jobs[i] = { ...this.jobs[i], startTime: start };
    this.changed.fire(undefined);
  }

  private state: ViewState = 'loading';

  /**
   * Loads once for the current target and filter. A load that a profile/region switch overtook is dropped (its
   * answer or error belongs to the old target), and the caller waits for the new one instead.
   */
  private async ensureLoaded(): Promise<void> {
    for (let tries = 0; !this.loaded && tries < 3; tries++) {
      if (!this.loading) {
        const p: Promise<void> = this.load().finally(() => {
          if (this.loading === p) this.loading = undefined;
        });
        this.loading = p;
      }
      await this.loading;
    }
  }

  private async load(): Promise<void> {
    const gen = ++this.generation;
    if (!this.jobs.length) await this.setState('loading');
    try {
      const sm = await this.ctx.aws.sagemaker();
      const page = await fetchPage((f, token, max) => sm.listProcessingJobs(f, token, max), toListFilter(this.filterState, new Date()), undefined, { pageSize: PAGE_SIZE });
      if (gen !== this.generation) return;
      this.jobs = sortNewestFirst(page.jobs);
      this.nextToken = page.nextToken;
      this.errorText = undefined;
      this.errorFix = undefined;
      await this.setState(this.jobs.length || isFiltered(this.filterState) ? 'ready' : 'noJobs');
      void this.resolveRegion(() => sm.client.config.region());
      this.loadedEmitter.fire(this.jobs);
    } catch (err) {
      if (gen !== this.generation) return;
      this.reportError('ListProcessingJobs', err);
      // Keep what was shown; only a new target (refresh after switching) starts empty.
      await this.setState(isCredentialsError(err) ? 'noCredentials' : this.jobs.length ? 'ready' : 'error');
    }
    this.loaded = true;
    this.updateDescription();
  }

  private reportError(what: string, err: unknown): void {
    this.errorText = explainAwsError(err);
    this.errorFix = fixItCommand(err);
    this.ctx.log.error(t('{0} failed: {1}', what, this.errorText));
    this.failedEmitter.fire(err);
  }

  private readonly failedEmitter = new vscode.EventEmitter<unknown>();
  /** Fires when loading failed (the poller then retries until it works again). */
  readonly onDidFail = this.failedEmitter.event;

  /** Clears what was shown (the account or region changed) and reloads. */
  resetForNewTarget(): void {
    // Whatever is in flight was asked of the old target: drop it, so the next load starts afresh.
    this.generation++;
    this.loading = undefined;
    this.jobs = [];
    this.nextToken = undefined;
    this.errorText = undefined;
    this.region = undefined;
    this.schedules?.refresh();
    this.updateDescription();
    this.refresh();
  }

  private async resolveRegion(provider: () => Promise<string>): Promise<void> {
    try {
      const r = await provider();
      if (r && r !== this.region) {
        this.region = r;
        this.updateDescription();
      }
    } catch {
      /* the description keeps "default region" */
    }
  }

  /** The region in use (the setting, else what the SDK resolved). */
  get resolvedRegion(): string | undefined {
    return this.ctx.aws.current.region ?? this.region;
  }

  /** The profile (undefined: the default one) and the region in use (undefined: not known yet). */
  get target(): { profile?: string; region?: string } {
    return { profile: this.ctx.aws.current.profile || undefined, region: this.resolvedRegion };
  }

  /** "profile default · us-east-1 · filter: Failed" */
  get description(): string {
    const target = this.ctx.aws.current;
    const parts = [target.profile ? target.profile : t('default profile'), this.resolvedRegion ?? t('default region')];
    const f = describeFilter(this.filterState);
    if (f) parts.push(f);
    return parts.join(' · ');
  }

  private readonly descEmitter = new vscode.EventEmitter<string>();
  /** Fires when the profile/region/filter text changes (the status bar shows the profile and region too). */
  readonly onDidChangeDescription = this.descEmitter.event;

  private updateDescription(): void {
    const d = this.description;
    if (this.view) {
      this.view.description = d;
      if (this.messageShown && this.view.message !== d) this.view.message = d;
    }
    this.descEmitter.fire(d);
  }

  private async setState(state: ViewState): Promise<void> {
    this.state = state;
    await vscode.commands.executeCommand('setContext', 'sagemakerProcessing.state', state);
  }

  dispose(): void {
    this.changed.dispose();
    this.loadedEmitter.dispose();
    this.descEmitter.dispose();
    this.failedEmitter.dispose();
  }
}
