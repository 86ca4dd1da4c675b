import * as path from 'node:path';
import { buildImageUri, frameworkImageUri } from './frameworks';
import { defaultOutputUri } from './layout';
import { generateJobName } from './naming';
import { parseJsonc, locate } from './parse';
import { mergeDefaults, normalizeContainerPath, validateDefinition, type ValidateOptions } from './validate';
import { DefinitionError, type BuildDef, type DefinitionFile, type DefinitionProblem, type JobFields, type ResolvedJob } from './types';
import { substituteDeep, type VariableValues } from './variables';
import { nodeFileSystem, type FileSystemPort } from './files';

/** Parses and validates definition text; problems carry line/column. */
export function checkDefinitionText(text: string, opts: ValidateOptions = {}): { definition?: DefinitionFile; problems: DefinitionProblem[] } {
  const parsed = parseJsonc(text);
  if (parsed.problems.length) return { problems: parsed.problems.map((p) => ({ ...p, jsonService: true })) };
  const problems = locate(validateDefinition(parsed.value, opts), (p) => p.segments, parsed);
  const ok = !problems.some((p) => p.severity === 'error');
  return { definition: ok ? (parsed.value as DefinitionFile) : undefined, problems };
}

/** Like checkDefinitionText but throws a DefinitionError naming every problem. */
export function loadDefinition(text: string, opts: ValidateOptions = {}, file?: string): DefinitionFile {
  const r = checkDefinitionText(text, opts);
  if (!r.definition) throw new DefinitionError(r.problems, file);
  return r.definition;
}

export function defaultBucketName(region: string, account: string): string {
  return `sagemaker-${region}-${account}`;
}

export interface ResolveContext {
  workspaceFolder: string;
  region: string;
  account: string;
  /** The default bucket: the setting, else sagemaker-<region>-<account>. */
  defaultBucket?: string;
  defaultRoleArn?: string;
  /** The script the user ran (for `${file}`); default: the job's script. */
  file?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  fs?: FileSystemPort;
  /**
   * Hook for the image build feature: the image URI of a job's `build` block. Without it, the ECR URI
   * `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` is used (the image must have been pushed).
   */
  resolveBuildImage?: (build: NonNullable<ResolvedJob['build']>, ctx: { account: string; region: string; workspaceFolder: string }) => string;
}

/** Job keys whose script is the given file (or `${file}`, which matches any script). */
export function jobsForScript(def: DefinitionFile, scriptPath: string, workspaceFolder: string): string[] {
  const target = path.resolve(scriptPath);
  return Object.entries(def.jobs ?? {})
    .filter(([, job]) => {
      const m = mergeDefaults(def.defaults, job);
      if (typeof m.script !== 'string') return false;
      if (/^\$\{file\}$/.test(m.script)) return true;
      const s = substituteDeep(m.script, { workspaceFolder, env: process.env }, () => undefined);
      const base = typeof m.sourceDir === 'string' ? path.resolve(workspaceFolder, substituteDeep(m.sourceDir, { workspaceFolder, env: process.env }, () => undefined)) : workspaceFolder;
      return path.resolve(base, s) === target;
    })
    .map(([k]) => k);
}

