import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsTarget } from '../core/settings';
import { clientConfig } from './clientConfig';
import { METRIC_NAMES, METRIC_NAMESPACE, hostDimension, type MetricName, type MetricSeries } from '../core/jobPage/model';

/** Thin typed wrapper over CloudWatch GetMetricData, for a processing job's instance metrics. */
export class CloudWatchApi {
  readonly client: CloudWatchClient;
  constructor(target: AwsTarget) {
    this.client = new CloudWatchClient(clientConfig(target, 'cloudwatch'));
  }

  /**
   * CPU, memory and disk utilisation of each of the job's instances (`<job>/algo-1` … `algo-<count>`) between `start`
   * and `end`, at `periodSeconds` (SageMaker publishes them every minute; the local backend more often). Every page.
   */
  async jobMetrics(jobName: string, instanceCount: number, start: Date, end: Date, periodSeconds = 60, signal?: AbortSignal): Promise<MetricSeries[]> {
    const queries: MetricDataQuery[] = [];
    const keys = new Map<string, { host: string; metric: MetricName }>();
    for (let n = 1; n <= instanceCount; n++) {
      for (const [i, metric] of METRIC_NAMES.entries()) {
        const id = `m${n}_${i}`;
        const host = hostDimension(jobName, n);
        keys.set(id, { host, metric });
        queries.push({ Id: id, ReturnData: true, MetricStat: { Metric: { Namespace: METRIC_NAMESPACE, MetricName: metric, Dimensions: [{ Name: 'Host', Value: host }] }, Period: periodSeconds, Stat: 'Average' } });
      }
    }
    const out = new Map<string, { t: number[]; v: number[] }>();
    // GetMetricData takes at most 500 queries a call.
    for (let i = 0; i < queries.length; i += 500) {
      let token: string | undefined;
      do {
        const r = await this.client.send(new GetMetricDataCommand({ MetricDataQueries: queries.slice(i, i + 500), StartTime: start, EndTime: end, ScanBy: 'TimestampAscending', NextToken: token }), { abortSignal: signal });
        for (const res of r.MetricDataResults ?? []) {
          const acc = out.get(res.Id ?? '') ?? { t: [], v: [] };
          (res.Timestamps ?? []).forEach((ts, k) => {
            acc.t.push(new Date(ts).getTime());
            acc.v.push(res.Values?.[k] ?? NaN);
          });
          out.set(res.Id ?? '', acc);
        }
        token = r.NextToken;
      } while (token);
    }
    const series: MetricSeries[] = [];
    for (const [id, { host, metric }] of keys) {
      const acc = out.get(id);
      if (!acc?.t.length) continue;
      // Oldest first whatever order the service used.
      const order = acc.t.map((_x, k) => k).sort((a, b) => acc.t[a] - acc.t[b]);
      series.push({ host, metric, timestamps: order.map((k) => acc.t[k]), values: order.map((k) => acc.v[k]) });
    }
    return series;
  }

  destroy(): void {
    this.client.destroy();
  }
}
