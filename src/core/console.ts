import { consoleUrl } from './jobItem';
import { t } from './l10n';

/**
 * The endpoint SageMaker calls go to when it is not AWS's own: the endpoint setting, else AWS_ENDPOINT_URL_SAGEMAKER
 * or AWS_ENDPOINT_URL. AWS hosts (VPC endpoints, FIPS, China) count as AWS. undefined: the real AWS.
 */
export function customEndpoint(settingUrl: string | undefined, env: Record<string, string | undefined>): string | undefined {
  const url = settingUrl?.trim() || env.AWS_ENDPOINT_URL_SAGEMAKER?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
  return /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/.test(host) ? undefined : url;
}

/** Where "Open in AWS Console" goes: the console page, or why there is none (the job lives at a custom endpoint). */
export function consoleTarget(jobName: string, region: string, arn: string | undefined, endpoint: string | undefined): { url: string } | { reason: string } {
  if (endpoint) {
    return { reason: t('{0} lives at the custom endpoint {1} (the sagemakerProcessing.endpointUrl setting or AWS_ENDPOINT_URL), not in AWS: the AWS console cannot show it.', jobName, endpoint) };
  }
  return { url: consoleUrl(jobName, region, arn) };
}
