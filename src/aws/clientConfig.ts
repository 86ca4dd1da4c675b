import type { AwsTarget } from '../core/settings';

export type ServiceId = 'sagemaker' | 's3' | 'logs' | 'ecr' | 'sts' | 'scheduler' | 'iam' | 'cloudwatch' | 'pricing';

/** The part of every SDK v3 client's configuration that comes from the user's target. */
export interface BaseClientConfig {
  region?: string;
  profile?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
  /** NodeHttpHandler options: the SDK builds its handler from them. */
  requestHandler: { connectionTimeout: number; socketTimeout: number };
}

/**
 * Timeouts of every AWS client, so a stalled connection fails (and the SDK retries it, then the caller's own loop)
 * instead of hanging `logs --follow` or `run --wait` silently:
 * - connect: 10 s to establish the TCP/TLS connection (env SMP_AWS_CONNECT_TIMEOUT_MS);
 * - socket: 60 s without a byte in either direction on a request's socket (env SMP_AWS_SOCKET_TIMEOUT_MS). An idle
 *   limit rather than a total one, so a large upload or download that keeps moving is never cut.
 */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_SOCKET_TIMEOUT_MS = 60_000;

function msFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : fallback;
}

function clientTimeouts(): { connectionTimeout: number; socketTimeout: number } {
  return {
    connectionTimeout: msFromEnv('SMP_AWS_CONNECT_TIMEOUT_MS', DEFAULT_CONNECT_TIMEOUT_MS),
    socketTimeout: msFromEnv('SMP_AWS_SOCKET_TIMEOUT_MS', DEFAULT_SOCKET_TIMEOUT_MS),
  };
}

/**
 * Client configuration for one service. The SDK itself reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>,
 * the profile's region and the default credential chain; an explicit endpoint setting wins over them.
 */
export function clientConfig(target: AwsTarget, service: ServiceId): BaseClientConfig {
  const cfg: BaseClientConfig = { maxAttempts: 5, requestHandler: clientTimeouts() };
  if (target.region) cfg.region = target.region;
  if (target.profile) cfg.profile = target.profile;
  if (target.endpointUrl) cfg.endpoint = target.endpointUrl;
  const customEndpoint = target.endpointUrl || process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3;
  if (service === 's3' && customEndpoint) cfg.forcePathStyle = true;
  return cfg;
}
