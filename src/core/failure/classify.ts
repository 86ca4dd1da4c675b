// What a failed (or stopped) job's status reason means, in plain words: the kind of failure (the script's own error,
// or a problem with the job's setup: image, role, S3, capacity, limits; SageMaker's own), what it usually means and
// what to check. Read from FailureReason/ExitMessage text as SageMaker writes it (this is the status reason, not an API
// error: core/awsErrors classifies those by their code).
import { t } from '../l10n';

export type FailureKind =
  | 'stopped' | 'imagePull' | 'role' | 's3Input' | 's3Output' | 'capacity' | 'limit' | 'internal' | 'oom' | 'killed'
  | 'exit' | 'algorithm' | 'client' | 'unknown';

/** AlgorithmError: the container (the script) failed; ClientError: the job's setup; InternalServerError: SageMaker's. */
export type FailureCategory = 'AlgorithmError' | 'ClientError' | 'InternalServerError' | 'Stopped' | 'Unknown';

export interface FailureClass {
  kind: FailureKind;
  category: FailureCategory;
  /** A short title: "Out of memory (exit code 137)". */
  title: string;
  /** What it usually means. */
  meaning: string;
  /** What to check. */
  check: string;
  exitCode?: number;
}

export interface StatusReason {
  status: string;
  failureReason?: string;
  exitMessage?: string;
  /** When known otherwise (a local run's record). */
  exitCode?: number;
}

