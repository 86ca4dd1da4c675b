import * as path from 'node:path';
import { FRAMEWORKS, frameworkImageUri } from './frameworks';
import {
  BUCKET_NAME, CHANNEL_NAME, COMPRESSIONS, DATA_TYPES, DISTRIBUTIONS, ECR_REPOSITORY, ENV_KEY, IMAGE_TAG, INPUT_MODES,
  INSTANCE_TYPE, LIMITS, ROLE_ARN, S3_URI, UPLOAD_MODES,
} from './limits';
import { JOB_NAME_PATTERN, MAX_JOB_NAME } from './naming';
import { formatPath, type PathSegment } from './parse';
import { PROCESSING_INSTANCE_TYPES } from './instanceTypes';
import { PROCESSING_ROOT, type DefinitionProblem, type JobFields } from './types';
import { LATE_VARIABLES, substituteDeep, type VariableValues } from './variables';
import { checkSchedule, SCHEDULE_NAME } from '../schedule/check';
import { expandNotebookJob, NOTEBOOK_OUTPUT, PARAMETER_NAME } from './notebook';
import { t } from '../l10n';

// `t` is the kind of value; texts are functions so they are said in the language set when they are shown.
type Spec =
  | { t: 'string'; pattern?: RegExp; patternMsg?: () => string; enum?: readonly string[]; oneOf?: readonly string[]; oneOfMsg?: () => string; nonEmpty?: boolean; max?: number }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'boolean' }
  | { t: 'any' }
  | { t: 'array'; of: Spec; max?: number; min?: number; what?: () => string }
  | { t: 'object'; props: Record<string, Spec>; required?: string[] }
  | { t: 'map'; of: Spec; max?: number; keyPattern?: RegExp; keyMsg?: () => string; keyMax?: number; keyCheck?: (k: string) => string | undefined; what?: () => string };

