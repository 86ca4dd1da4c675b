// A job at a glance: the page model built from DescribeProcessingJob, the instance metrics SageMaker puts to
// CloudWatch and the on-demand price. Pure; the webview (src/ui/lazy/jobPage.ts) and the CLI's `describe` render it.
import { imageDigest } from '../compare';
import type { ProcessingJobDescriptionLike } from '../jobDetails';
import { formatDuration } from '../jobs';
import { t } from '../l10n';
import type { HourlyPrice, PriceLookup } from './pricing';

/** Where SageMaker puts a processing job's instance metrics (dimension Host = `<job>/algo-<n>`). */
export const METRIC_NAMESPACE = '/aws/sagemaker/ProcessingJobs';
/**
 * The instance metrics, in percent: CPU is the sum over the instance's cores (0–100 % each, so 0–400 % on 4 vCPUs);
 * memory and disk are 0–100 % of the instance's memory and of its storage volume.
 */
export const METRIC_NAMES = ['CPUUtilization', 'MemoryUtilization', 'DiskUtilization', 'GPUUtilization', 'GPUMemoryUtilization'] as const;
/**
 * The GPU metrics SageMaker puts for instances with GPUs (percent summed over the instance's GPUs, like CPU): charted
 * only when a job has samples of them.
 */
