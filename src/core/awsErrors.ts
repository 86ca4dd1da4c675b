// What kind of failure an AWS call had, from what the SDK puts on its errors (the modelled exception's `name`,
// `$fault`, `$metadata.httpStatusCode`, a Node error's `code`). Pure: no SDK import (src/aws/errors.ts re-exports it for
// the wrappers, and the SDK stays in its lazily loaded bundle), so core's own decisions (a watched job that is gone, a
// job name already taken, a log call worth retrying) ask it too. Message text is read only where the service leaves no
// typed answer (SageMaker says "not found" and "already exists" as a ValidationException; credential providers throw
// plain errors).

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
const SERVER = new Set([
  'InternalFailure', 'InternalServerError', 'InternalServerException', 'InternalError', 'ServiceUnavailable',
  'ServiceUnavailableException', 'ServiceFailure',
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
  if ((status !== undefined && status >= 500) || e.$fault === 'server' || SERVER.has(name)) return info('server');
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
