// The one place that tells what an AWS failure is. Every wrapper in src/aws and every caller asks `classifyAwsError`
// instead of matching error names or message text itself. It reads what the SDK puts on its errors (the modelled
// exception's `name`, `$fault`, `$metadata.httpStatusCode`, a Node error's `code`), so it needs no SDK import and stays
// out of the lazily loaded SDK bundle. Message text is read only where the service leaves no typed answer (SageMaker
// says "not found" and "already exists" as a ValidationException, credential providers throw plain errors).
import { t } from '../core/l10n';

export type AwsErrorKind =
  | 'notFound' | 'alreadyExists' | 'throttled' | 'accessDenied' | 'credentials' | 'expired' | 'noRegion'
  | 'network' | 'timeout' | 'aborted' | 'validation' | 'server' | 'other';

export interface AwsErrorInfo {
  kind: AwsErrorKind;
  /** The exception's name (e.g. ResourceNotFound, ThrottlingException), '' when it has none. */
  name: string;
  message: string;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** A Node system error code (ECONNREFUSED…), when there is one. */
  code?: string;
  /** Worth trying again later (throttled, server fault, timeout, network). */
  retryable: boolean;
}

const NOT_FOUND = new Set([
  'ResourceNotFound', 'ResourceNotFoundException', 'NotFound', 'NotFoundException', 'NoSuchKey', 'NoSuchBucket',
  'NoSuchEntity', 'NoSuchEntityException', 'RepositoryNotFoundException', 'ImageNotFoundException',
]);
const ALREADY_EXISTS = new Set([
  'ResourceInUse', 'ResourceInUseException', 'RepositoryAlreadyExistsException', 'EntityAlreadyExists',
  'EntityAlreadyExistsException', 'ConflictException', 'BucketAlreadyOwnedByYou', 'ResourceAlreadyExistsException',
]);
const THROTTLED = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'SlowDown',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException',
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'InvalidSignatureException',
]);
const VALIDATION = new Set([
  'ValidationException', 'ValidationError', 'InvalidParameterException', 'InvalidParameterValueException',
  'InvalidParameterCombination', 'InvalidRequestException', 'InvalidArgument', 'MissingParameter', 'SerializationException',
]);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|socket hang up/i;

/** What kind of failure `err` is; anything (an SDK exception, a Node error, a string) gets an answer. */
export function classifyAwsError(err: unknown): AwsErrorInfo {
  const e = (err && typeof err === 'object' ? err : {}) as {
    name?: unknown; message?: unknown; code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number };
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const info = (kind: AwsErrorKind): AwsErrorInfo => ({
    kind, name, message, status, code, retryable: kind === 'throttled' || kind === 'server' || kind === 'timeout' || kind === 'network',
  });

  if (name === 'AbortError' || code === 'ABORT_ERR') return info('aborted');
  if (name === 'CredentialsProviderError' || (/Could not load credentials|credential/i.test(message) && /load|missing|resolve/i.test(message))) return info('credentials');
  if (/ExpiredToken|TokenRefreshRequired|token.*expired|SSO session.*expired/i.test(`${name} ${message}`)) return info('expired');
  if (/Region is missing/i.test(message)) return info('noRegion');
  if (THROTTLED.has(name) || status === 429) return info('throttled');
  if ((status !== undefined && status >= 500) || e.$fault === 'server') return info('server');
  if (TIMEOUT.has(name)) return info('timeout');
  if (NETWORK.test(`${message} ${code ?? ''}`)) return info('network');
  if (ACCESS_DENIED.has(name) || /not authorized/i.test(message)) return info('accessDenied');
  // SageMaker answers both "no such job" and "name taken" with a ValidationException; only its text tells which.
  if (ALREADY_EXISTS.has(name) || (VALIDATION.has(name) && /already exists|must be unique/i.test(message))) return info('alreadyExists');
  if (NOT_FOUND.has(name) || (VALIDATION.has(name) && /could not find|not found|does not exist/i.test(message))) return info('notFound');
  if (status === 404 && e.$fault !== 'server') return info('notFound');
  if (VALIDATION.has(name)) return info('validation');
  return info('other');
}

/** Shorthands for the questions the wrappers ask. */
export const isNotFound = (err: unknown): boolean => classifyAwsError(err).kind === 'notFound';
export const isAlreadyExists = (err: unknown): boolean => classifyAwsError(err).kind === 'alreadyExists';

/**
 * One clear, user-facing message for the failures every AWS call can hit, followed by what a failed submission did
 * with the objects it uploaded (`uploadNote`, set by core/submit), when it says.
 */
export function explainAwsError(err: unknown, o: { cli?: boolean } = {}): string {
  const base = explainOnly(err, o);
  const uploadNote = (err as { uploadNote?: unknown } | undefined)?.uploadNote;
  return typeof uploadNote === 'string' && uploadNote ? `${base} ${uploadNote}` : base;
}

function explainOnly(err: unknown, o: { cli?: boolean }): string {
  const c = classifyAwsError(err);
  const { name, message: msg } = c;
  switch (c.kind) {
    case 'credentials':
      return o.cli
        ? t('No AWS credentials found. Choose a profile (--profile or AWS_PROFILE), run `aws configure` or `aws sso login`, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.')
        : t('No AWS credentials found. Choose a profile (SageMaker Processing: Switch AWS Profile…), run `aws configure` or `aws sso login`, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.');
    case 'expired':
      return t('Your AWS credentials have expired. Refresh them (e.g. `aws sso login`) and try again.');
    case 'noRegion':
      return o.cli
        ? t('No AWS region is set. Choose one with --region or set AWS_REGION.')
        : t('No AWS region is set. Choose one with "SageMaker Processing: Switch AWS Region…" or set AWS_REGION.');
    case 'throttled':
      return t('AWS is throttling requests ({0}); retrying shortly.', name || String(c.status ?? ''));
    case 'server':
      if (c.status !== undefined && c.status >= 500) return t('AWS service error ({0}): {1}', c.status, msg);
      break;
    case 'timeout':
      if (name === 'TimeoutError') {
        return t('The AWS endpoint did not answer in time, even after retries ({0}). Check the network or the endpoint URL setting; SMP_AWS_CONNECT_TIMEOUT_MS and SMP_AWS_SOCKET_TIMEOUT_MS set the timeouts.', msg.replace(/^@smithy\/node-http-handler - /, ''));
      }
      break;
    case 'network':
      return o.cli
        ? t('Cannot reach the AWS endpoint ({0}). Check the network or --endpoint-url.', c.code ?? msg)
        : t('Cannot reach the AWS endpoint ({0}). Check the network or the endpoint URL setting.', c.code ?? msg);
    case 'accessDenied':
      return t('Access denied: {0}', msg);
    default:
      break;
  }
  return name && !msg.startsWith(name) ? `${name}: ${msg}` : msg;
}

/** The user must sign in again or choose another profile (no credentials, or expired ones). */
export function isCredentialsError(err: unknown): boolean {
  const k = classifyAwsError(err).kind;
  return k === 'credentials' || k === 'expired';
}
