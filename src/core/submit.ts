import type { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { confinePaths, localPathRefs } from './definition/confine';
import { nodeFileSystem, packSourceDirStream, type FileSystemPort } from './definition/files';
import { BUCKET_NAME, ROLE_ARN } from './definition/limits';
import { locate } from './definition/parse';
import { buildRequest, planUploads, type PlannedUpload, type ProcessingJobRequest } from './definition/request';
import { checkDefinitionText, defaultBucketName, resolveJob, type ResolveContext } from './definition/resolve';
import { workspaceSdkPin } from './definition/sdkVersion';
import { DefinitionError, type DefinitionFile, type DefinitionProblem, type ResolvedJob, type SdkVersion } from './definition/types';
import { chooseJob } from './jobChoice';
import type { ProcessingJobDescriptionLike } from './jobDetails';
import { rerunRequest } from './jobToDefinition';
import { t } from './l10n';
import { missingImageMessage, parseEcrImageUri, type EcrImageRef, type EcrImageState } from './build/spec';
import { classifyAwsError } from './awsErrors';

/** SageMaker's job name pattern. */
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** The AWS calls a submission needs (implemented over src/aws by the extension and the CLI; real services in tests). */
export interface SubmitPorts {
  region(): Promise<string>;
  account(): Promise<string>;
  ensureBucket(bucket: string, region: string, opts?: { expectedOwner?: string; prefix?: string }): Promise<boolean>;
  upload(bucket: string, key: string, body: Buffer | string | { file: string } | { stream: Readable }, opts: { onProgress?: (loaded: number, total?: number) => void; signal?: AbortSignal } & Pick<PlannedUpload, 'sse' | 'expectedBucketOwner'>): Promise<unknown>;
  createProcessingJob(req: ProcessingJobRequest): Promise<string>;
  /** Whether an ECR image exists (DescribeImages); reported before anything is uploaded. */
  checkImage?(ref: EcrImageRef): Promise<EcrImageState>;
  /** A role given by name → its ARN (IAM GetRole, like the SDK's expand_role). */
  expandRole?(roleName: string): Promise<string>;
  /**
   * The job of that name as DescribeProcessingJob shows it, or undefined when there is none. Used after a Create whose
   * outcome is unknown (a lost response, then `ResourceInUse` on the SDK's retry) to tell whether the job is ours.
   */
  describeProcessingJob?(name: string): Promise<ExistingJob | undefined>;
  /** Deletes objects this attempt uploaded (DeleteObjects); resolves with the keys that could not be deleted. */
  deleteObjects?(bucket: string, keys: string[]): Promise<string[]>;
}

/** The fields of a DescribeProcessingJob answer that tell whether an existing job is the one we just tried to create. */
export interface ExistingJob {
  ProcessingJobArn?: string;
  ProcessingJobName?: string;
  CreationTime?: Date;
  RoleArn?: string;
  AppSpecification?: { ImageUri?: string; ContainerEntrypoint?: string[]; ContainerArguments?: string[] };
  ProcessingInputs?: { InputName?: string; S3Input?: { S3Uri?: string } }[];
}

/** How many uploads run at once (the SDK uploads one file after the other). */
export const UPLOAD_CONCURRENCY = 8;

export interface PrepareOptions {
  /** The definition file's text and (for messages) its path. */
  definitionText: string;
  definitionFile?: string;
  workspaceFolder: string;
  /** The job to run; else the one whose script is `scriptPath` (several → `pick`). */
  jobKey?: string;
  scriptPath?: string;
  pick?: (keys: string[]) => Promise<string | undefined>;
  defaultRoleArn?: string;
  /** Where defaultRoleArn comes from, named in its error (default: the sagemakerProcessing.defaultRoleArn setting). */
  defaultRoleSource?: string;
  /** Where else a role can be given, for the "no role" message (default: the VS Code setting). */
  roleHint?: string;
  /** The defaultBucket setting (empty: sagemaker-<region>-<account>). */
  defaultBucket?: string;
  /** Where defaultBucket comes from, named in its error (default: the sagemakerProcessing.defaultBucket setting). */
  defaultBucketSource?: string;
  /** The user's opt-in to local paths outside the workspace folder (setting or CLI flag; default off). */
  allowOutsideWorkspace?: boolean;
  /** How to opt in, named in the refusal (default: the setting). */
  allowOutsideHint?: string;
  /** Appended to "no job runs <script>" (default: the VS Code command that creates one). */
  noJobHint?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  fs?: FileSystemPort;
  /**
   * Hook for the image build feature: given a job's `build` block, build/push (or look up) the image and return its
   * URI. Without it the ECR URI `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` is used.
   */
  resolveBuildImage?: (build: NonNullable<ResolvedJob['build']>, ctx: { account: string; region: string; workspaceFolder: string; key?: string }) => string | Promise<string>;
  /** Container arguments for this run instead of the job's `arguments` (run_job's override). */
  argumentsOverride?: string[];
  /** This run's explicit SDK choice (CLI `run --sdk`): wins over the definition's `sdk`. */
  sdkOverride?: SdkVersion;
  /** The sagemakerProcessing.sdk setting where the user chose one; else the workspace's pin decides, else v2. */
  sdk?: SdkVersion;
}

export interface PreparedJob {
  definition: DefinitionFile;
  job: ResolvedJob;
  request: ProcessingJobRequest;
  uploads: PlannedUpload[];
  /** True when the bucket is the default one, which is created if missing (like the SDK). */
  defaultBucket: boolean;
  /** The ECR image to look up before submitting (absent for AWS framework images and images the build hook pushed). */
  imageRef?: EcrImageRef;
}

/** The job's image is not in ECR. */
export class ImageNotFoundError extends Error {
  constructor(message: string, readonly ref: EcrImageRef) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'ImageNotFoundError' }); // an error class name, not text
  }
}

