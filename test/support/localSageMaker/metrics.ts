// Instance metrics for the local SageMaker backend: while a job's containers run, their stats are sampled and put to
// moto's CloudWatch as SageMaker does for processing jobs — namespace /aws/sagemaker/ProcessingJobs, dimension
// Host = `<job>/algo-<n>`, metrics CPUUtilization (percent summed over cores, so above 100 % on several cores),
// MemoryUtilization and DiskUtilization (percent, 0–100), unit Percent.
// Where it differs from AWS (README, "The local SageMaker backend"): samples come every `intervalMs` (default 1 s)
// instead of every minute, as high-resolution metrics; memory is the container's share of its memory limit (the
// host's memory when it has none); disk is the used share of the file system holding the job's working folder.
import * as fs from 'node:fs';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { ContainerCli } from '../../../src/local/containerCli';
import { METRIC_NAMESPACE, hostDimension } from '../../../src/core/jobPage/model';

export interface MetricsSamplerOptions {
  client: CloudWatchClient;
  cli: ContainerCli;
  jobName: string;
  /** The run's containers, in host order (algo-1 first). */
  containers: string[];
  /** A folder on the file system the job's storage lives on (DiskUtilization). */
  diskPath: string;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

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

/** Samples until stopped; `stop()` resolves once the last put has finished. Counts what it put (for tests). */
export class MetricsSampler {
  private stopped = false;
  private readonly loop: Promise<void>;
  private wake?: () => void;
  /** Data points put so far, per host. */
  readonly put = new Map<string, number>();

  constructor(private readonly o: MetricsSamplerOptions) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const interval = this.o.intervalMs ?? 1000;
    while (!this.stopped) {
      const began = Date.now();
      try {
        await this.sample();
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

  private async sample(): Promise<void> {
    // One `stats` call for every container; containers not started yet (or gone) make it fail: nothing to report.
    const r = await this.o.cli.exec(['stats', '--no-stream', '--format', '{{json .}}', ...this.o.containers], { allowFailure: true });
    const at = new Date();
    const disk = diskUtilization(this.o.diskPath);
    const data: MetricDatum[] = [];
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      let s: { Name?: string; CPUPerc?: string; MemPerc?: string };
      try {
        s = JSON.parse(line);
      } catch {
        continue;
      }
      const n = this.o.containers.indexOf(s.Name ?? '');
      if (n < 0) continue;
      const host = hostDimension(this.o.jobName, n + 1);
      const cpu = percent(s.CPUPerc);
      const mem = percent(s.MemPerc);
      const datum = (MetricName: string, Value: number): MetricDatum => ({
        MetricName, Value, Unit: 'Percent', Timestamp: at, StorageResolution: 1, Dimensions: [{ Name: 'Host', Value: host }],
      });
      const before = data.length;
      if (cpu !== undefined) data.push(datum('CPUUtilization', cpu));
      if (mem !== undefined) data.push(datum('MemoryUtilization', mem));
      if (disk !== undefined) data.push(datum('DiskUtilization', disk));
      this.put.set(host, (this.put.get(host) ?? 0) + (data.length - before));
    }
    if (data.length) await this.o.client.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: data }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }
}
