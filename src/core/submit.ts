import { nodeFileSystem, packSourceDir, type FileSystemPort } from './definition/files';
import { buildRequest, planUploads, type PlannedUpload, type ProcessingJobRequest } from './definition/request';
import { defaultBucketName, jobsForScript, loadDefinition, resolveJob, type ResolveContext } from './definition/resolve';
import { DefinitionError, type DefinitionFile, type ResolvedJob } from './definition/types';
import { missingImageMessage, parseEcrImageUri, type EcrImageRef, type EcrImageState } from './build/spec';

/** The AWS calls a submission needs (implemented over src/aws by the extension and the CLI; real services in tests). */
export interface SubmitPorts {
  region(): Promise<string>;
  account(): Promise<string>;
  ensureBucket(bucket: string, region: string, opts?: { expectedOwner?: string; prefix?: string }): Promise<boolean>;
  upload(bucket: string, key: string, body: Buffer | string | { file: string }, opts: { onProgress?: (loaded: number, total?: number) => void; signal?: AbortSignal } & Pick<PlannedUpload, 'sse' | 'expectedBucketOwner'>): Promise<unknown>;
  createProcessingJob(req: ProcessingJobRequest): Promise<string>;
  /** Whether an ECR image exists (DescribeImages); reported before anything is uploaded. */
  checkImage?(ref: EcrImageRef): Promise<EcrImageState>;
  /** A role given by name → its ARN (IAM GetRole, like the SDK's expand_role). */
  expandRole?(roleName: string): Promise<string>;
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
  /** The defaultBucket setting (empty: sagemaker-<region>-<account>). */
  defaultBucket?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  fs?: FileSystemPort;
  /**
   * Hook for the image build feature: given a job's `build` block, build/push (or look up) the image and return its
   * URI. Without it the ECR URI `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` is used.
   */
  resolveBuildImage?: (build: NonNullable<ResolvedJob['build']>, ctx: { account: string; region: string; workspaceFolder: string; key?: string }) => string | Promise<string>;
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
    this.name = 'ImageNotFoundError';
  }
}

export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'Cancelled';
  }
}

/** Parses and validates the definition (no API call), picks the job, then resolves it (STS for the account). */
export async function prepareJob(ports: Pick<SubmitPorts, 'region' | 'account' | 'expandRole'>, o: PrepareOptions): Promise<PreparedJob | undefined> {
  const fsp = o.fs ?? nodeFileSystem;
  const definition = loadDefinition(o.definitionText, {
    workspaceFolder: o.workspaceFolder,
    fileExists: (p) => fsp.exists(p),
    defaultRoleArn: o.defaultRoleArn,
    requireRole: true,
    variables: { env: o.env ?? process.env, file: o.scriptPath },
  }, o.definitionFile);
  const key = await pickJob(definition, o);
  if (!key) return undefined;
  const [region, account] = await Promise.all([ports.region(), ports.account()]);
  const bucketSetting = o.defaultBucket?.trim() || undefined;
  const rctx: ResolveContext = {
    workspaceFolder: o.workspaceFolder,
    region,
    account,
    defaultBucket: bucketSetting,
    defaultRoleArn: o.defaultRoleArn,
    file: o.scriptPath,
    env: o.env,
    now: o.now ?? new Date(),
    fs: fsp,
  };
  let job = resolveJob(definition, key, rctx);
  const roleArn = job.role && !job.role.includes('/') && ports.expandRole ? ports.expandRole(job.role) : undefined;
  roleArn?.catch(() => undefined); // awaited below; not an unhandled rejection while the build runs
  if (job.build && o.resolveBuildImage) {
    const image = await o.resolveBuildImage(job.build, { account, region, workspaceFolder: o.workspaceFolder, key });
    job = resolveJob(definition, key, { ...rctx, resolveBuildImage: () => image });
  }
  if (roleArn) job = { ...job, role: await roleArn };
  return {
    definition,
    job,
    request: buildRequest(job, fsp),
    uploads: planUploads(job, fsp),
    defaultBucket: job.bucket === (bucketSetting ?? defaultBucketName(region, account)),
    imageRef: job.imageSource === 'framework' || (job.build && o.resolveBuildImage) ? undefined : parseEcrImageUri(job.image),
  };
}