export class Cancelled extends Error {
  constructor() {
    super(t('Cancelled'));
    Object.defineProperty(this, 'name', { value: 'Cancelled' }); // an error class name, not text
  }
}

/** A small text file's content, or undefined (missing, a folder, unreadable, or over 1 MB). */
function readText(fsp: FileSystemPort, p: string): string | undefined {
  try {
    if (!fsp.exists(p) || fsp.isDirectory(p) || fsp.size(p) > 1_000_000) return undefined;
    return fsp.readFile(p).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Parses and validates the definition (no API call), picks the job, then resolves it (STS for the account). */
export async function prepareJob(ports: Pick<SubmitPorts, 'region' | 'account' | 'expandRole'>, o: PrepareOptions): Promise<PreparedJob | undefined> {
  const fsp = o.fs ?? nodeFileSystem;
  // Every source of a role or bucket is checked like the file's own (before any API call).
  const sourceProblems: DefinitionProblem[] = [];
  if (o.defaultRoleArn !== undefined && !ROLE_ARN.test(o.defaultRoleArn)) {
    sourceProblems.push({ path: o.defaultRoleSource ?? 'sagemakerProcessing.defaultRoleArn', message: t('"{0}" is not an IAM role ARN like arn:aws:iam::123456789012:role/MyRole', o.defaultRoleArn), severity: 'error' });
  }
  const bucketSetting = o.defaultBucket?.trim() || undefined;
  if (bucketSetting !== undefined && !BUCKET_NAME.test(bucketSetting)) {
    sourceProblems.push({ path: o.defaultBucketSource ?? 'sagemakerProcessing.defaultBucket', message: t('"{0}" is not an S3 bucket name (lowercase letters, digits, "." and "-", 3–63 characters)', bucketSetting), severity: 'error' });
  }
  if (sourceProblems.length) throw new DefinitionError(sourceProblems);
  // Parse → substitute → validate (checkDefinitionText), then pick, resolve, confine, request.
  const checked = checkDefinitionText(o.definitionText, {
    workspaceFolder: o.workspaceFolder,
    fileExists: (p) => fsp.exists(p),
    isDirectory: (p) => fsp.isDirectory(p),
    defaultRoleArn: o.defaultRoleArn,
    requireRole: true,
    roleHint: o.roleHint,
    variables: { env: o.env ?? process.env, file: o.scriptPath },
  });
  if (!checked.definition) throw new DefinitionError(checked.problems, o.definitionFile);
  const definition = checked.definition;
  const key = await chooseJob(definition, { ...o, workspaceFolder: o.workspaceFolder });
  if (!key) return undefined;
  const [region, account] = await Promise.all([ports.region(), ports.account()]);
  const rctx: ResolveContext = {
    workspaceFolder: o.workspaceFolder,
    region,
    account,
    defaultBucket: bucketSetting,
    defaultRoleArn: o.defaultRoleArn,
    file: o.scriptPath,
    env: o.env,
    roleHint: o.roleHint,
    now: o.now ?? new Date(),
    fs: fsp,
    sdkOverride: o.sdkOverride,
    sdk: o.sdk ?? workspaceSdkPin((rel) => readText(fsp, path.join(o.workspaceFolder, rel))),
  };
  let job = resolveJob(definition, key, rctx);
  // What would be uploaded must be a regular file or folder inside the workspace folder (unless the user opted in).
  const refused = await confinePaths(localPathRefs(definition, job), { workspaceFolder: o.workspaceFolder, allowOutside: o.allowOutsideWorkspace, optInHint: o.allowOutsideHint });
  if (refused.length) throw new DefinitionError(checked.parsed ? locate(refused, (p) => p.segments, checked.parsed) : refused, o.definitionFile);
  const roleArn = job.role && !job.role.includes('/') && ports.expandRole ? ports.expandRole(job.role) : undefined;
  roleArn?.catch(() => undefined); // awaited below; not an unhandled rejection while the build runs
  if (job.build && o.resolveBuildImage) {
    const image = await o.resolveBuildImage(job.build, { account, region, workspaceFolder: o.workspaceFolder, key });
    job = resolveJob(definition, key, { ...rctx, resolveBuildImage: () => image });
  }
  if (roleArn) {
    try {
      job = { ...job, role: await roleArn };
    } catch (err) {
      // A role given by name that IAM does not know: said against the field, like any other bad value.
      const segments = definition.jobs[key]?.role !== undefined ? ['jobs', key, 'role'] : ['defaults', 'role'];
      const problem = { path: segments.join('.'), segments, severity: 'error' as const, message: t('no IAM role named "{0}" (IAM GetRole: {1}: {2})', String(job.role), errorName(err) || 'error', (err as Error)?.message ?? String(err)) };
      throw new DefinitionError(checked.parsed ? locate([problem], (p) => p.segments, checked.parsed) : [problem], o.definitionFile);
    }
  }
  if (o.argumentsOverride) job = { ...job, arguments: [...o.argumentsOverride] };
  return {
    definition,
    job,
    request: buildRequest(job, fsp),
    uploads: await planUploads(job, fsp),
    defaultBucket: job.bucket === (bucketSetting ?? defaultBucketName(region, account)),
    imageRef: job.imageSource === 'framework' || (job.build && o.resolveBuildImage) ? undefined : parseEcrImageUri(job.image),
  };
}

export interface SubmitProgress {
  /** A short message ("Uploading preprocessing.py"). */
  message: string;
  /** Fraction 0..1 of the bytes to upload, when known. */
  fraction?: number;
}

export interface SubmitResult {
  arn: string;
  createdBucket: boolean;
  /** The Create answer was lost and DescribeProcessingJob showed the job this attempt created. */
  recovered?: boolean;
}

/** Ensures the default bucket, uploads the code and local inputs at the SDK's keys, then creates the job. */
export async function submitPrepared(ports: SubmitPorts, p: PreparedJob, opts: { signal?: AbortSignal; onProgress?: (p: SubmitProgress) => void; fs?: FileSystemPort } = {}): Promise<SubmitResult> {
  const fsp = opts.fs ?? nodeFileSystem;
  const check = () => {
    if (opts.signal?.aborted) throw new Cancelled();
  };
  check();
  // Like Session(default_bucket=…).default_bucket(): any bucket the job writes to is created if missing (checked
  // once per target by the ports); the SDK-generated name is probed with ExpectedBucketOwner.
  opts.onProgress?.({ message: t('Checking bucket {0}', p.job.bucket) });
  // The image lookup runs beside the bucket check; a missing image stops the submission before any upload.
  const imageState = p.imageRef && ports.checkImage ? ports.checkImage(p.imageRef) : undefined;
  imageState?.catch(() => undefined);
  const bucketDone = ports.ensureBucket(p.job.bucket, p.job.region, {
    ...(p.job.bucketGenerated ? { expectedOwner: p.job.account } : {}),
    ...(p.job.bucketPrefix ? { prefix: p.job.bucketPrefix } : {}),
  });
  bucketDone.catch(() => undefined);
  if (imageState && p.imageRef) {
    const missing = missingImageMessage(p.imageRef, await imageState);
    if (missing) throw new ImageNotFoundError(missing, p.imageRef);
  }
  const createdBucket = await bucketDone;
  // sourcedir.tar.gz is packed while it uploads (a stream); its size here is its files' (for progress only).
  const body = (u: PlannedUpload): Buffer | string | { file: string } | { stream: Readable } =>
    'file' in u.body ? { file: u.body.file } : 'content' in u.body ? u.body.content : { stream: packSourceDirStream(u.body.sourceDir, u.body.files) };
  const sizes = await Promise.all(p.uploads.map(async (u) => {
    if (u.size !== undefined) return u.size;
    if ('file' in u.body) return fsp === nodeFileSystem ? (await stat(u.body.file)).size : fsp.size(u.body.file);
    if ('content' in u.body) return Buffer.byteLength(u.body.content);
    const dir = u.body.sourceDir;
    return (await Promise.all(u.body.files.map(async (f) => (await stat(path.join(dir, f))).size))).reduce((a, b) => a + b, 0);
  }));
  const total = sizes.reduce((a, b) => a + b, 0) || 1;
  const uploaded: { bucket: string; key: string }[] = [];
  try {
    await uploadAll();
  } catch (err) {
    // Cancelled or failed part-way: nothing will use what was uploaded so far.
    await removeUploads(ports, uploaded, err);
    throw err;
  }
  return { ...(await createJob(ports, p.request, uploaded, opts.onProgress)), createdBucket };

  /** Uploads run in parallel (a few at a time); progress is the sum of what each has sent. */
  async function uploadAll(): Promise<void> {
    const loaded = sizes.map(() => 0);
    const sum = () => loaded.reduce((x, y) => x + y, 0);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < p.uploads.length) {
        const i = next++;
        const u = p.uploads[i];
        check();
        opts.onProgress?.({ message: t('Uploading {0}', u.label), fraction: sum() / total });
        try {
          await ports.upload(u.bucket, u.key, body(u), {
            signal: opts.signal,
            ...(u.sse ? { sse: u.sse } : {}),
            ...(u.expectedBucketOwner ? { expectedBucketOwner: u.expectedBucketOwner } : {}),
            onProgress: (n) => {
              loaded[i] = Math.min(n, sizes[i]);
              opts.onProgress?.({ message: t('Uploading {0}', u.label), fraction: Math.min(1, sum() / total) });
            },
          });
        } catch (err) {
          failed = true;
          if (opts.signal?.aborted) throw new Cancelled();
          throw err;
        }
        uploaded.push({ bucket: u.bucket, key: u.key });
        loaded[i] = sizes[i];
      }
    };
    // allSettled: a failed worker must not leave others uploading while the attempt's objects are removed.
    const results = await Promise.allSettled(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, p.uploads.length) }, worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    check();
  }
}

