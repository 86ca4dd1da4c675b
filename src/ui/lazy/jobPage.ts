// The job page (lazy bundle dist/lazy-jobPage.js): a webview panel per job with its header, timeline, cost, CPU/memory/
// disk (and GPU) charts per host, why it failed, and its outputs opened in one click. The description is shown first;
// metrics (CloudWatch, or a local run's own container samples), the price (Price List API), the failure summary and the
// output listings follow as they arrive. A running job's page follows the job monitor: it reads the job again after
// each of the monitor's polls (a local run: each change of the run), never on a timer of its own, and stops once the
// job ended; while hidden it skips them and reads once when shown again.
// The page's script and styles are dist/webview-jobPage.{js,css} (src/webview/jobPage.ts), under a strict CSP.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context';
import { t } from '../l10n';
import { setting } from '../settings';
import { buildJobPage, type MetricSeries } from '../../core/jobPage/model';
import type { PriceLookup } from '../../core/jobPage/pricing';
import type { ProcessingJobDescriptionLike } from '../../core/jobDetails';
import { parseS3Uri } from '../../core/s3uri';
import { explainAwsError } from '../../aws/errors';
import { loadSdkPage } from '../../aws/index';
import { S3_SCHEME } from '../s3Files';
import type { HostMessage, OutputListing, PageData, PageMessage, PageStrings } from '../../webview/jobPageProtocol';
import { summaryFromDescription } from '../../core/jobDetails';
import type { JobSummary } from '../../core/jobs';
import { summaryHeadline, summaryLines, type FailureSummary } from '../../core/failure/summary';

/** What the page takes from the activation bundle (one copy of each service, not the lazy bundle's own). */
export interface PageDeps {
  /** The failure summary of a Failed or Stopped run (src/ui/failures.ts failureFor, not shown elsewhere). */
  failure?: (job: JobSummary, local: boolean) => Promise<FailureSummary | undefined>;
  /** The job monitor's changes: a cloud page reads again after each 'poll', a local run's page after each 'local'. */
  changes?: vscode.Event<{ reason: string }>;
  /** Asks the monitor for a poll soon (a running job's page was opened). */
  pollSoon?: () => void;
  /** A local run's container samples (src/local/containerStats.ts), in the same series as CloudWatch's. */
  localMetrics?: (name: string) => MetricSeries[] | undefined;
}
/** Objects listed per output on the page (the rest open through the s3: folder). */
const FILES_PER_OUTPUT = 20;

const panels = new Map<string, JobPagePanel>();

export async function showJobPage(ctx: Ctx, name: string, local = false, deps: PageDeps = {}): Promise<{ name: string; rendered: Promise<PageData> }> {
  let p = panels.get(name);
  if (p) p.panel.reveal();
  else {
    p = new JobPagePanel(ctx, name, local, deps);
    panels.set(name, p);
  }
  return { name, rendered: p.loaded };
}

/** For tests: the data a job's open page shows last. */
export function pageData(name: string): PageData | undefined {
  return panels.get(name)?.last;
}

function strings(): PageStrings {
  return {
    status: t('Status'), image: t('Image'), digest: t('Image digest'), instances: t('Instances'), created: t('Created'),
    started: t('Started'), ended: t('Ended'), timeline: t('Timeline'), cost: t('Cost'),
    costHidden: t('Cost is hidden (setting sagemakerProcessing.showCost).'), utilization: t('Instance utilization'),
    cpu: t('CPU utilization (%)'), memory: t('Memory utilization (%)'), disk: t('Disk utilization (%)'),
    cpuNote: t('CPU is summed over the instance\'s cores: 100 % is one full core, so 4 vCPUs reach 400 %.'),
    showTable: t('Show the data as a table'), time: t('Time (UTC)'), host: t('Host'),
    noMetrics: t('No instance metrics in CloudWatch for this job.'), loading: t('Loading…'), outputs: t('Outputs'),
    inputs: t('Inputs'), open: t('Open'), moreObjects: t('More objects exist under this prefix than are listed here: Download Outputs copies them all.'),
    hint: t('Hint'), failure: t('Failure reason'), showLogs: t('Show Logs'), updated: t('Updated'), running: t('still running'),
    noOutputs: t('This job has no S3 outputs.'), timelineLabel: t('Timeline of the job\'s phases (listed below)'), soFar: t('so far'), bytes: t('bytes'),
    why: t('Why it failed'), openFailingLine: t('Open Failing Line'), wholeSummary: t('The whole failure summary'),
    gpu: t('GPU utilization (%)'), gpuMemory: t('GPU memory utilization (%)'),
  };
}

function escapeJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

