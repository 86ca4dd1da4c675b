// The user-facing side of AWS failures: explainAwsError says each kind the one classifier (core/awsErrors.ts, re-exported
// here for the wrappers in src/aws) tells apart, through the translator.
import { t } from '../core/l10n';
import { classifyAwsError } from '../core/awsErrors';

export { classifyAwsError, isAlreadyExists, isNotFound, type AwsErrorInfo, type AwsErrorKind } from '../core/awsErrors';

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