/** The calls that create a job and, when the answer is lost, tell whether it exists (and remove this attempt's uploads). */
type CreatePorts = Pick<SubmitPorts, 'createProcessingJob' | 'describeProcessingJob' | 'deleteObjects'>;

/**
 * CreateProcessingJob, once: when its answer is lost (a retry then meets ResourceInUse, or a timeout / 5xx),
 * DescribeProcessingJob tells whether this attempt's job exists; if so the submission counts as done (`recovered`).
 */
async function createJob(ports: CreatePorts, request: ProcessingJobRequest, uploaded: { bucket: string; key: string }[], onProgress?: (p: SubmitProgress) => void): Promise<{ arn: string; recovered?: boolean }> {
  onProgress?.({ message: t('Creating {0}', request.ProcessingJobName), fraction: 1 });
  const attemptStart = Date.now();
  try {
    return { arn: await ports.createProcessingJob(request) };
  } catch (err) {
    const arn = await afterFailedCreate(ports, request, err, attemptStart, uploaded);
    if (arn !== undefined) {
      onProgress?.({ message: t('The answer to CreateProcessingJob was lost; {0} was created (checked with DescribeProcessingJob)', request.ProcessingJobName), fraction: 1 });
      return { arn, recovered: true };
    }
    throw err;
  }
}

