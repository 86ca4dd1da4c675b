// A job of .vscode/sagemaker-processing.json resolved for a local run: the definition feature's own validation and
// resolver (src/core/definition), with what a local run does not need from AWS (role, account) filled with placeholders.
import { loadDefinition, resolveJob } from '../definition/resolve';
import { mergeDefaults } from '../definition/validate';
import { toContainerSpec, type ContainerSpec } from '../definition/containerSpec';
import { DefinitionError, type DefinitionFile } from '../definition/types';
import { confinePaths, localPathRefs, type LocalPathRef } from '../definition/confine';
import type { FileSystemPort } from '../definition/files';
import { localImageTag } from './plan';

export const LOCAL_ACCOUNT = '000000000000';
const LOCAL_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-run`;

function load(text: string, workspaceDir: string, fs?: FileSystemPort, env: Record<string, string | undefined> = process.env, file?: string): DefinitionFile {
  return loadDefinition(text, { workspaceFolder: workspaceDir, variables: { env, file }, ...(fs ? { fileExists: (p: string) => fs.exists(p) } : {}) });
}

export interface LocalResolved {
  spec: ContainerSpec;
  /** The definition allows network access (`network.enableNetworkIsolation: false` stated explicitly). */
  allowNetwork: boolean;
  roleArn?: string;
  /** Outputs whose S3 destination is not known locally (it needs the account, or the default bucket with none given). */
  localOnlyOutputs: string[];
  /** The local paths the run mounts (script, sourceDir, inputs), for confineLocalJob. */
  localPaths: LocalPathRef[];
}

/** Refuses a local run whose paths are not regular files/folders inside the workspace folder (unless opted in). */
export async function confineLocalJob(r: LocalResolved, workspaceDir: string, allowOutside: boolean, optInHint?: string): Promise<void> {
  const refused = await confinePaths(r.localPaths, { workspaceFolder: workspaceDir, allowOutside, optInHint });
  if (refused.length) throw new DefinitionError(refused);
}

/** A destination (or bucket) text that refers to what only AWS knows. */
function needsAws(text: string, defaultBucketKnown: boolean): boolean {
  return /\$\{accountId\}/.test(text) || (!defaultBucketKnown && /\$\{defaultBucket\}/.test(text));
}

/** Resolves one job for a local run: validated, defaults merged, variables substituted, local paths absolute. */
export function resolveLocalJob(text: string, key: string, opts: { workspaceDir: string; env: Record<string, string | undefined>; region?: string; file?: string; now?: Date; fs?: FileSystemPort; defaultBucket?: string; argumentsOverride?: string[] }): LocalResolved {
  const def = load(text, opts.workspaceDir, opts.fs, opts.env, opts.file);
  const job = resolveJob(def, key, {
    workspaceFolder: opts.workspaceDir,
    region: opts.region || 'us-east-1',
    account: LOCAL_ACCOUNT,
    defaultBucket: opts.defaultBucket || 'local',
    defaultRoleArn: LOCAL_ROLE,
    file: opts.file,
    env: opts.env,
    now: opts.now,
    fs: opts.fs,
    // A `build` block is built locally under this tag (no ECR involved).
    resolveBuildImage: () => localImageTag(key),
  });
  // Which outputs' destinations are real: stated without AWS-only variables, or the SDK default with a known bucket.
  const merged = mergeDefaults(def.defaults, def.jobs?.[key] ?? {});
  const known = !!opts.defaultBucket;
  const rawOutputs = Array.isArray(merged.outputs) ? merged.outputs : [];
  const localOnlyOutputs = job.outputs.filter((_o, n) => {
    const raw = rawOutputs[n] as { destination?: unknown } | undefined;
    if (typeof raw?.destination === 'string') return needsAws(raw.destination, known);
    return typeof merged.bucket === 'string' ? needsAws(merged.bucket, known) : !known;
  }).map((o) => o.name);
  return { spec: toContainerSpec(opts.argumentsOverride ? { ...job, arguments: [...opts.argumentsOverride] } : job), allowNetwork: job.network?.enableNetworkIsolation === false, roleArn: job.role === LOCAL_ROLE ? undefined : job.role, localOnlyOutputs, localPaths: localPathRefs(def, job) };
}