/** `exit code: 137`, `exited with code 1`, `(exit code 137, SIGKILL)`. */
export function exitCodeFrom(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /exit(?:ed)?(?: with)? code:?\s*(\d{1,3})\b/i.exec(text) ?? /\bexit status\s*(\d{1,3})\b/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

function categoryOf(reason: string): FailureCategory | undefined {
  if (/^\s*AlgorithmError\b/i.test(reason)) return 'AlgorithmError';
  if (/^\s*ClientError\b/i.test(reason)) return 'ClientError';
  if (/^\s*InternalServerError\b/i.test(reason)) return 'InternalServerError';
  return undefined;
}

/** The kind of a failure, from its status, reason text and exit code. */
export function classifyFailure(s: StatusReason): FailureClass {
  const reason = s.failureReason ?? '';
  const exitCode = s.exitCode ?? exitCodeFrom(reason);
  const cat = categoryOf(reason);
  const mk = (kind: FailureKind, category: FailureCategory, title: string, meaning: string, check: string): FailureClass =>
    ({ kind, category, title, meaning, check, ...(exitCode !== undefined ? { exitCode } : {}) });
  if (s.status === 'Stopped') {
    return mk('stopped', 'Stopped', t('Stopped'), t('Someone (or something, such as a pipeline or the job\'s maximum runtime) stopped the job before it finished.'),
      t('If nobody stopped it, check the job\'s maximum runtime (MaxRuntimeInSeconds) and whatever submitted it.'));
  }
  // An AlgorithmError is the script's: its text (which may quote the script's own output) says nothing about setup.
  const setup = cat !== 'AlgorithmError';
  if (setup && /CannotPullContainerError|Requested image .* not found|Cannot pull the image|pull access denied|manifest unknown|could not be pulled|ImagePull|not available locally/i.test(reason)) {
    return mk('imagePull', 'ClientError', t('The image could not be pulled'), t('SageMaker could not pull the job\'s container image: the image or tag does not exist, it is in another region or account, or the role may not read it.'),
      t('Check the image URI and tag (is it pushed?), that the repository is in the job\'s region, and that the role can call ecr:GetAuthorizationToken and ecr:BatchGetImage on it.'));
  }
  // An output's upload failure can name the bucket's error (NoSuchBucket) too: outputs first.
  if (setup && /s3:PutObject|upload(?:ing)? (?:the )?outputs?|output (?:path|location|data)|not writable|Failed to upload/i.test(reason)) {
    return mk('s3Output', 'ClientError', t('An output could not be written to S3'), t('SageMaker could not upload an output: the bucket does not exist, is in another region, or the role may not write to it.'),
      t('Check each output\'s S3 destination and that the role has s3:PutObject on it (and kms:GenerateDataKey when the bucket is encrypted with a KMS key).'));
  }
  if (setup && /No S3 objects found|S3 URL|input data source|NoSuchBucket|NoSuchKey|s3:ListBucket|s3:GetObject|S3 input/i.test(reason)) {
    return mk('s3Input', 'ClientError', t('An S3 input is missing or not readable'), t('An input\'s S3 location has no objects, the bucket does not exist in the job\'s region, or the role may not list or read it.'),
      t('Check the input\'s S3 URI (bucket, prefix and region) and that the role has s3:ListBucket and s3:GetObject on it.'));
  }
  if (setup && /AccessDenied|not authorized|assume (?:the )?role|iam:PassRole|is not allowed to|permission/i.test(reason)) {
    return mk('role', 'ClientError', t('The role is missing a permission'), t('The job\'s IAM role could not be assumed by SageMaker, or it lacks a permission the job needs.'),
      t('Check that the role trusts sagemaker.amazonaws.com and allows what the job does (S3, ECR, CloudWatch Logs, KMS); the reason names the action that was refused.'));
  }
  if (setup && /InsufficientInstanceCapacity|insufficient capacity|capacity (?:is )?(?:not )?available|CapacityError/i.test(reason)) {
    return mk('capacity', 'ClientError', t('No capacity for the instance type'), t('AWS had no free instances of this type in the region when the job started. Nothing is wrong with the job itself.'),
      t('Try again later, or choose another instance type or region.'));
  }
  if (setup && /ResourceLimitExceeded|resource limit|service quota|quota|limit (?:of|for) .* exceeded|account-level service limit/i.test(reason)) {
    return mk('limit', 'ClientError', t('An account limit was reached'), t('The account\'s quota for this instance type (for processing job usage) or for concurrent jobs is used up.'),
      t('Wait for other jobs to end, use a smaller or other instance type, or ask for a higher quota in Service Quotas.'));
  }
  if (cat === 'InternalServerError' || /internal (?:server )?error|InternalFailure/i.test(reason)) {
    return mk('internal', 'InternalServerError', t('SageMaker had an internal error'), t('The job failed on SageMaker\'s side, not because of the script or its setup.'),
      t('Run it again; if it keeps failing, contact AWS Support with the job\'s ARN.'));
  }
  if (exitCode === 137 || /OutOfMemory|out of memory|\bOOM\b|MemoryError/i.test(reason + '\n' + (s.exitMessage ?? ''))) {
    return mk('oom', 'AlgorithmError', t('Killed: most likely out of memory (exit code 137)'), t('The container was killed with SIGKILL, which on SageMaker almost always means it used more memory than the instance has.'),
      t('Use an instance type with more memory, read the data in chunks, or free memory earlier; the last log lines show how far it got.'));
  }
  if (exitCode !== undefined && exitCode > 128 && exitCode < 160) {
    return mk('killed', 'AlgorithmError', t('The container was ended by signal {0} (exit code {1})', exitCode - 128, exitCode), t('The script did not exit by itself: a signal ended it (143 is SIGTERM, sent when a job is stopped or runs out of time).'),
      t('Check the job\'s maximum runtime and whether something stopped it; the last log lines show how far it got.'));
  }
  if (cat === 'AlgorithmError' || (exitCode !== undefined && exitCode !== 0)) {
    return mk(exitCode !== undefined ? 'exit' : 'algorithm', 'AlgorithmError',
      exitCode !== undefined ? t('The script failed (exit code {0})', exitCode) : t('The script failed'),
      t('The job\'s own code raised an error or exited with a non-zero code; SageMaker itself worked.'),
      t('Read the last traceback below (or the last lines of the log): it names the failing line.'));
  }
  if (cat === 'ClientError') {
    return mk('client', 'ClientError', t('The job\'s setup was refused'), t('SageMaker could not start or finish the job because of how it is set up (image, role, inputs, outputs or resources).'),
      t('Read the failure reason: it names the part of the request at fault.'));
  }
  return mk('unknown', 'Unknown', t('The job failed'), t('SageMaker gave no reason that says more.'), t('Look at the job\'s logs.'));
}