/** How far a job's recorded creation time may be before our attempt started and still count as ours (clock skew). */
const CREATION_SKEW_MS = 5 * 60_000;

const errorName = (err: unknown): string => String((err as { name?: string })?.name ?? '');
const errorStatus = (err: unknown): number | undefined => (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

/** SageMaker's answer to a name that is taken ("ResourceInUse: … a job with this name already exists"). */
export function isNameInUse(err: unknown): boolean {
  return classifyAwsError(err).kind === 'alreadyExists';
}

/** A definite rejection: the service answered with a 4xx that is not about the name (the job was not created). */
function isDefiniteRejection(err: unknown): boolean {
  const status = errorStatus(err);
  return status !== undefined && status >= 400 && status < 500 && !isNameInUse(err) && status !== 408;
}

/**
 * Whether an existing job is the one this attempt sent: same name, created no earlier than our attempt (minus clock
 * skew), and the same role, image, entrypoint, arguments and input URIs (the code's URI holds the job name too).
 */
export function isOurJob(d: ExistingJob, req: ProcessingJobRequest, attemptStart: number): boolean {
  if (d.ProcessingJobName !== undefined && d.ProcessingJobName !== req.ProcessingJobName) return false;
  if (d.CreationTime && d.CreationTime.getTime() < attemptStart - CREATION_SKEW_MS) return false;
  if (d.RoleArn !== req.RoleArn) return false;
  const a = d.AppSpecification ?? {};
  const b = req.AppSpecification;
  const same = (x?: string[], y?: string[]) => JSON.stringify(x ?? []) === JSON.stringify(y ?? []);
  if (a.ImageUri !== b.ImageUri || !same(a.ContainerEntrypoint, b.ContainerEntrypoint) || !same(a.ContainerArguments, b.ContainerArguments)) return false;
  const uris = (xs: { S3Input?: { S3Uri?: string } }[] | undefined) => (xs ?? []).map((i) => i.S3Input?.S3Uri ?? '').sort();
  return same(uris(d.ProcessingInputs), uris(req.ProcessingInputs as { S3Input?: { S3Uri?: string } }[] | undefined));
}

/**
 * After CreateProcessingJob failed: when the outcome is unknown (a lost answer, then ResourceInUse on the SDK's retry;
 * or a timeout / 5xx after the SDK's retries), DescribeProcessingJob tells whether our job exists; if it does, its ARN
 * is returned and the submission counts as done (once: no second Create). Otherwise the uploads of this attempt are
 * removed when that is safe, and the error says what happened to them (`uploadNote`).
 */
async function afterFailedCreate(ports: CreatePorts, request: ProcessingJobRequest, err: unknown, attemptStart: number, uploaded: { bucket: string; key: string }[]): Promise<string | undefined> {
  if (isDefiniteRejection(err)) {
    await removeUploads(ports, uploaded, err);
    return undefined;
  }
  let existing: ExistingJob | undefined;
  let describeFailed = false;
  if (ports.describeProcessingJob) {
    try {
      existing = await ports.describeProcessingJob(request.ProcessingJobName);
    } catch {
      describeFailed = true;
    }
  } else describeFailed = true;
  // A retry after a lost answer: SDK errors count their attempts; ResourceInUse on the very first one means the name
  // was taken before we sent anything.
  const attempts = (err as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
  const firstTry = isNameInUse(err) && attempts === 1;
  if (existing && !firstTry && isOurJob(existing, request, attemptStart)) return existing.ProcessingJobArn ?? '';
  if (existing || describeFailed) {
    // Another job of that name (its code may be at the same keys), or we cannot tell: leave the objects, say where.
    note(err, leftNote(uploaded, existing ? t('a different job named {0} exists', request.ProcessingJobName) : t('it is unknown whether the job was created')));
    return undefined;
  }
  await removeUploads(ports, uploaded, err);
  return undefined;
}

function s3Uris(objs: { bucket: string; key: string }[]): string {
  const shown = objs.slice(0, 5).map((o) => `s3://${o.bucket}/${o.key}`).join(', ');
  return objs.length > 5 ? t('{0} and {1} more', shown, objs.length - 5) : shown;
}

function leftNote(objs: { bucket: string; key: string }[], why: string): string {
  if (!objs.length) return '';
  return objs.length > 1 ? t('The {0} objects uploaded for it were left in place ({1}): {2}.', objs.length, why, s3Uris(objs)) : t('The 1 object uploaded for it was left in place ({0}): {1}.', why, s3Uris(objs));
}

function note(err: unknown, text: string): void {
  if (!text || !err || typeof err !== 'object') return;
  const e = err as { uploadNote?: string };
  e.uploadNote = e.uploadNote ? `${e.uploadNote} ${text}` : text;
}

/** Deletes what this attempt uploaded; notes on the error what was removed, or exactly where the rest is. */
async function removeUploads(ports: Pick<SubmitPorts, 'deleteObjects'>, objs: { bucket: string; key: string }[], err: unknown): Promise<void> {
  if (!objs.length) return;
  const left: { bucket: string; key: string }[] = [];
  if (!ports.deleteObjects) left.push(...objs);
  else {
    for (const bucket of new Set(objs.map((o) => o.bucket))) {
      const keys = objs.filter((o) => o.bucket === bucket).map((o) => o.key);
      try {
        for (const k of await ports.deleteObjects(bucket, keys)) left.push({ bucket, key: k });
      } catch {
        left.push(...keys.map((key) => ({ bucket, key })));
      }
    }
  }
  if (left.length) note(err, leftNote(left, t('removing them failed')));
  else note(err, objs.length > 1 ? t('The {0} objects uploaded for it were removed.', objs.length) : t('The 1 object uploaded for it was removed.'));
}

/** prepareJob + submitPrepared. */
export async function submitJob(ports: SubmitPorts, o: PrepareOptions & { signal?: AbortSignal; onProgress?: (p: SubmitProgress) => void }): Promise<(PreparedJob & SubmitResult) | undefined> {
  const p = await prepareJob(ports, o);
  if (!p) return undefined;
  const r = await submitPrepared(ports, p, { signal: o.signal, onProgress: o.onProgress, fs: o.fs });
  return { ...p, ...r };
}

/** What a re-run submitted: the copied request (under its new name) and the Create outcome. */
export interface RerunResult {
  request: ProcessingJobRequest;
  arn: string;
  recovered?: boolean;
}

/**
 * Checks a request copied from a described job before it is sent again: a valid new name, a role ARN, an image, the
 * cluster, and S3 URIs for every input and output (a job made by hand or by another tool may lack any of them).
 * Throws DefinitionError naming the request's fields.
 */
export function checkCopiedRequest(req: ProcessingJobRequest, source: string): void {
  const problems: DefinitionProblem[] = [];
  const add = (where: string, message: string) => problems.push({ path: where, message, severity: 'error' });
  if (!JOB_NAME.test(req.ProcessingJobName ?? '')) add('ProcessingJobName', t('"{0}" is not a processing job name (letters, digits and hyphens, at most 63)', String(req.ProcessingJobName ?? '')));
  if (!ROLE_ARN.test(req.RoleArn ?? '')) add('RoleArn', t('"{0}" is not an IAM role ARN like arn:aws:iam::123456789012:role/MyRole', String(req.RoleArn ?? '')));
  if (!req.AppSpecification?.ImageUri) add('AppSpecification.ImageUri', t('the job has no image'));
  const c = req.ProcessingResources?.ClusterConfig;
  if (!c?.InstanceType || !(c.InstanceCount >= 1) || !(c.VolumeSizeInGB >= 1)) add('ProcessingResources.ClusterConfig', t('the job has no instance type, instance count or volume size'));
  (req.ProcessingInputs ?? []).forEach((i, n) => {
    if (i.S3Input && !/^s3:\/\//.test(i.S3Input.S3Uri ?? '')) add(`ProcessingInputs[${n}].S3Input.S3Uri`, t('"{0}" is not an s3:// URI', String(i.S3Input.S3Uri ?? '')));
  });
  (req.ProcessingOutputConfig?.Outputs ?? []).forEach((o, n) => {
    if (o.S3Output && !/^s3:\/\//.test(o.S3Output.S3Uri ?? '')) add(`ProcessingOutputConfig.Outputs[${n}].S3Output.S3Uri`, t('"{0}" is not an s3:// URI', String(o.S3Output.S3Uri ?? '')));
  });
  if (problems.length) throw new DefinitionError(problems, source);
}

/**
 * Re-run: the described job's request, unchanged but for a new name made the SDK's way (`base-YYYY-MM-DD-HH-MM-SS-mmm`),
 * checked, then created once through the same ports and lost-answer recovery as any submission. Its code and inputs
 * are already in S3 (the copied request points at them), so nothing is uploaded and nothing is removed on failure.
 */
export async function rerunJob(ports: CreatePorts, described: ProcessingJobDescriptionLike, opts: { now?: Date; signal?: AbortSignal; onProgress?: (p: SubmitProgress) => void } = {}): Promise<RerunResult> {
  const request = rerunRequest(described, opts.now ?? new Date()) as unknown as ProcessingJobRequest;
  checkCopiedRequest(request, `DescribeProcessingJob ${described.ProcessingJobName ?? ''}`.trim());
  // Cancellable up to the one call that creates the job (once it is sent, the job may exist: no cancel after that).
  if (opts.signal?.aborted) throw new Cancelled();
  const r = await createJob(ports, request, [], opts.onProgress);
  return { request, ...r };
}