/** Tag keys and values as the API takes them; keys starting with "aws:" are reserved for AWS. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const tagKey = (k: string): string | undefined =>
  /^aws:/i.test(k) ? t('"{0}": tag keys starting with "aws:" are reserved for AWS', k)
    : !k.length || k.length > 128 ? t('"{0}": a tag key has 1 to 128 characters', k)
      : !TAG_TEXT.test(k) ? t('"{0}" is not a tag key (letters, digits, spaces and _ . : / = + - @)', k) : undefined;

const str: Spec = { t: 'string' };
const nonEmpty: Spec = { t: 'string', nonEmpty: true };
const stringMap: Spec = { t: 'map', of: str };

const INPUT: Spec = {
  t: 'object',
  required: ['source', 'destination'],
  props: {
    name: { t: 'string', pattern: CHANNEL_NAME, patternMsg: () => t('letters, digits, "_" and "-" only') },
    source: nonEmpty,
    destination: nonEmpty,
    inputMode: { t: 'string', enum: INPUT_MODES },
    dataType: { t: 'string', enum: DATA_TYPES },
    distribution: { t: 'string', enum: DISTRIBUTIONS },
    compression: { t: 'string', enum: COMPRESSIONS },
  },
};

const OUTPUT: Spec = {
  t: 'object',
  required: ['source'],
  props: {
    name: { t: 'string', pattern: CHANNEL_NAME, patternMsg: () => t('letters, digits, "_" and "-" only') },
    source: nonEmpty,
    destination: nonEmpty,
    uploadMode: { t: 'string', enum: UPLOAD_MODES },
  },
};

/** An IAM role name (the SDK's expand_role turns a name without "/" into its ARN). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export const JOB_FIELDS: Record<string, Spec> = {
  sdk: { t: 'string', enum: ['v2', 'v3'] },
  script: nonEmpty,
  notebook: nonEmpty,
  parameters: { t: 'map', of: { t: 'any' }, max: 50, keyPattern: PARAMETER_NAME, keyMsg: () => t('a notebook parameter name (a Python identifier: letters, digits and "_", not starting with a digit)'), what: () => t('parameters') },
  image: { t: 'string', nonEmpty: true, pattern: /^[^\s-]\S*$/, patternMsg: () => t('an image URI (no spaces, and not starting with "-")'), max: 255 },
  framework: { t: 'object', required: ['name', 'version'], props: { name: { t: 'string', enum: Object.keys(FRAMEWORKS) }, version: nonEmpty, pythonVersion: str } },
  build: {
    t: 'object',
    required: ['repository'],
    props: {
      dockerfile: nonEmpty,
      context: nonEmpty,
      repository: { t: 'string', pattern: ECR_REPOSITORY, patternMsg: () => t('an ECR repository name: lowercase letters, digits, ".", "_", "-" and "/"') },
      tag: { t: 'string', pattern: IMAGE_TAG, patternMsg: () => t('an image tag: letters, digits, "_", "." and "-", at most 128') },
      buildArgs: stringMap,
      platform: nonEmpty,
    },
  },
  command: { t: 'array', of: nonEmpty, min: 1, what: () => t('items') },
  role: { t: 'string', pattern: new RegExp(`${ROLE_ARN.source}|${ROLE_NAME.source}`), patternMsg: () => t('an IAM role ARN like arn:aws:iam::123456789012:role/MyRole, or a role name (resolved with IAM GetRole like the SDK)') },
  instanceType: { t: 'string', pattern: INSTANCE_TYPE, patternMsg: () => t('an ML instance type like ml.m5.xlarge'), oneOf: PROCESSING_INSTANCE_TYPES, oneOfMsg: () => t('a SageMaker Processing instance type (e.g. ml.m5.xlarge; the schema lists them all)') },
  instanceCount: { t: 'int', min: LIMITS.instanceCountMin, max: LIMITS.instanceCountMax },
  volumeSizeGB: { t: 'int', min: 1, max: LIMITS.volumeSizeGBMax },
  maxRuntimeSeconds: { t: 'int', min: 1, max: LIMITS.maxRuntimeSeconds },
  inputs: { t: 'array', of: INPUT, max: LIMITS.inputs, what: () => t('inputs') },
  outputs: { t: 'array', of: OUTPUT, max: LIMITS.outputs, what: () => t('outputs') },
  arguments: { t: 'array', of: { t: 'string', max: LIMITS.argumentLength }, max: LIMITS.arguments, what: () => t('arguments') },
  environment: { t: 'map', of: { t: 'string', max: LIMITS.environmentValueLength }, max: LIMITS.environment, keyPattern: ENV_KEY, keyMax: LIMITS.environmentKeyLength, keyMsg: () => t('an environment variable name: letters, digits and "_", not starting with a digit'), what: () => t('environment variables') },
  network: {
    t: 'object',
    props: {
      subnets: { t: 'array', of: nonEmpty, max: 16, what: () => t('subnets') },
      securityGroups: { t: 'array', of: nonEmpty, max: 5, what: () => t('security groups') },
      enableNetworkIsolation: { t: 'boolean' },
      enableInterContainerTrafficEncryption: { t: 'boolean' },
    },
  },
  tags: { t: 'map', of: { t: 'string', max: 256, pattern: TAG_TEXT, patternMsg: () => t('a tag value (letters, digits, spaces and _ . : / = + - @)') }, max: LIMITS.tags, keyCheck: tagKey, what: () => t('tags') },
  volumeKmsKeyId: nonEmpty,
  outputKmsKeyId: nonEmpty,
  baseJobName: { t: 'string', pattern: JOB_NAME_PATTERN, patternMsg: () => t('a job name: letters, digits and "-", starting and ending with a letter or digit, at most {0} characters', MAX_JOB_NAME) },
  sourceDir: nonEmpty,
  requirements: nonEmpty,
  exclude: { t: 'array', of: nonEmpty, max: 100, what: () => t('patterns') },
  bucket: { t: 'string', pattern: BUCKET_NAME, patternMsg: () => t('an S3 bucket name (lowercase letters, digits, "." and "-", 3–63 characters)') },
  schedule: {
    t: 'object',
    required: ['expression'],
    props: {
      expression: nonEmpty, timezone: nonEmpty, start: nonEmpty, end: nonEmpty, enabled: { t: 'boolean' },
      role: { t: 'string', pattern: ROLE_ARN, patternMsg: () => t('an IAM role ARN like arn:aws:iam::123456789012:role/MyRole') },
      name: { t: 'string', pattern: SCHEDULE_NAME, patternMsg: () => t('a pipeline name: letters, digits and "-", starting and ending with a letter or digit, at most 64 characters') },
    },
  },
  jobName: { t: 'string', pattern: JOB_NAME_PATTERN, patternMsg: () => t('a job name: letters, digits and "-", starting and ending with a letter or digit, at most {0} characters', MAX_JOB_NAME) },
  experimentConfig: { t: 'object', props: { ExperimentName: nonEmpty, TrialName: nonEmpty, TrialComponentDisplayName: nonEmpty, RunName: nonEmpty } },
  kmsKey: nonEmpty,
  defaultBucketPrefix: { t: 'string', pattern: /^[^/\s][^\s]*$/, patternMsg: () => t('a key prefix without spaces, not starting with "/"') },
  spark: {
    t: 'object',
    props: {
      submitPyFiles: { t: 'array', of: nonEmpty, what: () => t('files') },
      submitJars: { t: 'array', of: nonEmpty, what: () => t('files') },
      submitFiles: { t: 'array', of: nonEmpty, what: () => t('files') },
      configuration: { t: 'any' },
      eventLogsS3Uri: { t: 'string', pattern: S3_URI, patternMsg: () => t('an S3 URI (s3://bucket/prefix)') },
    },
  },
};


const FILE: Spec = {
  t: 'object',
  required: ['version', 'jobs'],
  props: {
    $schema: str,
    version: { t: 'string', enum: ['1'] },
    defaults: { t: 'object', props: JOB_FIELDS },
    jobs: { t: 'map', of: { t: 'object', props: JOB_FIELDS }, keyPattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, keyMsg: () => t('a job key: letters, digits, ".", "_" and "-"') },
  },
};

/** "a", "a and b", "a, b and c" in the user's language. */
function listed(items: string[]): string {
  return items.length > 1 ? t('{0} and {1}', items.slice(0, -1).join(', '), items[items.length - 1]) : items.join('');
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return t('an array');
  switch (typeof v) {
    case 'object': return t('an object');
    case 'string': return t('a string');
    case 'number': return t('a number');
    case 'boolean': return t('a boolean');
    default: return typeof v;
  }
}