async function pickJob(def: DefinitionFile, o: PrepareOptions): Promise<string | undefined> {
  if (o.jobKey) {
    if (!def.jobs[o.jobKey]) throw new DefinitionError([{ path: 'jobs', message: `no job "${o.jobKey}"; defined: ${Object.keys(def.jobs).join(', ') || 'none'}`, severity: 'error' }], o.definitionFile);
    return o.jobKey;
  }
  const keys = o.scriptPath ? jobsForScript(def, o.scriptPath, o.workspaceFolder) : Object.keys(def.jobs);
  if (keys.length === 0) {
    throw new DefinitionError([{ path: 'jobs', message: o.scriptPath ? `no job runs ${o.scriptPath}; add one (Create Job Definition…)` : 'defines no jobs', severity: 'error' }], o.definitionFile);
  }
  if (keys.length === 1) return keys[0];
  if (!o.pick) throw new DefinitionError([{ path: 'jobs', message: `several jobs match (${keys.join(', ')}); name one`, severity: 'error' }], o.definitionFile);
  return o.pick(keys);
}

export interface SubmitProgress {
  /** A short message ("Uploading preprocessing.py"). */
  message: string;
  /** Fraction 0..1 of the bytes to upload, when known. */
  fraction?: number;
}

/** Ensures the default bucket, uploads the code and local inputs at the SDK's keys, then creates the job. */
export async function submitPrepared(ports: SubmitPorts, p: PreparedJob, opts: { signal?: AbortSignal; onProgress?: (p: SubmitProgress) => void; fs?: FileSystemPort } = {}): Promise<{ arn: string; createdBucket: boolean }> {
  const fsp = opts.fs ?? nodeFileSystem;
  const check = () => {
    if (opts.signal?.aborted) throw new Cancelled();
  };
  check();
  // Like Session(default_bucket=…).default_bucket(): any bucket the job writes to is created if missing (checked
  // once per target by the ports); the SDK-generated name is probed with ExpectedBucketOwner.
  opts.onProgress?.({ message: `Checking bucket ${p.job.bucket}` });
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
  const bodies = p.uploads.map((u): Buffer | string | { file: string } =>
    'file' in u.body ? { file: u.body.file } : 'content' in u.body ? u.body.content : packSourceDir(u.body.sourceDir, fsp));
  const sizes = bodies.map((b) => (typeof b === 'object' && 'file' in b ? fsp.size(b.file) : Buffer.byteLength(b)));
  const total = sizes.reduce((a, b) => a + b, 0) || 1;
  // Uploads run in parallel (a few at a time); progress is the sum of what each has sent.
  const loaded = sizes.map(() => 0);
  const sum = () => loaded.reduce((a, b) => a + b, 0);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < p.uploads.length) {
      const i = next++;
      const u = p.uploads[i];
      check();
      opts.onProgress?.({ message: `Uploading ${u.label}`, fraction: sum() / total });
      try {
        await ports.upload(u.bucket, u.key, bodies[i], {
          signal: opts.signal,
          ...(u.sse ? { sse: u.sse } : {}),
          ...(u.expectedBucketOwner ? { expectedBucketOwner: u.expectedBucketOwner } : {}),
          onProgress: (n) => {
            loaded[i] = Math.min(n, sizes[i]);
            opts.onProgress?.({ message: `Uploading ${u.label}`, fraction: Math.min(1, sum() / total) });
          },
        });
      } catch (err) {
        failed = true;
        if (opts.signal?.aborted) throw new Cancelled();
        throw err;
      }
      loaded[i] = sizes[i];
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, p.uploads.length) }, worker));
  check();
  opts.onProgress?.({ message: `Creating ${p.job.jobName}`, fraction: 1 });
  const arn = await ports.createProcessingJob(p.request);
  return { arn, createdBucket };
}

/** prepareJob + submitPrepared. */
export async function submitJob(ports: SubmitPorts, o: PrepareOptions & { signal?: AbortSignal; onProgress?: (p: SubmitProgress) => void }): Promise<(PreparedJob & { arn: string; createdBucket: boolean }) | undefined> {
  const p = await prepareJob(ports, o);
  if (!p) return undefined;
  const r = await submitPrepared(ports, p, { signal: o.signal, onProgress: o.onProgress, fs: o.fs });
  return { ...p, ...r };
}