class JobPagePanel {
  readonly panel: vscode.WebviewPanel;
  last?: PageData;
  readonly loaded: Promise<PageData>;
  private disposed = false;
  /** A monitor change came while the page was hidden or busy: read again when shown / done. */
  private stale = false;
  private busy = false;
  /** Reads of the job so far (the in-host and e2e tests compare them with the monitor's polls). */
  reads = 0;
  private follow?: vscode.Disposable;
  private readonly openable = new Set<string>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx, private readonly name: string, private readonly local: boolean, private readonly deps: PageDeps) {
    const dist = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('sagemakerProcessing.jobPage', t('Job: {0}', name), vscode.ViewColumn.Active, {
      enableScripts: true, localResourceRoots: [dist], enableFindWidget: true,
    });
    this.subs.push(this.panel.onDidDispose(() => this.dispose()));
    this.subs.push(this.panel.webview.onDidReceiveMessage((m: PageMessage) => void this.onMessage(m)));
    this.subs.push(this.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.visible && this.stale) this.refresh();
    }));
    this.loaded = this.load();
  }

  /** Follows the monitor while the job runs (one subscription; dropped when it ends or the page closes). */
  private followMonitor(running: boolean): void {
    if (!running) {
      this.follow?.dispose();
      this.follow = undefined;
      this.stale = false;
      return;
    }
    if (this.follow || !this.deps.changes) return;
    const want = this.local ? 'local' : 'poll';
    this.follow = this.deps.changes((e) => {
      if (e.reason === want) this.refresh();
    });
    if (!this.local) this.deps.pollSoon?.();
  }

  private refresh(): void {
    if (this.disposed) return;
    if (!this.panel.visible || this.busy) {
      this.stale = true;
      return;
    }
    this.stale = false;
    void this.load();
  }

  private html(first: PageData | undefined): string {
    const w = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const dist = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist');
    const js = w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview-jobPage.js'));
    const css = w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview-jobPage.css'));
    const csp = [`default-src 'none'`, `img-src ${w.cspSource} data:`, `style-src ${w.cspSource}`, `font-src ${w.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    const lang = vscode.env.language.startsWith('ja') ? 'ja' : 'en';
    return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${css}"><title>${escapeHtml(this.name)}</title></head>
<body><div id="root" aria-live="polite"></div>
<script type="application/json" id="strings">${escapeJson(strings())}</script>
${first ? `<script type="application/json" id="data">${escapeJson(first)}</script>` : ''}
<script nonce="${nonce}" src="${js}"></script></body></html>`;
  }

  private post(data: PageData): void {
    this.last = data;
    for (const o of data.outputs) for (const f of o.files) this.openable.add(f.uri);
    if (!this.disposed) void this.panel.webview.postMessage({ type: 'data', data } satisfies HostMessage);
  }

  private localSummary(): JobSummary {
    return this.ctx.localJobs.list().find((x) => x.name === this.name) ?? { name: this.name, arn: '', status: 'InProgress', creationTime: new Date() };
  }

  private async describe(): Promise<ProcessingJobDescriptionLike> {
    if (this.local) {
      const j = this.ctx.localJobs.list().find((x) => x.name === this.name);
      return { ProcessingJobName: this.name, ProcessingJobStatus: j?.status, CreationTime: j?.creationTime, ProcessingStartTime: j?.creationTime, ProcessingEndTime: j?.endTime, FailureReason: j?.failureReason };
    }
    return (await this.ctx.aws.sagemaker()).describeProcessingJob(this.name);
  }

  private async load(): Promise<PageData> {
    this.busy = true;
    try {
      return await this.read();
    } finally {
      this.busy = false;
      if (this.stale && this.panel.visible && this.last?.model.running) this.refresh();
    }
  }

  private async read(): Promise<PageData> {
    this.reads++;
    const showCost = setting<boolean>('showCost', true);
    let description: ProcessingJobDescriptionLike;
    try {
      description = await this.describe();
    } catch (err) {
      description = { ProcessingJobName: this.name, FailureReason: t('Could not describe {0}: {1}', this.name, explainAwsError(err)) };
    }
    const first: PageData = { model: buildJobPage({ description, now: Date.now() }), series: this.last?.series ?? [], showCost, outputs: this.last?.outputs ?? [], loading: true, updatedAt: Date.now() };
    if (!this.last) this.panel.webview.html = this.html(first);
    else this.post(first);
    this.last = first;
    const [metrics, price, outputs, failure] = await Promise.all([this.metrics(description), showCost ? this.price(description) : Promise.resolve(undefined), this.outputs(description), this.failure(description)]);
    const full: PageData = {
      model: buildJobPage({ description, metrics: metrics.series, price, now: Date.now() }),
      series: metrics.series, metricsError: metrics.error, showCost, outputs, loading: false, updatedAt: Date.now(),
      ...(failure ? { failure } : {}),
    };
    this.post(full);
    this.followMonitor(full.model.running && !this.disposed);
    return full;
  }

  /** Why a Failed or Stopped run ended so: the failure summary (src/core/failure), as the end notification has it. */
  private async failure(d: ProcessingJobDescriptionLike): Promise<PageData['failure']> {
    if (!this.deps.failure || !['Failed', 'Stopped'].includes(d.ProcessingJobStatus ?? '')) return undefined;
    const s = await this.deps.failure(summaryFromDescription(d), this.local).catch(() => undefined);
    if (!s) return undefined;
    const rel = (p: string) => vscode.workspace.asRelativePath(p);
    return {
      headline: summaryHeadline(s),
      lines: summaryLines(s, rel),
      ...(s.failing?.local ? { failingLine: `${rel(s.failing.local)}:${s.failing.line ?? 1}` } : {}),
    };
  }

  private async metrics(d: ProcessingJobDescriptionLike): Promise<{ series: MetricSeries[]; error?: string }> {
    if (this.local) return { series: this.deps.localMetrics?.(this.name) ?? [] };
    if (!d.ProcessingStartTime) return { series: [] };
    const start = new Date(new Date(d.ProcessingStartTime).getTime() - 60_000);
    const end = new Date((d.ProcessingEndTime ? new Date(d.ProcessingEndTime).getTime() : Date.now()) + 120_000);
    // One-second periods while CloudWatch still keeps them (3 h); one-minute periods after.
    const period = Date.now() - start.getTime() < 3 * 3600_000 ? 1 : 60;
    try {
      const cw = await this.ctx.aws.cloudwatch();
      return { series: await cw.jobMetrics(this.name, d.ProcessingResources?.ClusterConfig?.InstanceCount ?? 1, start, end, period) };
    } catch (err) {
      return { series: [], error: t('Could not read the instance metrics: {0}', explainAwsError(err)) };
    }
  }

  private async price(d: ProcessingJobDescriptionLike): Promise<PriceLookup | undefined> {
    const type = d.ProcessingResources?.ClusterConfig?.InstanceType;
    const region = this.ctx.tree.resolvedRegion ?? this.ctx.aws.current.region;
    if (!type || !region || this.local) return undefined;
    const { lookupProcessingPrice } = await loadSdkPage();
    return lookupProcessingPrice(await this.ctx.aws.pricing(), region, type);
  }

  private async outputs(d: ProcessingJobDescriptionLike): Promise<OutputListing[]> {
    if (this.local) return [];
    const s3 = await this.ctx.aws.s3();
    const outs = (d.ProcessingOutputConfig?.Outputs ?? []).filter((o) => o.S3Output?.S3Uri);
    return Promise.all(outs.map(async (o): Promise<OutputListing> => {
      const uri = o.S3Output!.S3Uri!;
      const name = o.OutputName ?? '';
      const loc = parseS3Uri(uri);
      if (!loc) return { name, uri, files: [], more: false };
      try {
        const prefix = loc.key && !loc.key.endsWith('/') ? `${loc.key}/` : loc.key;
        const page = await s3.listPage(loc.bucket, prefix, { max: FILES_PER_OUTPUT });
        return {
          name, uri, more: !!page.next,
          files: page.objects.filter((f) => !f.key.endsWith('/')).map((f) => ({ key: f.key.slice(prefix.length), size: f.size, uri: `s3://${loc.bucket}/${f.key}` })),
        };
      } catch (err) {
        return { name, uri, files: [], more: false, error: explainAwsError(err) };
      }
    }));
  }

  private async onMessage(m: PageMessage): Promise<void> {
    if (m.type === 'logs') {
      await vscode.commands.executeCommand('sagemakerProcessing.showLogs', this.local ? { kind: 'job', job: this.localSummary(), local: true } : this.name);
    } else if (m.type === 'failingLine') {
      await vscode.commands.executeCommand('sagemakerProcessing.openFailingLine', { jobName: this.name, local: this.local });
    } else if (m.type === 'open') {
      // Only what the page was given: a webview never names an arbitrary resource to open.
      if (!this.openable.has(m.uri)) return;
      const loc = parseS3Uri(m.uri);
      if (!loc) return;
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.from({ scheme: S3_SCHEME, authority: loc.bucket, path: `/${loc.key}` }), { preview: true });
    } else if (m.type === 'ready' && this.last) {
      this.post(this.last);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.follow?.dispose();
    panels.delete(this.name);
    for (const s of this.subs) s.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