export const GPU_METRIC_NAMES = ['GPUUtilization', 'GPUMemoryUtilization'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function hostDimension(jobName: string, instance: number): string {
  return `${jobName}/algo-${instance}`;
}

/** One host's samples of one metric, oldest first. Times in ms since the epoch. */
export interface MetricSeries {
  host: string;
  metric: MetricName;
  timestamps: number[];
  values: number[];
}

export interface TimelinePhase {
  /** 'queued': created → started (SageMaker provisions instances and pulls the image); 'running': started → ended. */
  phase: 'queued' | 'running';
  label: string;
  start: number;
  end: number;
  /** The phase has not ended yet (end is "now"). */
  open: boolean;
  duration: string;
}

export interface HostSummary {
  host: string;
  cpuMean?: number;
  cpuPeak?: number;
  memoryPeak?: number;
  diskPeak?: number;
  samples: number;
}

export interface Hint {
  kind: 'larger' | 'smaller';
  text: string;
}

export type CostLine =
  | { kind: 'price'; usd: number; text: string; usdPerHour: number; effectiveDate?: string }
  | { kind: 'hoursOnly'; text: string; reason: string }
  | { kind: 'none'; text: string };

export interface JobPageModel {
  name: string;
  status: string;
  image?: string;
  digest?: string;
  instanceType?: string;
  instanceCount: number;
  created?: number;
  started?: number;
  ended?: number;
  running: boolean;
  timeline: TimelinePhase[];
  /** Billed time per instance, start to end (or to now while running), whole seconds. */
  billedSeconds?: number;
  instanceHours?: number;
  cost: CostLine;
  hosts: HostSummary[];
  hints: Hint[];
  failureReason?: string;
  inputs: { name: string; uri: string }[];
  outputs: { name: string; uri: string }[];
}

/** Memory above this peak (percent) suggests a larger instance. */
export const MEMORY_HIGH_PCT = 90;
/** CPU below this mean (percent of all the instance's vCPUs) suggests a smaller one. */
export const CPU_LOW_PCT = 20;
/** Fewer samples than this say nothing about sizing. */
export const MIN_SAMPLES_FOR_HINT = 3;

const ms = (d: Date | string | number | undefined) => (d === undefined ? undefined : new Date(d).getTime());

/** USD with cents, or four decimals below one dollar (a short job costs fractions of a cent). */
export function formatUsd(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

export function billedSeconds(started: number | undefined, ended: number | undefined): number | undefined {
  if (started === undefined || ended === undefined || ended < started) return undefined;
  return Math.ceil((ended - started) / 1000);
}

/** The cost of `seconds` on `count` instances, or the instance-hours with the reason there is no price. */
export function costLine(seconds: number | undefined, count: number, price: PriceLookup | undefined): CostLine {
  if (seconds === undefined) return { kind: 'none', text: t('Not started yet') };
  const hours = (seconds * count) / 3600;
  const hoursText = t('{0} instance-hours', Number(hours.toFixed(4)));
  if (price?.kind === 'found') {
    const usd = hours * price.price.usdPerHour;
    const text = price.price.effectiveDate
      ? t('{0} ({1} × {2}/h on demand, price of {3})', formatUsd(usd), hoursText, formatUsd(price.price.usdPerHour), price.price.effectiveDate.slice(0, 10))
      : t('{0} ({1} × {2}/h on demand)', formatUsd(usd), hoursText, formatUsd(price.price.usdPerHour));
    return { kind: 'price', usd, text, usdPerHour: price.price.usdPerHour, effectiveDate: price.price.effectiveDate };
  }
  const reason = !price ? t('Pricing was not asked.')
    : price.kind === 'notFound' ? t('The AWS Price List has no on-demand Processing price for this instance type in this region.')
      : price.reason;
  return { kind: 'hoursOnly', text: hoursText, reason };
}

function summarise(host: string, series: MetricSeries[]): HostSummary {
  const of = (m: MetricName) => series.find((s) => s.host === host && s.metric === m)?.values ?? [];
  const cpu = of('CPUUtilization');
  const mem = of('MemoryUtilization');
  const disk = of('DiskUtilization');
  const peak = (v: number[]) => (v.length ? Math.max(...v) : undefined);
  return {
    host,
    cpuMean: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined,
    cpuPeak: peak(cpu),
    memoryPeak: peak(mem),
    diskPeak: peak(disk),
    samples: Math.max(cpu.length, mem.length, disk.length),
  };
}

/** "A larger instance may fit" when memory peaked above 90 %; "a smaller one" when CPU stayed below 20 % of its vCPUs. */
export function rightSizingHints(hosts: HostSummary[], price: HourlyPrice | undefined): Hint[] {
  const hints: Hint[] = [];
  const judged = hosts.filter((h) => h.samples >= MIN_SAMPLES_FOR_HINT);
  const high = judged.filter((h) => (h.memoryPeak ?? 0) > MEMORY_HIGH_PCT);
  if (high.length) {
    const worst = Math.max(...high.map((h) => h.memoryPeak!));
    hints.push({ kind: 'larger', text: t('Memory peaked at {0} % on {1}: a larger instance type may fit better.', worst.toFixed(0), high.map((h) => h.host).join(', ')) });
    return hints;
  }
  const vcpus = price?.vcpus;
  if (vcpus && judged.length && judged.every((h) => h.cpuMean !== undefined && h.cpuMean / vcpus < CPU_LOW_PCT)) {
    const mean = Math.max(...judged.map((h) => h.cpuMean! / vcpus));
    hints.push({ kind: 'smaller', text: t('CPU averaged {0} % of the {1} vCPUs: a smaller instance type may fit.', mean.toFixed(0), vcpus) });
  }
  return hints;
}

export interface JobPageInput {
  description: ProcessingJobDescriptionLike;
  metrics?: MetricSeries[];
  price?: PriceLookup;
  /** "Now" for a running job (ms). */
  now: number;
}

export function buildJobPage({ description: d, metrics = [], price, now }: JobPageInput): JobPageModel {
  const status = d.ProcessingJobStatus ?? 'InProgress';
  const running = status === 'InProgress' || status === 'Stopping';
  const created = ms(d.CreationTime);
  const started = ms(d.ProcessingStartTime);
  const ended = ms(d.ProcessingEndTime);
  const cluster = d.ProcessingResources?.ClusterConfig;
  const count = cluster?.InstanceCount ?? 1;
  const timeline: TimelinePhase[] = [];
  if (created !== undefined) {
    const qEnd = started ?? ended ?? (running ? now : undefined);
    if (qEnd !== undefined) {
      timeline.push({ phase: 'queued', label: t('Starting (instances, image, inputs)'), start: created, end: qEnd, open: started === undefined && ended === undefined, duration: formatDuration(qEnd - created) });
    }
  }
  if (started !== undefined) {
    const rEnd = ended ?? (running ? now : started);
    timeline.push({ phase: 'running', label: t('Processing'), start: started, end: rEnd, open: ended === undefined, duration: formatDuration(rEnd - started) });
  }
  const seconds = billedSeconds(started, ended ?? (started !== undefined && running ? now : undefined));
  const hostNames = [...new Set(metrics.map((s) => s.host))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const hosts = hostNames.map((h) => summarise(h, metrics));
  return {
    name: d.ProcessingJobName ?? '',
    status,
    image: d.AppSpecification?.ImageUri,
    digest: imageDigest(d.AppSpecification?.ImageUri),
    instanceType: cluster?.InstanceType,
    instanceCount: count,
    created, started, ended, running,
    timeline,
    billedSeconds: seconds,
    instanceHours: seconds === undefined ? undefined : (seconds * count) / 3600,
    cost: costLine(seconds, count, price),
    hosts,
    hints: rightSizingHints(hosts, price?.kind === 'found' ? price.price : undefined),
    failureReason: d.FailureReason,
    inputs: (d.ProcessingInputs ?? []).filter((i) => i.S3Input?.S3Uri).map((i) => ({ name: i.InputName ?? '', uri: i.S3Input!.S3Uri! })),
    outputs: (d.ProcessingOutputConfig?.Outputs ?? []).filter((o) => o.S3Output?.S3Uri).map((o) => ({ name: o.OutputName ?? '', uri: o.S3Output!.S3Uri! })),
  };
}

/** The page's facts as text lines (the CLI's `describe --summary`, and a plain-text fallback). */
export function jobPageText(m: JobPageModel, o: { showCost?: boolean } = {}): string[] {
  const iso = (n: number | undefined) => (n === undefined ? '—' : new Date(n).toISOString().replace(/\.\d+Z$/, 'Z'));
  const lines = [
    `${m.name}  ${m.status}`,
    `${t('Image')}: ${m.image ?? '—'}`,
    `${t('Instances')}: ${m.instanceType ?? '?'} × ${m.instanceCount}`,
    `${t('Created')}: ${iso(m.created)}  ${t('Started')}: ${iso(m.started)}  ${t('Ended')}: ${iso(m.ended)}`,
  ];
  for (const p of m.timeline) lines.push(`  ${p.label}: ${p.duration}${p.open ? ` (${t('so far')})` : ''}`);
  if (o.showCost !== false) {
    lines.push(`${t('Cost')}: ${m.cost.text}`);
    if (m.cost.kind === 'hoursOnly') lines.push(`  ${m.cost.reason}`);
  }
  for (const h of m.hosts) {
    const pct = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(0)} %`);
    lines.push(`${h.host}: ${t('CPU mean {0}, peak {1}; memory peak {2}; disk peak {3} ({4} samples)', pct(h.cpuMean), pct(h.cpuPeak), pct(h.memoryPeak), pct(h.diskPeak), h.samples)}`);
  }
  for (const h of m.hints) lines.push(`${t('Hint')}: ${h.text}`);
  if (m.failureReason) lines.push(`${t('Failure reason')}: ${m.failureReason}`);
  return lines;
}