/** A job with defaults merged, variables substituted, paths absolute and every SDK default filled. Throws DefinitionError. */
export function resolveJob(def: DefinitionFile, key: string, ctx: ResolveContext): ResolvedJob {
  const raw = def.jobs?.[key];
  if (!raw) throw new DefinitionError([{ path: 'jobs', message: `no job "${key}"; defined: ${Object.keys(def.jobs ?? {}).join(', ') || 'none'}`, severity: 'error' }]);
  const problems: DefinitionProblem[] = [];
  const add = (p: (string | number)[], message: string) => problems.push({ path: ['jobs', key, ...p].map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join(''), message, severity: 'error' });
  const fsp = ctx.fs ?? nodeFileSystem;
  const merged = mergeDefaults(def.defaults, raw);
  const defaultBucket = ctx.defaultBucket || defaultBucketName(ctx.region, ctx.account);
  const scriptAbs0 = typeof merged.script === 'string' && merged.script !== '${file}' ? undefined : ctx.file;
  const vars: VariableValues = { workspaceFolder: ctx.workspaceFolder, file: ctx.file ?? scriptAbs0, region: ctx.region, accountId: ctx.account, defaultBucket, env: ctx.env ?? process.env };

  // Pass 1 (no job name yet): the image, for the name's default base.
  const pre = substituteDeep<JobFields>(merged, { ...vars, jobName: '${jobName}' }, () => undefined);
  const local = (p: string) => path.resolve(ctx.workspaceFolder, p);
  let image = '';
  let imageSource: ResolvedJob['imageSource'] = 'image';
  let build: ResolvedJob['build'];
  if (pre.image) image = pre.image;
  else if (pre.framework) {
    imageSource = 'framework';
    const r = frameworkImageUri(pre.framework, ctx.region, pre.instanceType);
    if ('error' in r) add(['framework'], r.error);
    else image = r.uri;
  } else if (pre.build) {
    imageSource = 'build';
    const b: BuildDef = pre.build;
    build = { ...b, dockerfile: local(b.dockerfile ?? 'Dockerfile'), context: local(b.context ?? '.'), tag: b.tag ?? 'latest' };
    image = ctx.resolveBuildImage ? ctx.resolveBuildImage(build, { account: ctx.account, region: ctx.region, workspaceFolder: ctx.workspaceFolder }) : buildImageUri(ctx.account, ctx.region, build.repository, build.tag);
  }
  const jobName = generateJobName({ baseJobName: pre.baseJobName, image }, ctx.now ?? new Date());

  // Pass 2: everything, with ${jobName}.
  const j = substituteDeep<JobFields>(merged, { ...vars, jobName }, (p, m) => add(p, m));
  const bucket = j.bucket || defaultBucket;
  const role = j.role || ctx.defaultRoleArn;
  if (!role) add([], 'no "role": set an IAM role ARN in the job, in defaults, or in the sagemakerProcessing.defaultRoleArn setting');
  const sourceDir = j.sourceDir ? local(j.sourceDir) : undefined;
  const script = j.script ?? '';
  const scriptPath = path.resolve(sourceDir ?? ctx.workspaceFolder, script);
  if (!fsp.exists(scriptPath)) add(['script'], `script not found: ${scriptPath}`);
  if (sourceDir && !fsp.isDirectory(sourceDir)) add(['sourceDir'], `folder not found: ${sourceDir}`);

  const inputs = (j.inputs ?? []).map((i, n) => {
    const name = i.name ?? `input-${n + 1}`;
    let source: ResolvedJob['inputs'][number]['source'];
    if (/^s3:\/\//.test(i.source)) source = { kind: 's3', uri: i.source };
    else {
      const p = local(i.source);
      if (!fsp.exists(p)) add(['inputs', n, 'source'], `local file not found: ${p}`);
      source = { kind: 'local', path: p };
    }
    return {
      name,
      source,
      destination: normalizeContainerPath(i.destination),
      inputMode: i.inputMode ?? 'File',
      dataType: i.dataType ?? 'S3Prefix',
      distribution: i.distribution ?? 'FullyReplicated',
      compression: i.compression ?? 'None',
    } as const;
  });
  const outputs = (j.outputs ?? []).map((o, n) => {
    const name = o.name ?? `output-${n + 1}`;
    return { name, source: normalizeContainerPath(o.source), destination: o.destination ?? defaultOutputUri(bucket, jobName, name), uploadMode: o.uploadMode ?? 'EndOfJob' } as const;
  });
  if (problems.length) throw new DefinitionError(problems);
  return {
    key,
    jobName,
    region: ctx.region,
    account: ctx.account,
    bucket,
    scriptPath,
    scriptBasename: path.basename(scriptPath),
    sourceDir,
    scriptInSourceDir: sourceDir ? path.relative(sourceDir, scriptPath).split(path.sep).join('/') : undefined,
    requirements: sourceDir ? j.requirements ?? 'requirements.txt' : undefined,
    image,
    imageSource,
    build,
    command: j.command ?? ['python3'],
    role: role ?? '',
    instanceType: j.instanceType ?? 'ml.m5.xlarge',
    instanceCount: j.instanceCount ?? 1,
    volumeSizeGB: j.volumeSizeGB ?? 30,
    maxRuntimeSeconds: j.maxRuntimeSeconds,
    inputs,
    outputs,
    arguments: j.arguments ?? [],
    environment: j.environment ?? {},
    network: j.network,
    tags: j.tags ?? {},
    volumeKmsKeyId: j.volumeKmsKeyId,
    outputKmsKeyId: j.outputKmsKeyId,
  };
}
