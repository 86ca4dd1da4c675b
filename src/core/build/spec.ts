// What one image build is: Dockerfile, context, ECR repository, tag, platform, build args, push on/off; plus the
// naming rules of ECR and the reference formats (`<registry>/<repo>:<tag>`, `<registry>/<repo>@sha256:…`).
import * as path from 'node:path';
import { t } from '../l10n';

export const DEFAULT_PLATFORM = 'linux/amd64';
export const DEFAULT_TAG = 'latest';
export const TASK_TYPE = 'sagemaker-image';

/** The build as written in a task (tasks.json / the provider) or a job definition's `build` block. */
export interface BuildInput {
  job?: string;
  dockerfile?: string;
  context?: string;
  repository?: string;
  tag?: string;
  platform?: string;
  buildArgs?: Record<string, unknown>;
  push?: boolean;
}

/** A validated build with absolute paths. */
export interface BuildSpec {
  /** Job key in the definition file, when the build comes from one. */
  job?: string;
  dockerfile: string;
  context: string;
  repository: string;
  tag: string;
  platform: string;
  buildArgs: Record<string, string>;
  push: boolean;
}

export class BuildSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'BuildSpecError';
  }
}

// ECR: 2–256 chars, lowercase, components separated by `/`, each made of [a-z0-9] runs joined by `.`, `_` or `-`.
const REPO_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ARG_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLATFORM_RE = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

export function repositoryProblem(name: string | undefined): string | undefined {
  if (!name) return t('repository is required (the ECR repository name, e.g. "my-processing-image").');
  if (name.length < 2 || name.length > 256) return t('repository "{0}" must be 2–256 characters long.', name);
  if (!REPO_RE.test(name)) {
    return t('repository "{0}" is not a valid ECR repository name: use lowercase letters, digits and . _ - (not at the start or end), with / between parts.', name);
  }
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  return TAG_RE.test(tag) ? undefined : t('tag "{0}" is not a valid image tag (letters, digits, _ . -, at most 128, not starting with . or -).', tag);
}

/**
 * Build-arg values reach the container CLI through its environment (`--build-arg NAME` with NAME=value in the child's
 * environment, so no value is ever on a command line). A name the CLI or the loader reads for itself (DOCKER_HOST,
 * PATH, LD_PRELOAD, …) would change what the CLI does, so such names are refused.
 */
const RESERVED_ARG = /^(PATH|HOME|USER|SHELL|PWD|TMPDIR|TMP|TEMP|CONTAINER_HOST|CONTAINER_CONNECTION|REGISTRY_AUTH_FILE|SSL_CERT_FILE|SSL_CERT_DIR|(LD|DYLD|DOCKER|BUILDX|PODMAN|CONTAINERS|XDG|FINCH|NERDCTL|CONTAINERD)_[A-Z0-9_]*)$/i;

/** Why a build-arg name cannot be passed through the container CLI's environment, if it cannot. */
export function buildArgNameProblem(name: string): string | undefined {
  return RESERVED_ARG.test(name)
    ? t('build arg "{0}" cannot be used: values are passed in the container CLI\'s environment (never on its command line), and "{0}" would change how the CLI itself runs.', name)
    : undefined;
}

/** Validates and resolves a build against its workspace folder. Throws BuildSpecError listing every problem. */
export function resolveBuildSpec(input: BuildInput, folder: string): BuildSpec {
  const problems: string[] = [];
  const repo = input.repository?.trim();
  const rp = repositoryProblem(repo);
  if (rp) problems.push(rp);
  const tag = input.tag?.trim() || DEFAULT_TAG;
  const tp = tagProblem(tag);
  if (tp) problems.push(tp);
  const platform = input.platform?.trim() || DEFAULT_PLATFORM;
  if (!PLATFORM_RE.test(platform)) problems.push(t('platform "{0}" is not of the form os/arch (e.g. linux/amd64).', platform));
  const buildArgs: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.buildArgs ?? {})) {
    // An empty value (e.g. an unset `${env:…}`) means "not given": the Dockerfile's ARG default applies.
    if (v === '' || v === undefined || v === null) continue;
    if (!ARG_RE.test(k)) problems.push(t('build arg "{0}" is not a valid name (letters, digits and _, not starting with a digit).', k));
    else if (buildArgNameProblem(k)) problems.push(buildArgNameProblem(k)!);
    else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') problems.push(t('build arg "{0}" must be a string.', k));
    else buildArgs[k] = String(v);
  }
  const context = path.resolve(folder, input.context?.trim() || '.');
  const dockerfile = input.dockerfile?.trim() ? path.resolve(folder, input.dockerfile.trim()) : path.join(context, 'Dockerfile');
  if (problems.length) throw new BuildSpecError(problems);
  return { job: input.job, dockerfile, context, repository: repo!, tag, platform, buildArgs, push: input.push !== false };
}

