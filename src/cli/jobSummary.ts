// `describe <name> --summary`: the job page's facts as text (src/core/jobPage/model.ts), with the instance metrics
// from CloudWatch and the on-demand price from the Price List API; what cannot be read is said, never guessed.
import type { AwsClients } from '../aws/index';
import { loadSdkPage } from '../aws/index';
import { explainAwsError } from '../aws/errors';
import type { ProcessingJobDescriptionLike } from '../core/jobDetails';
import { buildJobPage, jobPageText, type MetricSeries } from '../core/jobPage/model';
import type { PriceLookup } from '../core/jobPage/pricing';
import { t } from '../core/l10n';

export async function jobSummaryLines(aws: AwsClients, d: ProcessingJobDescriptionLike, o: { showCost: boolean }): Promise<string[]> {
  const notes: string[] = [];
  let series: MetricSeries[] = [];
  if (d.ProcessingStartTime && d.ProcessingJobName) {
    const start = new Date(new Date(d.ProcessingStartTime).getTime() - 60_000);
    const end = new Date((d.ProcessingEndTime ? new Date(d.ProcessingEndTime).getTime() : Date.now()) + 120_000);
    try {
      series = await (await aws.cloudwatch()).jobMetrics(d.ProcessingJobName, d.ProcessingResources?.ClusterConfig?.InstanceCount ?? 1, start, end, Date.now() - start.getTime() < 3 * 3600_000 ? 1 : 60);
    } catch (err) {
      notes.push(t('Could not read the instance metrics: {0}', explainAwsError(err)));
    }
  }
  let price: PriceLookup | undefined;
  const type = d.ProcessingResources?.ClusterConfig?.InstanceType;
  const region = aws.current.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || (d.ProcessingJobArn ?? '').split(':')[3];
  if (o.showCost && type && region) {
    const { lookupProcessingPrice } = await loadSdkPage();
    price = await lookupProcessingPrice(await aws.pricing(), region, type);
  }
  return [...jobPageText(buildJobPage({ description: d, metrics: series, price, now: Date.now() }), o), ...notes];
}
