// The cost of one finished run, as the jobs tree's detail row and the status bar's tooltip show it: billed seconds
// (start → end) × instance count × the on-demand hourly price (src/core/jobPage/pricing.ts), or the instance-hours with
// the reason there is no price. Pure; the price is looked up lazily by src/ui/costs.ts.
import type { DetailRow, ProcessingJobDescriptionLike } from '../jobDetails';
import { billedSeconds, buildJobPage, costLine, type CostLine, type MetricSeries } from './model';
import { formatJobDuration } from '../jobs';
import { summaryFromDescription } from '../jobDetails';
import type { PriceLookup } from './pricing';
import { t } from '../l10n';

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** What a finished run needs for its cost: its instance type and count, and its start and end. */
export interface RunCostFacts {
  instanceType?: string;
  instanceCount: number;
  seconds?: number;
}

/** The facts of a finished run (undefined while it runs, or when it never started: nothing was billed to say). */
export function runCostFacts(d: ProcessingJobDescriptionLike): RunCostFacts | undefined {
  if (!TERMINAL.has(d.ProcessingJobStatus ?? '')) return undefined;
  const start = d.ProcessingStartTime ? new Date(d.ProcessingStartTime).getTime() : undefined;
  const end = d.ProcessingEndTime ? new Date(d.ProcessingEndTime).getTime() : undefined;
  const seconds = billedSeconds(start, end);
  if (seconds === undefined) return undefined;
  const cluster = d.ProcessingResources?.ClusterConfig;
  return { instanceType: cluster?.InstanceType, instanceCount: cluster?.InstanceCount ?? 1, seconds };
}

/** The cost line of a finished run; `price` undefined while it is being asked. */
export function runCost(f: RunCostFacts, price: PriceLookup | undefined): CostLine {
  return costLine(f.seconds, f.instanceCount, price);
}

/** One line: `$0.0123 (…)`, or `0.05 instance-hours — <why no price>`, or the hours with "price loading". */
export function runCostText(c: CostLine, pending: boolean): string {
  if (c.kind === 'price' || c.kind === 'none') return c.text;
  return pending ? t('{0} (looking up the price…)', c.text) : `${c.text} — ${c.reason}`;
}

/** The tree's "Cost" detail row of a finished run. */
export function runCostRow(c: CostLine, pending: boolean): DetailRow {
  return { label: t('Cost'), value: runCostText(c, pending), icon: 'credit-card' };
}

/**
 * A run's numbers for Compare Runs, side by side with its request: status, duration (start → end), cost (or the
 * instance-hours and why there is no price; left out when cost is hidden), and the peak CPU and memory of its busiest
 * host (CPU summed over the cores, as CloudWatch reports it). `metrics` undefined: they could not be read (`why`).
 */
export function runNumbers(d: ProcessingJobDescriptionLike, o: { metrics?: MetricSeries[]; metricsError?: string; price?: PriceLookup; showCost: boolean; now: number }): Record<string, string> {
  const m = buildJobPage({ description: d, metrics: o.metrics ?? [], price: o.price, now: o.now });
  const out: Record<string, string> = { status: m.status };
  const duration = formatJobDuration(summaryFromDescription(d), m.running ? new Date(o.now) : undefined);
  out.duration = duration ? (m.running ? t('{0} so far', duration) : duration) : t('not started');
  if (o.showCost) out.cost = m.cost.kind === 'hoursOnly' ? `${m.cost.text} — ${m.cost.reason}` : m.cost.text;
  const peak = (pick: (h: (typeof m.hosts)[number]) => number | undefined): string => {
    if (o.metricsError) return o.metricsError;
    let best: { v: number; host: string } | undefined;
    for (const h of m.hosts) {
      const v = pick(h);
      if (v !== undefined && (!best || v > best.v)) best = { v, host: h.host.split('/').pop() ?? h.host };
    }
    return best ? `${best.v.toFixed(0)} % (${best.host})` : t('no samples');
  };
  out.peakCpu = peak((h) => h.cpuPeak);
  out.peakMemory = peak((h) => h.memoryPeak);
  return out;
}