/** Schema problems whose message says more than the JSON language service's (kept in the editor beside its entry). */
const BEYOND_SCHEMA = new WeakSet<DefinitionProblem>();

class Collector {
  readonly problems: DefinitionProblem[] = [];
  add(segments: PathSegment[], message: string, severity: 'error' | 'warning' = 'error'): void {
    const p = formatPath(segments);
    if (this.problems.some((x) => x.path === p && x.message === message)) return;
    this.problems.push({ path: p, segments: [...segments], message, severity });
  }
}

function checkSpec(v: unknown, spec: Spec, at: PathSegment[], c: Collector): void {
  switch (spec.t) {
    case 'string':
      if (typeof v !== 'string') return c.add(at, t('must be a string, not {0}', typeName(v)));
      if (spec.nonEmpty && !v.trim()) return c.add(at, t('must not be empty'));
      if (spec.enum && !spec.enum.includes(v)) return c.add(at, t('must be one of {0} (got "{1}")', spec.enum.map((e) => `"${e}"`).join(', '), v));
      if (spec.max !== undefined && v.length > spec.max) return c.add(at, t('is {0} characters long; at most {1}', v.length, spec.max));
      if (spec.pattern && !spec.pattern.test(v)) return c.add(at, spec.patternMsg ? t('"{0}" is not {1}', v, spec.patternMsg()) : t('"{0}" is not matching {1}', v, String(spec.pattern)));
      if (spec.oneOf && !spec.oneOf.includes(v)) return c.add(at, spec.oneOfMsg ? t('"{0}" is not {1}', v, spec.oneOfMsg()) : t('"{0}" is not allowed', v));
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return c.add(at, t('must be a whole number, not {0}', typeof v === 'number' ? v : typeName(v)));
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) return c.add(at, t('must be between {0} and {1} (got {2})', spec.min ?? '-∞', spec.max ?? '∞', v));
      return;
    case 'any':
      return;
    case 'boolean':
      if (typeof v !== 'boolean') c.add(at, t('must be true or false, not {0}', typeName(v)));
      return;
    case 'array':
      if (!Array.isArray(v)) return c.add(at, t('must be an array, not {0}', typeName(v)));
      if (spec.max !== undefined && v.length > spec.max) c.add(at, t('has {0} {1}; at most {2}', v.length, spec.what?.() ?? t('items'), spec.max));
      if (spec.min !== undefined && v.length < spec.min) c.add(at, t('needs at least {0} {1}', spec.min, spec.what?.() ?? t('items')));
      v.forEach((x, i) => checkSpec(x, spec.of, [...at, i], c));
      return;
    case 'object': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return c.add(at, t('must be an object, not {0}', typeName(v)));
      const o = v as Record<string, unknown>;
      for (const r of spec.required ?? []) if (!(r in o)) c.add(at, t('missing required field "{0}"', r));
      for (const [k, x] of Object.entries(o)) {
        const s = spec.props[k];
        if (!s) {
          const near = Object.keys(spec.props).find((p) => p.toLowerCase() === k.toLowerCase() || p.toLowerCase().startsWith(k.toLowerCase().slice(0, 4)));
          const count = c.problems.length;
          c.add([...at, k], near ? t('unknown field "{0}" (did you mean "{1}"?)', k, near) : t('unknown field "{0}"', k));
          if (near && c.problems.length > count) BEYOND_SCHEMA.add(c.problems[count]);
        } else checkSpec(x, s, [...at, k], c);
      }
      return;
    }
    case 'map': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return c.add(at, t('must be an object, not {0}', typeName(v)));
      const entries = Object.entries(v as Record<string, unknown>);
      if (spec.max !== undefined && entries.length > spec.max) c.add(at, t('has {0} {1}; at most {2}', entries.length, spec.what?.() ?? t('entries'), spec.max));
      for (const [k, x] of entries) {
        if (spec.keyPattern && !spec.keyPattern.test(k)) c.add([...at, k], t('"{0}" is not {1}', k, spec.keyMsg?.() ?? t('a valid key')));
        else if (spec.keyMax !== undefined && k.length > spec.keyMax) c.add([...at, k], t('the name is {0} characters long; at most {1}', k.length, spec.keyMax));
        const bad = spec.keyCheck?.(k);
        if (bad) c.add([...at, k], bad);
        checkSpec(x, spec.of, [...at, k], c);
      }
      return;
    }
  }
}

