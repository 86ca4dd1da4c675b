// Instance metrics for the local SageMaker backend: while a job's containers run, their stats are sampled and put to
// moto's CloudWatch as SageMaker does for processing jobs — namespace /aws/sagemaker/ProcessingJobs, dimension
// Host = `<job>/algo-<n>`, metrics CPUUtilization (percent summed over cores, so above 100 % on several cores),
// MemoryUtilization and DiskUtilization (percent, 0–100), unit Percent.
// The sampling itself is the extension's (src/local/containerStats.ts, which local runs use for their page).
// Where it differs from AWS (README, "The local SageMaker backend"): samples come every `intervalMs` (default 1 s)
// instead of every minute, as high-resolution metrics; memory is the container's share of its memory limit (the
// host's memory when it has none); disk is the used share of the file system holding the job's working folder.
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { ContainerCli } from '../../../src/local/containerCli';
import { ContainerStatsSampler, type StatsSample } from '../../../src/local/containerStats';
import { METRIC_NAMESPACE, hostDimension } from '../../../src/core/jobPage/model';

export { percent, diskUtilization } from '../../../src/local/containerStats';

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

/** Samples until stopped; `stop()` resolves once the last put has finished. Counts what it put (for tests). */
export class MetricsSampler {
  private readonly sampler: ContainerStatsSampler;
  /** Data points put so far, per host. */
  readonly put = new Map<string, number>();

  constructor(private readonly o: MetricsSamplerOptions) {
    this.sampler = new ContainerStatsSampler({ cli: o.cli, containers: o.containers, diskPath: o.diskPath, intervalMs: o.intervalMs, onError: o.onError, onSamples: (s) => this.send(s) });
  }

  private async send(samples: StatsSample[]): Promise<void> {
    const data: MetricDatum[] = [];
    for (const s of samples) {
      const host = hostDimension(this.o.jobName, s.instance + 1);
      const datum = (MetricName: string, Value: number): MetricDatum => ({
        MetricName, Value, Unit: 'Percent', Timestamp: s.at, StorageResolution: 1, Dimensions: [{ Name: 'Host', Value: host }],
      });
      const before = data.length;
      if (s.cpu !== undefined) data.push(datum('CPUUtilization', s.cpu));
      if (s.memory !== undefined) data.push(datum('MemoryUtilization', s.memory));
      if (s.disk !== undefined) data.push(datum('DiskUtilization', s.disk));
      this.put.set(host, (this.put.get(host) ?? 0) + (data.length - before));
    }
    if (data.length) await this.o.client.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: data }));
  }

  stop(): Promise<void> {
    return this.sampler.stop();
  }
}