/** `<account>.dkr.ecr.<region>.amazonaws.com` (`.amazonaws.com.cn` in China regions). */
export function registryHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The registry host from GetAuthorizationToken's proxyEndpoint (`https://host[:port]`). */
export function registryFromEndpoint(endpoint: string): string {
  return endpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

export function tagRef(registry: string, repository: string, tag: string): string {
  return `${registry}/${repository}:${tag}`;
}

export function digestRef(registry: string, repository: string, digest: string): string {
  return `${registry}/${repository}@${digest}`;
}

export function isDigest(d: string | undefined): d is string {
  return !!d && /^sha256:[0-9a-f]{64}$/.test(d);
}

/** The local tag a build gets before it is tagged for the registry. */
export function localRef(spec: Pick<BuildSpec, 'repository' | 'tag'>): string {
  return `${spec.repository}:${spec.tag}`;
}

/** Build args every Dockerfile accepts without an ARG line. */
const PREDEFINED_ARGS = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy', 'BUILDKIT_INLINE_CACHE', 'SOURCE_DATE_EPOCH']);

/** The names a Dockerfile declares with ARG (continuation lines and comments handled roughly). */
export function dockerfileArgs(text: string): Set<string> {
  const names = new Set<string>();
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const line of joined.split(/\r?\n/)) {
    const m = /^\s*ARG\s+(.+)$/i.exec(line);
    if (!m) continue;
    for (const part of m[1].trim().split(/\s+/)) {
      const name = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1];
      if (name) names.add(name);
    }
  }
  return names;
}

/** Build args the Dockerfile never declares: docker would ignore them with a warning; we fail instead. */
export function undeclaredBuildArgs(dockerfileText: string, args: Record<string, string>): string[] {
  const declared = dockerfileArgs(dockerfileText);
  return Object.keys(args).filter((k) => !declared.has(k) && !PREDEFINED_ARGS.has(k));
}

/** An image in ECR, as named by an image URI `<account>.dkr.ecr.<region>.amazonaws.com/<repo>(:<tag>|@sha256:…)`. */
export interface EcrImageRef {
  uri: string;
  registryId: string;
  region: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** The ECR parts of an image URI, or undefined when it is not an ECR URI (Docker Hub, a local name…). */
export function parseEcrImageUri(uri: string): EcrImageRef | undefined {
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::([\w][\w.-]{0,127})|@(sha256:[0-9a-f]{64}))?$/.exec(uri);
  if (!m) return undefined;
  return { uri, registryId: m[1], region: m[2], repository: m[3], ...(m[5] ? { digest: m[5] } : { tag: m[4] ?? DEFAULT_TAG }) };
}

/** What an ECR lookup of an image found ('unknown': not allowed to look, or another region than the client's). */
export type EcrImageState = 'present' | 'no-repository' | 'no-image' | 'unknown';

/** The message for an image that is not in ECR, or undefined when it is (or cannot be checked). */
export function missingImageMessage(ref: EcrImageRef, state: EcrImageState): string | undefined {
  if (state === 'no-repository') return t('The image {0} does not exist: ECR has no repository "{1}" in account {2} ({3}). Build and push it first, or fix "image".', ref.uri, ref.repository, ref.registryId, ref.region);
  if (state === 'no-image') {
    return ref.digest
      ? t('The image {0} does not exist: repository "{1}" has no image with digest {2}. Build and push it first, or fix "image".', ref.uri, ref.repository, ref.digest)
      : t('The image {0} does not exist: repository "{1}" has no image tagged "{2}". Build and push it first, or fix "image".', ref.uri, ref.repository, String(ref.tag));
  }
  return undefined;
}
