// Instance metrics of a run's containers, sampled from the container engine (`docker stats --no-stream`) every
// `intervalMs`, per instance (algo-1 … algo-N), as SageMaker reports them for processing jobs: CPUUtilization (percent
// summed over the cores, so above 100 % on several), MemoryUtilization (percent of the container's memory limit, the
// host's memory when it has none) and DiskUtilization (percent used of the file system holding the run's storage).
// Local runs keep the samples for their job page (src/ui/localJobs.ts); the local SageMaker backend puts them to
// CloudWatch (test/support/localSageMaker/metrics.ts). Where it differs from AWS: samples come every few seconds, not
// every minute, and GPU metrics are not sampled.
import * as fs from 'node:fs';
import type { ContainerCli } from './containerCli';
import { hostDimension, type MetricName, type MetricSeries } from '../core/jobPage/model';

/** `12.5%` → 12.5 (docker stats' percentages). */
export function percent(text: unknown): number | undefined {
  const m = /^\s*([\d.]+)\s*%\s*$/.exec(String(text ?? ''));
  return m ? Number(m[1]) : undefined;
}

export function diskUtilization(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.blocks > 0 ? ((s.blocks - s.bfree) / s.blocks) * 100 : undefined;
  } catch {
    return undefined;
  }
}

/** One instance's sample: its index among the containers (0 = algo-1) and the percentages that were readable. */
export interface StatsSample {
  instance: number;
  at: Date;
  cpu?: number;
  memory?: number;
  disk?: number;
}

/** The samples in `docker stats --format '{{json .}}'` output, for the named containers (others and bad lines skipped). */
export function parseStats(stdout: string, containers: readonly string[], at: Date, disk: number | undefined): StatsSample[] {
  const out: StatsSample[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let s: { Name?: string; CPUPerc?: string; MemPerc?: string; PIDs?: string };
    try {
      s = JSON.parse(line);
    } catch {
      continue;
    }
    const n = containers.indexOf(s.Name ?? '');
    if (n < 0) continue;
    // A container that has exited still has a stats line, all zeros and no process: not a reading of the instance.
    if (s.PIDs !== undefined && String(s.PIDs).trim() === '0') continue;
    out.push({ instance: n, at, cpu: percent(s.CPUPerc), memory: percent(s.MemPerc), disk });
  }
  return out;
}

export interface StatsSamplerOptions {
  cli: ContainerCli;
  /** The run's containers, in host order (algo-1 first). */
  containers: string[];
  /** A folder on the file system the run's storage lives on (DiskUtilization). */
  diskPath: string;
  intervalMs?: number;
  onSamples: (samples: StatsSample[]) => void | Promise<void>;
  onError?: (err: unknown) => void;
}

/** Samples until stopped; `stop()` resolves once the last sample was handled. */
export class ContainerStatsSampler {
  private stopped = false;
  private readonly loop: Promise<void>;
  private wake?: () => void;

  constructor(private readonly o: StatsSamplerOptions) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const interval = this.o.intervalMs ?? 1000;
    while (!this.stopped) {
      const began = Date.now();
      try {
        // One `stats` call for every container; containers not started yet (or gone) make it fail: nothing to report.
        const r = await this.o.cli.exec(['stats', '--no-stream', '--format', '{{json .}}', ...this.o.containers], { allowFailure: true });
        const samples = parseStats(r.stdout, this.o.containers, new Date(), diskUtilization(this.o.diskPath));
        if (samples.length) await this.o.onSamples(samples);
      } catch (err) {
        if (!this.stopped) this.o.onError?.(err);
      }
      const left = interval - (Date.now() - began);
      if (left > 0 && !this.stopped) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, left);
          this.wake = () => {
            clearTimeout(timer);
            r();
          };
        });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }
}

/**
 * Adds samples to a run's series (one per host and metric, as CloudWatch's GetMetricData gives them to the job page),
 * keeping the newest `cap` points of each.
 */
export function addSamples(series: MetricSeries[], jobName: string, samples: readonly StatsSample[], cap = 3600): void {
  const add = (host: string, metric: MetricName, at: number, v: number | undefined) => {
    if (v === undefined || !Number.isFinite(v)) return;
    let s = series.find((x) => x.host === host && x.metric === metric);
    if (!s) series.push((s = { host, metric, timestamps: [], values: [] }));
    s.timestamps.push(at);
    s.values.push(v);
    if (s.values.length > cap) {
      s.timestamps.splice(0, s.values.length - cap);
      s.values.splice(0, s.values.length - cap);
    }
  };
  for (const x of samples) {
    const host = hostDimension(jobName, x.instance + 1);
    const at = x.at.getTime();
    add(host, 'CPUUtilization', at, x.cpu);
    add(host, 'MemoryUtilization', at, x.memory);
    add(host, 'DiskUtilization', at, x.disk);
  }
}