export interface ValidateOptions {
  /** Absolute workspace folder: local paths are relative to it. */
  workspaceFolder?: string;
  /** When given, local files that do not exist are reported. */
  fileExists?: (absPath: string) => boolean;
  /** When given, a sourceDir that is not a folder is reported. */
  isDirectory?: (absPath: string) => boolean;
  /**
   * When given, each existing local path the job would upload (script, sourceDir, local inputs) is checked as Run
   * checks it (confine.ts checkLocalPath: inside the workspace folder, a regular file or folder); a message is a problem.
   */
  confine?: (absPath: string, expect: 'file' | 'dir' | 'any', within?: string) => string | undefined;
  /** When known, framework images are checked for this region. */
  region?: string;
  /** The defaultRoleArn setting; a job with no role anywhere is an error only when `requireRole`. */
  defaultRoleArn?: string;
  requireRole?: boolean;
  /** Values for `${…}` variables; those not known yet (region, accountId, …) get placeholders while checking. */
  variables?: VariableValues;
  /** Where else a role can come from, for the "no role" message (default: the VS Code setting). */
  roleHint?: string;
}

const PLACEHOLDERS: VariableValues = { region: 'us-east-1', accountId: '123456789012', defaultBucket: 'sagemaker-us-east-1-123456789012', jobName: 'job-name', file: '/workspace/script.py' };

