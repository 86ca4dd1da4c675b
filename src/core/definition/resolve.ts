import * as path from 'node:path';
import { buildImageUri, frameworkImageUri } from './frameworks';
import { t } from '../l10n';
import { defaultOutputUri } from './layout';
import { generateJobName } from './naming';
import { parseJsonc, locate } from './parse';
import { checkDefinition, mergeDefaults, normalizeContainerPath, type ValidateOptions } from './validate';
import { DefinitionError, type SdkVersion, type BuildDef, type DefinitionFile, type DefinitionProblem, type JobFields, type ResolvedJob } from './types';
import { LATE_VARIABLES, substituteDeep, type VariableValues } from './variables';
import { nodeFileSystem, type FileSystemPort } from './files';
import { expandNotebookJob } from './notebook';

/**
 * The definition pipeline, first steps: parse (JSONC, with locations) → substitute the variables known now (each value
 * keeps its path, so its line) → validate once, on the substituted values. The definition returned is the substituted
 * one, with only the late variables (${region}, ${accountId}, ${defaultBucket}, ${jobName}) left for resolveJob; problems
 * carry line/column. `parsed` is there for locating later problems (confinement) in the same text.
 */
export function checkDefinitionText(text: string, opts: ValidateOptions = {}): { definition?: DefinitionFile; problems: DefinitionProblem[]; parsed?: ReturnType<typeof parseJsonc> } {
  const parsed = parseJsonc(text);
  if (parsed.problems.length) return { problems: parsed.problems.map((p) => ({ ...p, jsonService: true })) };
  const r = checkDefinition(parsed.value, opts);
  const problems = locate(r.problems, (p) => p.segments, parsed);
  const ok = !problems.some((p) => p.severity === 'error');
  return { definition: ok ? (r.substituted as DefinitionFile) : undefined, problems, parsed };
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
  /** Where else a role can come from, for the "no role" message (default: the VS Code setting). */
  roleHint?: string;
  now?: Date;
  fs?: FileSystemPort;
  /** The run's explicit choice (CLI `run --sdk`): wins over the definition's `sdk`. */
  sdkOverride?: SdkVersion;
  /** Where the definition says nothing: the setting, else the workspace's pin (requirements files); else v2. */
  sdk?: SdkVersion;
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
      const m = expandNotebookJob(mergeDefaults(def.defaults, job));
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
  const raw = def.jobs && Object.prototype.hasOwnProperty.call(def.jobs, key) ? def.jobs[key] : undefined;
  if (!raw || typeof raw !== 'object') throw new DefinitionError([{ path: 'jobs', message: Object.keys(def.jobs ?? {}).length ? t('no job "{0}"; defined: {1}', key, Object.keys(def.jobs ?? {}).join(', ')) : t('no job "{0}"; defined: none', key), severity: 'error' }]);
  const problems: DefinitionProblem[] = [];
  const add = (p: (string | number)[], message: string) => problems.push({ path: ['jobs', key, ...p].map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join(''), message, severity: 'error' });
  const fsp = ctx.fs ?? nodeFileSystem;
  // A notebook job runs as the ScriptProcessor job an SDK user writes for it (papermill; see ./notebook.ts).
  const merged = expandNotebookJob(mergeDefaults(def.defaults, raw));
  const defaultBucket = ctx.defaultBucket || defaultBucketName(ctx.region, ctx.account);
  const scriptAbs0 = typeof merged.script === 'string' && merged.script !== '${file}' ? undefined : ctx.file;
  const vars: VariableValues = { workspaceFolder: ctx.workspaceFolder, file: ctx.file ?? scriptAbs0, region: ctx.region, accountId: ctx.account, defaultBucket, env: ctx.env ?? process.env };

  // Pass 1 (no job name yet): the image, for the name's default base.
  // The definition comes from checkDefinitionText: only the late variables are left to substitute.
  const late = { only: [...LATE_VARIABLES, 'file', 'fileBasename', 'fileBasenameNoExtension'] };
  const pre = substituteDeep<JobFields>(merged, { ...vars, jobName: '${jobName}' }, () => undefined, [], late);
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
    // As docker (and resolveBuildSpec): without "dockerfile" it is the context's Dockerfile.
    build = { ...b, dockerfile: b.dockerfile ? local(b.dockerfile) : path.join(local(b.context ?? '.'), 'Dockerfile'), context: local(b.context ?? '.'), tag: b.tag ?? 'latest' };
    image = ctx.resolveBuildImage ? ctx.resolveBuildImage(build, { account: ctx.account, region: ctx.region, workspaceFolder: ctx.workspaceFolder }) : buildImageUri(ctx.account, ctx.region, build.repository, build.tag);
  }
  // An explicit jobName wins (run(job_name=…)). SDK v2's FrameworkProcessor (sourceDir) names after its estimator's
  // framework; v3's takes image_uri and names after the image, like every other processor.
  const sdk: SdkVersion = ctx.sdkOverride ?? pre.sdk ?? ctx.sdk ?? 'v2';
  const fwBase = sdk === 'v2' && pre.sourceDir && pre.framework && pre.framework.name !== 'spark' ? pre.framework.name : undefined;
  const jobName = pre.jobName || generateJobName({ baseJobName: pre.baseJobName ?? fwBase, image }, ctx.now ?? new Date());

  // Pass 2: everything, with ${jobName}.
  const j = substituteDeep<JobFields>(merged, { ...vars, jobName }, (p, m) => add(p, m), [], late);
  const bucket = j.bucket || defaultBucket;
  const bucketPrefix = (j.defaultBucketPrefix ?? '').replace(/^\/+|\/+$/g, '');
  const isSpark = !j.sourceDir && (j.framework?.name === 'spark' || j.spark !== undefined);
  const sparkDeps = (list: string[] | undefined, field: string): string[] => (list ?? []).map((d, n) => {
    if (/^s3a?:\/\//.test(d)) return d;
    const p = local(d);
    if (!fsp.exists(p)) add(['spark', field, n], t('local file not found: {0}', p));
    return p;
  });
  const spark: ResolvedJob['spark'] = isSpark ? {
    pyFiles: sparkDeps(j.spark?.submitPyFiles, 'submitPyFiles'),
    jars: sparkDeps(j.spark?.submitJars, 'submitJars'),
    files: sparkDeps(j.spark?.submitFiles, 'submitFiles'),
    configuration: j.spark?.configuration,
    eventLogsS3Uri: j.spark?.eventLogsS3Uri,
  } : undefined;
  const role = j.role || ctx.defaultRoleArn;
  if (!role) add([], ctx.roleHint ? t('no "role": set an IAM role ARN in the job, in defaults, or {0}', ctx.roleHint) : t('no "role": set an IAM role ARN in the job, in defaults, or in the {0} setting', 'sagemakerProcessing.defaultRoleArn'));
  const sourceDir = j.sourceDir ? local(j.sourceDir) : undefined;
  const script = j.script ?? '';
  const scriptPath = path.resolve(sourceDir ?? ctx.workspaceFolder, script);
  if (!fsp.exists(scriptPath)) add(merged.script !== undefined && mergeDefaults(def.defaults, raw).notebook !== undefined ? ['notebook'] : ['script'], merged.script !== undefined && mergeDefaults(def.defaults, raw).notebook !== undefined ? t('notebook not found: {0}', scriptPath) : t('script not found: {0}', scriptPath));
  if (sourceDir && !fsp.isDirectory(sourceDir)) add(['sourceDir'], t('folder not found: {0}', sourceDir));

  const inputs = (j.inputs ?? []).map((i, n) => {
    const name = i.name ?? `input-${n + 1}`;
    let source: ResolvedJob['inputs'][number]['source'];
    if (/^s3:\/\//.test(i.source)) source = { kind: 's3', uri: i.source };
    else {
      const p = local(i.source);
      if (!fsp.exists(p)) add(['inputs', n, 'source'], t('local file not found: {0}', p));
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
    return { name, source: normalizeContainerPath(o.source), destination: o.destination ?? defaultOutputUri(bucket, bucketPrefix ? `${bucketPrefix}/${jobName}` : jobName, name), uploadMode: o.uploadMode ?? 'EndOfJob' } as const;
  });
  if (problems.length) throw new DefinitionError(problems);
  return {
    key,
    sdk,
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
    // FrameworkProcessor's default command is ["python"]; Spark jobs run smspark-submit (see buildRequest).
    command: j.command ?? (sourceDir ? ['python'] : ['python3']),
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
    exclude: j.exclude ?? [],
    bucketGenerated: !j.bucket && !ctx.defaultBucket,
    bucketPrefix,
    experimentConfig: j.experimentConfig,
    kmsKey: j.kmsKey,
    frameworkName: j.image ? undefined : j.framework?.name,
    spark,
  };
}
