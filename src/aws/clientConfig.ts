import type { AwsTarget } from '../core/settings';

export type ServiceId = 'sagemaker' | 's3' | 'logs' | 'ecr' | 'sts' | 'iam';

/** The part of every SDK v3 client's configuration that comes from the user's target. */
export interface BaseClientConfig {
  region?: string;
  profile?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
}

/**
 * Client configuration for one service. The SDK itself reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>,
 * the profile's region and the default credential chain; an explicit endpoint setting wins over them.
 */
export function clientConfig(target: AwsTarget, service: ServiceId): BaseClientConfig {
  const cfg: BaseClientConfig = { maxAttempts: 5 };
  if (target.region) cfg.region = target.region;
  if (target.profile) cfg.profile = target.profile;
  if (target.endpointUrl) cfg.endpoint = target.endpointUrl;
  const customEndpoint = target.endpointUrl || process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3;
  if (service === 's3' && customEndpoint) cfg.forcePathStyle = true;
  return cfg;
}