/** Merges a job over the defaults: the job's own image source wins, maps merge, everything else is replaced. */
export function mergeDefaults(defaults: JobFields | undefined, job: JobFields): JobFields {
  const d = { ...(defaults ?? {}) };
  // A job's own code wins like its image: a notebook job does not inherit a default script, nor a script job a notebook.
  if (job.notebook !== undefined) delete d.script;
  if (job.script !== undefined) {
    delete d.notebook;
    delete d.parameters;
  }
  if (job.image !== undefined || job.framework !== undefined || job.build !== undefined) {
    delete d.image;
    delete d.framework;
    delete d.build;
  }
  const merged: JobFields = { ...d, ...job };
  if (d.environment || job.environment) merged.environment = { ...d.environment, ...job.environment };
  if (d.tags || job.tags) merged.tags = { ...d.tags, ...job.tags };
  if (d.network || job.network) merged.network = { ...d.network, ...job.network };
  return merged;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function normalizeContainerPath(p: string): string {
  return path.posix.normalize(p).replace(/\/+$/, '');
}

/** Checks a parsed definition file: structure, API limits, paths, names. Returns every problem, with field paths. */
export function validateDefinition(value: unknown, opts: ValidateOptions = {}): DefinitionProblem[] {
  return checkDefinition(value, opts).problems;
}

/**
 * The definition pipeline's middle: substitutes the variables known now (workspace folder, environment, the file run)
 * in every string, keeping each value at its path (so its location in the text), then checks the substituted values
 * once — with placeholders for the variables only known at submission (region, account, default bucket, job name).
 * Returns the substituted definition (late variables still in it, for the resolver) and every problem.
 */
export function checkDefinition(value: unknown, opts: ValidateOptions = {}): { substituted: unknown; problems: DefinitionProblem[] } {
  const c = new Collector();
  const ws = opts.workspaceFolder ?? opts.variables?.workspaceFolder ?? '/workspace';
  const early: VariableValues = { workspaceFolder: ws, env: opts.variables?.env ?? process.env, file: opts.variables?.file };
  const keep = [...LATE_VARIABLES, ...(early.file ? [] : ['file', 'fileBasename', 'fileBasenameNoExtension'])];
  const substituted = substituteDeep(value, early, (p, msg) => c.add(p, msg), [], { keep });
  const checked = substituteDeep(substituted, { ...PLACEHOLDERS, workspaceFolder: ws }, () => undefined);
  const beforeSpec = c.problems.length;
  checkSpec(checked, FILE, [], c);
  // What the JSON schema also says (the JSON language service lists it too): marked, so the editor shows it once.
  // Not an unknown field with a suggestion: the service says only "not allowed", ours names the field meant.
  for (const p of c.problems.slice(beforeSpec)) if (!BEYOND_SCHEMA.has(p)) p.jsonService = true;
  if (!isObject(checked) || !isObject(checked.jobs)) return { substituted, problems: c.problems };
  if (Object.keys(checked.jobs).length === 0) c.add(['jobs'], t('defines no jobs'), 'warning');
  const defaults = isObject(checked.defaults) ? (checked.defaults as JobFields) : undefined;
  const rawDefaults = isObject(value) && isObject(value.defaults) ? (value.defaults as JobFields) : undefined;
  for (const [key, job] of Object.entries(checked.jobs)) {
    if (!isObject(job)) continue;
    const raw = isObject(value) && isObject(value.jobs) ? (value.jobs as Record<string, JobFields>)[key] : undefined;
    const rawScript = mergeDefaults(rawDefaults, raw ?? {}).script;
    const scriptIsFile = typeof rawScript === 'string' && /\$\{file/.test(rawScript) && !early.file;
    checkJob(key, mergeDefaults(defaults, job as JobFields), job as JobFields, defaults, { ...opts, workspaceFolder: ws }, c, scriptIsFile);
  }
  return { substituted, problems: c.problems };
}

/** Where a merged field comes from: the job, or the defaults (so problems point at the right place). */
function originOf(field: keyof JobFields, key: string, own: JobFields, defaults?: JobFields): PathSegment[] {
  return own[field] === undefined && defaults?.[field] !== undefined ? ['defaults', field] : ['jobs', key, field];
}

function checkJob(key: string, merged: JobFields, own: JobFields, defaults: JobFields | undefined, opts: ValidateOptions, c: Collector, scriptIsFile: boolean): void {
  const at = ['jobs', key];
  const j = checkNotebook(key, merged, own, defaults, c);
  const ws = opts.workspaceFolder!;
  const local = (p: string) => (path.isAbsolute(p) ? p : path.join(ws, p));
  const exists = (p: string) => !opts.fileExists || opts.fileExists(p);

  // A path still holding a variable (an unset ${env:…}) is already reported by the substitution: not checked again.
  const unresolved = (p: string) => p.includes('${');
  const confined = (segments: PathSegment[], p: string, expect: 'file' | 'dir' | 'any', within?: string) => {
    const msg = opts.confine?.(p, expect, within);
    if (msg) c.add(segments, msg);
    return !msg;
  };

  // Script and code layout (a notebook job's script is its notebook: problems with the file point at "notebook").
  const scriptField = merged.notebook !== undefined && merged.script === undefined ? 'notebook' : 'script';
  const origin = (field: keyof JobFields, k: string, o: JobFields, d?: JobFields) => originOf(field === 'script' ? scriptField : field, k, o, d);
  if (typeof j.script !== 'string' || !j.script.trim()) {
    if (j.script === undefined) c.add(at, t('missing "script": the Python script to run, relative to the workspace folder'));
  } else if (scriptIsFile) {
    // `${file}`: the script is the one the command runs on, checked when it is known.
  } else if (typeof j.sourceDir === 'string' && j.sourceDir.trim()) {
    const dir = local(j.sourceDir);
    const script = path.isAbsolute(j.script) ? j.script : path.join(dir, j.script);
    if (unresolved(dir) || unresolved(j.script)) { /* reported by the substitution */ }
    else if (!exists(dir)) c.add(origin('sourceDir', key, own, defaults), t('folder not found: {0}', dir));
    else if (opts.isDirectory && !opts.isDirectory(dir)) c.add(origin('sourceDir', key, own, defaults), t('{0} is not a folder', dir));
    else if (path.isAbsolute(j.script) ? !j.script.startsWith(dir + path.sep) : false) c.add([...at, 'script'], t('with sourceDir, the script must be inside {0}', dir));
    else if (!exists(script)) c.add(origin('script', key, own, defaults), t('script not found in sourceDir: {0}', path.join(dir, j.script)));
    else if (confined(origin('sourceDir', key, own, defaults), dir, 'dir')) confined(origin('script', key, own, defaults), script, 'file', dir);
  } else if (unresolved(j.script)) {
    // reported by the substitution
  } else if (!exists(local(j.script))) {
    c.add(origin('script', key, own, defaults), scriptField === 'notebook' ? t('notebook not found: {0}', local(j.script)) : t('script not found: {0}', local(j.script)));
  } else confined(origin('script', key, own, defaults), local(j.script), 'file');

  // Exactly one image source.
  const sources = (['image', 'framework', 'build'] as const).filter((s) => j[s] !== undefined);
  if (sources.length === 0) c.add(at, t('no image: set one of "image", "framework" or "build" (here or in defaults)'));
  else if (sources.length > 1) c.add(at, t('set only one of "image", "framework" and "build" (found {0})', listed(sources.map((s) => `"${s}"`))));
  if (isObject(j.framework) && typeof j.framework.name === 'string' && typeof j.framework.version === 'string' && FRAMEWORKS[j.framework.name]) {
    const r = frameworkImageUri(j.framework, opts.region ?? 'us-east-1', j.instanceType);
    if ('error' in r) c.add([...origin('framework', key, own, defaults), r.field], r.error);
  }
  if (isObject(j.build) && typeof j.build.dockerfile === 'string' && !unresolved(j.build.dockerfile) && !exists(local(j.build.dockerfile))) {
    c.add([...origin('build', key, own, defaults), 'dockerfile'], t('Dockerfile not found: {0}', local(j.build.dockerfile)));
  }

  if (j.role === undefined && opts.requireRole && !opts.defaultRoleArn) {
    c.add(at, opts.roleHint ? t('no "role": set an IAM role ARN here, in defaults, or {0}', opts.roleHint) : t('no "role": set an IAM role ARN here, in defaults, or in the {0} setting', 'sagemakerProcessing.defaultRoleArn'));
  }

  // Command + script must fit ContainerEntrypoint.
  if (Array.isArray(j.command)) {
    if (j.command.length + 1 > LIMITS.entrypoint) c.add(origin('command', key, own, defaults), t('ContainerEntrypoint would have {0} items; at most {1}', j.command.length + 1, LIMITS.entrypoint));
    j.command.forEach((x, i) => {
      if (typeof x === 'string' && x.length > LIMITS.argumentLength) c.add([...origin('command', key, own, defaults), i], t('is {0} characters long; at most {1}', x.length, LIMITS.argumentLength));
    });
  }

  // Inputs.
  const codeInputs = typeof j.sourceDir === 'string' ? ['code', 'entrypoint'] : ['code'];
  const inputNames = new Map<string, number>();
  if (Array.isArray(j.inputs)) {
    const base = origin('inputs', key, own, defaults);
    if (j.inputs.length <= LIMITS.inputs && j.inputs.length + codeInputs.length > LIMITS.inputs) {
      const names = listed(codeInputs.map((n) => `"${n}"`));
      const total = j.inputs.length + codeInputs.length;
      c.add(base, codeInputs.length > 1
        ? t('has {0} inputs; with the {1} inputs the job would have {2}, at most {3}', j.inputs.length, names, total, LIMITS.inputs)
        : t('has {0} inputs; with the {1} input the job would have {2}, at most {3}', j.inputs.length, names, total, LIMITS.inputs));
    }
    const dests = new Map<string, number>();
    j.inputs.forEach((inp, i) => {
      if (!isObject(inp)) return;
      const name = typeof inp.name === 'string' ? inp.name : `input-${i + 1}`;
      if (codeInputs.includes(name)) c.add([...base, i, 'name'], t('"{0}" is reserved for the job\'s code', name));
      else if (inputNames.has(name)) c.add([...base, i, 'name'], t('duplicate input name "{0}" (also {1})', name, `inputs[${inputNames.get(name)}]`));
      else inputNames.set(name, i);
      if (typeof inp.source === 'string' && inp.source.trim()) {
        if (/^s3:\/\//i.test(inp.source)) {
          if (!S3_URI.test(inp.source)) c.add([...base, i, 'source'], t('"{0}" is not a valid S3 URI (s3://bucket/prefix)', inp.source));
        } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inp.source)) {
          c.add([...base, i, 'source'], t('"{0}" must be an s3:// URI or a local path', inp.source));
        } else if (unresolved(inp.source)) {
          // reported by the substitution
        } else if (!exists(local(inp.source))) {
          c.add([...base, i, 'source'], t('local file not found: {0}', local(inp.source)));
        } else confined([...base, i, 'source'], local(inp.source), 'any');
      }
      if (typeof inp.destination === 'string' && inp.destination.trim()) {
        checkContainerPath(inp.destination, [...base, i, 'destination'], c);
        const d = normalizeContainerPath(inp.destination);
        if (d === '/opt/ml/processing/input/code' || d === '/opt/ml/processing/input/entrypoint') c.add([...base, i, 'destination'], t('{0} is where the job\'s code goes', d));
        else if (dests.has(d)) c.add([...base, i, 'destination'], t('same destination as {0}', `inputs[${dests.get(d)}]`));
        else dests.set(d, i);
      }
    });
  }

  // Outputs.
  if (Array.isArray(j.outputs)) {
    const base = origin('outputs', key, own, defaults);
    const names = new Map<string, number>();
    j.outputs.forEach((out, i) => {
      if (!isObject(out)) return;
      const name = typeof out.name === 'string' ? out.name : `output-${i + 1}`;
      if (names.has(name)) c.add([...base, i, 'name'], t('duplicate output name "{0}" (also {1})', name, `outputs[${names.get(name)}]`));
      else names.set(name, i);
      if (typeof out.source === 'string' && out.source.trim()) checkContainerPath(out.source, [...base, i, 'source'], c);
      if (typeof out.destination === 'string' && out.destination.trim() && !S3_URI.test(out.destination)) {
        c.add([...base, i, 'destination'], t('"{0}" is not a valid S3 URI (s3://bucket/prefix)', out.destination));
      }
    });
  }

  if (isObject(j.network)) {
    const n = j.network;
    const hasSubnets = Array.isArray(n.subnets) && n.subnets.length > 0;
    const hasGroups = Array.isArray(n.securityGroups) && n.securityGroups.length > 0;
    if (hasSubnets !== hasGroups) c.add(origin('network', key, own, defaults), t('"subnets" and "securityGroups" go together: set both or neither'));
  }
  if (own.schedule === undefined && defaults?.schedule !== undefined) c.add(['defaults', 'schedule'], t('a schedule belongs on one job, not in defaults'));
  else if (isObject(own.schedule)) for (const [field, msg] of checkSchedule(own.schedule)) c.add(['jobs', key, 'schedule', field], msg);
  if (typeof j.baseJobName === 'string' && j.baseJobName.length > MAX_JOB_NAME) {
    c.add(origin('baseJobName', key, own, defaults), t('is {0} characters long; at most {1}', j.baseJobName.length, MAX_JOB_NAME));
  }
}

