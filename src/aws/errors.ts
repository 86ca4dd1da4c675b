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
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? '';
  const msg = e?.message ?? String(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(msg) && /load|missing|resolve/i.test(msg)) {
    return `No AWS credentials found. Choose a profile (${o.cli ? '--profile or AWS_PROFILE' : 'SageMaker Processing: Switch AWS Profile…'}), run \`aws configure\` or \`aws sso login\`, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  }
  if (/ExpiredToken|TokenRefreshRequired|token.*expired|SSO session.*expired/i.test(name + ' ' + msg)) {
    return 'Your AWS credentials have expired. Refresh them (e.g. `aws sso login`) and try again.';
  }
  if (/Region is missing/i.test(msg)) {
    return `No AWS region is set. Choose one with ${o.cli ? '--region' : '"SageMaker Processing: Switch AWS Region…"'} or set AWS_REGION.`;
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException') return `AWS is throttling requests (${name}); retrying shortly.`;
  if (e?.$metadata?.httpStatusCode && e.$metadata.httpStatusCode >= 500) return `AWS service error (${e.$metadata.httpStatusCode}): ${msg}`;
  if (name === 'TimeoutError') {
    return `The AWS endpoint did not answer in time, even after retries (${msg.replace(/^@smithy\/node-http-handler - /, '')}). Check the network or the endpoint URL setting; SMP_AWS_CONNECT_TIMEOUT_MS and SMP_AWS_SOCKET_TIMEOUT_MS set the timeouts.`;
  }
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|socket hang up/i.test(msg + ' ' + (e?.code ?? ''))) {
    return `Cannot reach the AWS endpoint (${e?.code ?? msg}). Check the network or ${o.cli ? '--endpoint-url' : 'the endpoint URL setting'}.`;
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || /not authorized/i.test(msg)) {
    return `Access denied: ${msg}`;
  }
  return name && !msg.startsWith(name) ? `${name}: ${msg}` : msg;
}

export function isCredentialsError(err: unknown): boolean {
  return explainAwsError(err).startsWith('No AWS credentials') || explainAwsError(err).includes('expired');
}