/**
 * `notebook` + `parameters`: the notebook is a .ipynb, not beside a `script`, `sourceDir` or Spark; `parameters` only
 * with a notebook; the output name "notebook" is the executed copy's. Returns the job as it runs (see ./notebook.ts),
 * whose arguments and outputs are then checked like any job's.
 */
function checkNotebook(key: string, j: JobFields, own: JobFields, defaults: JobFields | undefined, c: Collector): JobFields {
  if (j.notebook === undefined) {
    if (j.parameters !== undefined) c.add(originOf('parameters', key, own, defaults), t('"parameters" go with "notebook" (the values papermill injects into a notebook)'));
    return j;
  }
  const at = originOf('notebook', key, own, defaults);
  if (typeof j.notebook !== 'string') return j;
  if (j.script !== undefined) {
    c.add(at, t('set either "script" or "notebook", not both'));
    return j;
  }
  if (!/\.ipynb$/i.test(j.notebook) && !j.notebook.includes('${')) c.add(at, t('"{0}" is not a notebook (a .ipynb file)', j.notebook));
  if (j.sourceDir !== undefined) c.add(originOf('sourceDir', key, own, defaults), t('a notebook job runs the notebook itself: "sourceDir" is for scripts (FrameworkProcessor)'));
  if (j.spark !== undefined || (isObject(j.framework) && j.framework.name === 'spark')) c.add(at, t('a notebook job cannot run on Spark (PySparkProcessor runs a script)'));
  if (Array.isArray(j.outputs)) {
    const i = j.outputs.findIndex((o) => isObject(o) && o.name === NOTEBOOK_OUTPUT);
    if (i >= 0) c.add([...originOf('outputs', key, own, defaults), i, 'name'], t('"{0}" is the output of the executed notebook', NOTEBOOK_OUTPUT));
  }
  if (!isObject(j.parameters) && j.parameters !== undefined) return j;
  const run = expandNotebookJob(j);
  const args = run.arguments ?? [];
  if (args.length > LIMITS.arguments) c.add(isObject(j.parameters) ? originOf('parameters', key, own, defaults) : at, t('papermill\'s arguments would be {0}; at most {1}', args.length, LIMITS.arguments));
  for (const [k, v] of Object.entries(isObject(j.parameters) ? j.parameters : {})) {
    const text = typeof v === 'string' ? v : JSON.stringify({ [k]: v });
    if (text.length > LIMITS.argumentLength) c.add([...originOf('parameters', key, own, defaults), k], t('is {0} characters long as an argument; at most {1}', text.length, LIMITS.argumentLength));
  }
  if (Array.isArray(j.outputs) && j.outputs.length + 1 > LIMITS.outputs && j.outputs.length <= LIMITS.outputs) c.add(originOf('outputs', key, own, defaults), t('has {0} outputs; with the executed notebook\'s the job would have {1}, at most {2}', j.outputs.length, j.outputs.length + 1, LIMITS.outputs));
  // The job's own arguments/outputs are checked as written (the generated ones are ours); a sourceDir is reported above.
  return { ...run, arguments: j.arguments, outputs: j.outputs, sourceDir: undefined };
}

function checkContainerPath(p: string, at: PathSegment[], c: Collector): void {
  if (!p.startsWith('/')) return c.add(at, t('"{0}" must be an absolute path under {1}', p, PROCESSING_ROOT));
  if (p.split('/').includes('..')) return c.add(at, t('"{0}" must not contain ".."', p));
  const n = normalizeContainerPath(p);
  if (!n.startsWith(PROCESSING_ROOT) || n.length <= PROCESSING_ROOT.length) c.add(at, t('"{0}" must be a folder under {1}', p, PROCESSING_ROOT));
  else if (p.length > 256) c.add(at, t('is {0} characters long; at most {1}', p.length, 256));
}
