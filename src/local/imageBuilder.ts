// Builds and pushes a processing image as named steps (account/region, ECR repository, login, build, tag, push,
// digest), each with its duration and the tools' streamed output. UI-free: the terminal task, the run command and the
// CLI all drive it through events.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { AwsClients } from '../aws/index';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import { buildContentHash, contextIgnoreRules, isIgnored, type ContextFile } from '../core/build/hash';
import { planSteps, redact, stepTitle, type PlannedStep, type StepId } from '../core/build/plan';
import {
  BUILDS_FILE, makeRecord, parseBuildsFile, serializeBuildsFile, upToDate, withRecord, type BuildRecord,
} from '../core/build/record';
import { localRef, registryFromEndpoint, registryHost, resolveBuildSpec, tagRef, undeclaredBuildArgs, type BuildInput, type BuildSpec } from '../core/build/spec';
import { ContainerCli, ContainerCliError, type OutputStream } from './containerCli';
import { containerCliFrom } from './containerCliConfig';
import { t } from '../core/l10n';

/** The AWS calls a build needs (implemented over AwsClients by awsForBuild; a port so tests and the CLI can pass their own). */
export interface BuildAws {
  identity(signal?: AbortSignal): Promise<{ account: string; region: string }>;
  ensureRepository(name: string, signal?: AbortSignal): Promise<{ created: boolean; uri: string }>;
  /** Password is a secret: it goes to the container CLI's stdin and nowhere else. */
  authorization(signal?: AbortSignal): Promise<{ username: string; password: string; proxyEndpoint: string }>;
}

export function awsForBuild(clients: AwsClients): BuildAws {
  return {
    async identity() {
      // The account is looked up once per target (shared with submission's cache), the region is local.
      const sts = await clients.sts();
      const [account, region] = await Promise.all([clients.memo('account', async () => (await sts.callerIdentity()).account), sts.region()]);
      return { account, region };
    },
    async ensureRepository(name, signal) {
      return await (await clients.ecr()).ensureRepository(name, signal);
    },
    async authorization(signal) {
      return await (await clients.ecr()).authorization(signal);
    },
  };
}

export type BuildEvent =
  | { type: 'plan'; steps: PlannedStep[] }
  | { type: 'start'; step: StepId; title: string }
  | { type: 'output'; step: StepId; text: string; stream: OutputStream }
  | { type: 'info'; text: string }
  | { type: 'end'; step: StepId; title: string; ms: number; ok: boolean; error?: string };

/** A step failed: which one and why (the tool's own output was already streamed). */
export class BuildStepError extends Error {
  constructor(readonly step: StepId, message: string, readonly cancelled = false) {
    super(message);
    this.name = 'BuildStepError';
  }
}

export interface BuildResult {
  imageId?: string;
  contentHash: string;
  /** Set when pushed: the registry, the tag reference, the digest and `<registry>/<repo>@sha256:…`. */
  registry?: string;
  tagRef?: string;
  digest?: string;
  imageUri?: string;
  record?: BuildRecord;
}

export interface ImageBuildDeps {
  cli: ContainerCli;
  aws: BuildAws;
  /** Workspace folder: where .sagemaker-local/builds.json is kept. */
  folder: string;
  emit?: (e: BuildEvent) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

const EMPTY_SHA = createHash('sha256').digest('hex');

/** Walks the build context, honouring .dockerignore roughly (the Dockerfile and .dockerignore always count). */
function contextFiles(context: string): ContextFile[] {
  let ignoreText: string | undefined;
  try {
    ignoreText = fs.readFileSync(path.join(context, '.dockerignore'), 'utf8');
  } catch {
    /* none: the tool's own output folders are left out (ContainerCli.build sends the same) */
  }
  const rules = contextIgnoreRules(ignoreText);
  const out: ContextFile[] = [];
  const walk = (dir: string, relDir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = relDir ? `${relDir}/${ent.name}` : ent.name;
      const abs = path.join(dir, ent.name);
      const ignored = isIgnored(rel, rules);
      if (ent.isDirectory()) {
        // An ignored folder may still hold an exception (`!dir/keep`); descend only when some rule negates.
        if (!ignored || rules.some((r) => r.negate)) walk(abs, rel);
        continue;
      }
      if (ignored) continue;
      if (ent.isSymbolicLink()) {
        out.push({ rel, executable: false, sha256: createHash('sha256').update('link:' + fs.readlinkSync(abs)).digest('hex') });
      } else if (ent.isFile()) {
        const st = fs.statSync(abs);
        out.push({ rel, executable: (st.mode & 0o111) !== 0, sha256: st.size ? createHash('sha256').update(fs.readFileSync(abs)).digest('hex') : EMPTY_SHA });
      }
    }
  };
  walk(context, '');
  return out;
}

/** The content hash of a build as it is on disk now. Throws BuildStepError('build') for a missing Dockerfile/context. */
function computeContentHash(spec: BuildSpec): string {
  checkInputs(spec);
  const text = fs.readFileSync(spec.dockerfile, 'utf8');
  const rel = path.relative(spec.context, spec.dockerfile).split(path.sep).join('/');
  return buildContentHash(spec, text, rel, contextFiles(spec.context));
}

function checkInputs(spec: BuildSpec): void {
  if (!fs.existsSync(spec.context) || !fs.statSync(spec.context).isDirectory()) {
    throw new BuildStepError('build', t('The build context folder does not exist: {0}', spec.context));
  }
  if (!fs.existsSync(spec.dockerfile) || !fs.statSync(spec.dockerfile).isFile()) {
    throw new BuildStepError('build', t('The Dockerfile does not exist: {0}. Set "dockerfile" in the build block or task.', spec.dockerfile));
  }
  const undeclared = undeclaredBuildArgs(fs.readFileSync(spec.dockerfile, 'utf8'), spec.buildArgs);
  if (undeclared.length) {
    const names = undeclared.map((a) => `"${a}"`).join(', ');
    const file = path.basename(spec.dockerfile);
    throw new BuildStepError('build', undeclared.length > 1
      ? t('Build args {0} are not declared with ARG in {1}; docker would silently ignore them. Fix the name or add `ARG {2}` to the Dockerfile.', names, file, undeclared[0])
      : t('Build arg {0} is not declared with ARG in {1}; docker would silently ignore it. Fix the name or add `ARG {2}` to the Dockerfile.', names, file, undeclared[0]));
  }
}

/** Reads the "last pushed" records of a workspace folder. */
export function readBuilds(folder: string) {
  try {
    return parseBuildsFile(fs.readFileSync(path.join(folder, BUILDS_FILE), 'utf8'));
  } catch {
    return parseBuildsFile(undefined);
  }
}

/** Adds one record, written to a temp file and renamed, so a crash never leaves a half-written file. */
function saveBuildRecord(folder: string, record: BuildRecord): void {
  const file = path.join(folder, BUILDS_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, serializeBuildsFile(withRecord(readBuilds(folder), record)));
  fs.renameSync(tmp, file);
}

function pushHint(text: string): string {
  if (/denied|unauthorized|authentication required|no basic auth|401|403/i.test(text)) {
    if (/expired/i.test(text)) return t('The registry login has expired. Run the task again: every run fetches a fresh ECR token.');
    return t('The registry refused the push (access denied). Check that your AWS identity may push to this repository (ecr:PutImage, ecr:InitiateLayerUpload…) and that the login step used the same registry.');
  }
  if (/connection refused|no such host|i\/o timeout|dial tcp|network is unreachable|TLS handshake|x509/i.test(text)) {
    return t('The registry is unreachable. Check the network, proxy or VPN, and the registry host.');
  }
  if (/name unknown|repository .* not found|does not exist/i.test(text)) return t('The repository does not exist in the registry.');
  return '';
}

function loginHint(text: string): string {
  if (/401|unauthorized|denied|incorrect username or password/i.test(text)) return t('The registry refused the ECR credentials.');
  if (/connection refused|no such host|i\/o timeout|dial tcp|network is unreachable|TLS handshake|x509/i.test(text)) {
    return t('The registry is unreachable. Check the network, proxy or VPN.');
  }
  return '';
}

/** Runs the planned steps. Emits events; resolves with the result or rejects with a BuildStepError. */
export async function runImageBuild(spec: BuildSpec, deps: ImageBuildDeps): Promise<BuildResult> {
  const emit = deps.emit ?? (() => undefined);
  const secrets: string[] = [];
  const safeEmit = (e: BuildEvent) => {
    if (e.type === 'output' || e.type === 'info') emit({ ...e, text: redact(e.text, secrets) });
    else if (e.type === 'end' && e.error) emit({ ...e, error: redact(e.error, secrets) });
    else emit(e);
  };
  const signal = deps.signal;
  const step = async <T>(id: StepId, fn: (out: (text: string, stream: OutputStream) => void) => Promise<T>): Promise<T> => {
    const title = stepTitle(id);
    safeEmit({ type: 'start', step: id, title });
    const t0 = performance.now();
    try {
      if (signal?.aborted) throw new BuildStepError(id, t('Cancelled.'), true);
      const v = await fn((text, stream) => safeEmit({ type: 'output', step: id, text, stream }));
      safeEmit({ type: 'end', step: id, title, ms: performance.now() - t0, ok: true });
      return v;
    } catch (err) {
      const e = toStepError(id, err);
      safeEmit({ type: 'end', step: id, title, ms: performance.now() - t0, ok: false, error: e.message });
      throw e;
    }
  };

  safeEmit({ type: 'plan', steps: planSteps(spec) });
  let contentHash = '';
  try {
    contentHash = computeContentHash(spec);
  } catch (err) {
    // Missing Dockerfile/context or an undeclared build arg fails the build step before anything runs.
    const e = toStepError('build', err);
    safeEmit({ type: 'start', step: 'build', title: stepTitle('build') });
    safeEmit({ type: 'end', step: 'build', title: stepTitle('build'), ms: 0, ok: false, error: e.message });
    throw e;
  }

  let registry: string | undefined;
  if (spec.push) {
    const id = await step('identity', async (out) => {
      const who = await deps.aws.identity(signal);
      out(`${t('account {0}, region {1}', String(who.account), String(who.region))}\n`, 'stdout');
      return who;
    });
    registry = registryHost(id.account, id.region);
    await step('repository', async (out) => {
      const r = await deps.aws.ensureRepository(spec.repository, signal);
      out(`${r.created ? t('created {0}', r.uri || `${registry}/${spec.repository}`) : t('found {0}', r.uri || `${registry}/${spec.repository}`)}\n`, 'stdout');
      if (r.uri && r.uri.includes('/')) registry = r.uri.slice(0, r.uri.indexOf('/'));
    });
    await step('login', async (out) => {
      const auth = await deps.aws.authorization(signal);
      secrets.push(auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
      const host = registryFromEndpoint(auth.proxyEndpoint) || registry!;
      registry = host;
      try {
        await deps.cli.login(host, auth.username, auth.password, { signal, onOutput: out });
      } catch (err) {
        if (err instanceof ContainerCliError && err.kind === 'failed') {
          const hint = loginHint(err.message);
          throw new Error(`${hint ? t('Login to {0} failed. {1}', host, hint) : t('Login to {0} failed.', host)}\n${err.message}`);
        }
        throw err;
      }
    });
  }

  const engine = await step('build', async (out) => {
    const info = await deps.cli.engineInfo(signal);
    let platform: string | undefined = spec.platform;
    if (!info.supportsPlatform) {
      if (info.platform === spec.platform) {
        out(`${t('(this engine, API {0}, does not take --platform; it builds {1} natively)', String(info.apiVersion), String(info.platform))}\n`, 'stderr');
        platform = undefined;
      } else {
        throw new Error(info.platform !== undefined
          ? t('This container engine (API {0}, {1}) cannot build for {2}: enable experimental features or update the engine to API 1.38 or later.', info.apiVersion ?? '?', info.platform, String(spec.platform))
          : t('This container engine (API {0}, unknown platform) cannot build for {1}: enable experimental features or update the engine to API 1.38 or later.', info.apiVersion ?? '?', String(spec.platform)));
      }
    }
    const tags = [localRef(spec)];
    out(`$ ${path.basename(deps.cli.command)} ${deps.cli.buildArgs({ dockerfile: spec.dockerfile, context: spec.context, tags, platform, buildArgs: spec.buildArgs }).join(' ')}\n`, 'stdout');
    const r = await deps.cli.build({ dockerfile: spec.dockerfile, context: spec.context, tags, platform, buildArgs: spec.buildArgs }, { signal, onOutput: out });
    return { imageId: r.imageId };
  });

  if (!spec.push || !registry) return { imageId: engine.imageId, contentHash };

  const ref = tagRef(registry, spec.repository, spec.tag);
  await step('tag', async (out) => {
    await deps.cli.tag(localRef(spec), ref, { signal });
    out(`${localRef(spec)} → ${ref}\n`, 'stdout');
  });
  let printed: string | undefined;
  await step('push', async (out) => {
    try {
      printed = (await deps.cli.push(ref, { signal, onOutput: out })).digest;
    } catch (err) {
      if (err instanceof ContainerCliError && err.kind === 'failed') {
        const hint = pushHint(err.message);
        throw new Error(hint ? `${hint}\n${err.message}` : err.message);
      }
      throw err;
    }
  });
  const digest = await step('digest', async (out) => {
    const d = printed ?? (await deps.cli.repoDigest(ref, signal));
    if (!d) throw new Error(t('The push finished but no digest could be read for {0}.', ref));
    out(`${registry}/${spec.repository}@${d}\n`, 'stdout');
    return d;
  });
  const record = makeRecord(registry, spec.repository, spec.tag, digest, contentHash, deps.now?.() ?? new Date());
  saveBuildRecord(deps.folder, record);
  return { imageId: engine.imageId, contentHash, registry, tagRef: ref, digest, imageUri: record.imageUri, record };
}

function toStepError(id: StepId, err: unknown): BuildStepError {
  if (err instanceof BuildStepError) return err;
  if (err instanceof ContainerCliError) return new BuildStepError(id, err.message, err.kind === 'cancelled');
  const e = err as Error;
  const kind = classifyAwsError(err).kind;
  if (kind === 'aborted') return new BuildStepError(id, t('Cancelled.'), true);
  // AWS SDK errors carry $metadata; the rest are our own messages.
  if ((err as { $metadata?: unknown })?.$metadata !== undefined || kind === 'credentials' || kind === 'expired' || kind === 'noRegion' || kind === 'network') {
    const explained = explainAwsError(err);
    // Keep the SDK's own words (e.g. which host was not found) when the explanation leaves them out.
    return new BuildStepError(id, e?.message && !explained.includes(e.message) ? `${explained} (${e.message})` : explained);
  }
  return new BuildStepError(id, e?.message ?? String(err));
}

export interface EnsureResult {
  /** `<registry>/<repo>@sha256:…` — what the job should run. */
  imageUri: string;
  /** False when the last pushed image's content hash matched and it was reused. */
  built: boolean;
  record: BuildRecord;
}

/**
 * The image a job with a `build` block should run: the last pushed digest when the Dockerfile and its context are
 * unchanged since that push, else builds and pushes first (emitting the same steps as the task).
 */
export async function ensureImageBuilt(spec: BuildSpec, deps: ImageBuildDeps): Promise<EnsureResult> {
  const s = { ...spec, push: true };
  const hash = computeContentHash(s);
  const who = await deps.aws.identity(deps.signal);
  const registry = registryHost(who.account, who.region);
  const last = upToDate(readBuilds(deps.folder), registry, s.repository, s.tag, hash);
  if (last) {
    deps.emit?.({ type: 'info', text: `${t('Image unchanged since its push at {0}: using {1}', last.pushedAt, last.imageUri)}\n` });
    return { imageUri: last.imageUri, built: false, record: last };
  }
  const r = await runImageBuild(s, deps);
  return { imageUri: r.imageUri!, built: true, record: r.record! };
}

/** Whether the last push of this build is still current (for the UI to decide whether a build must run). */
export function lastPushedIfCurrent(spec: BuildSpec, folder: string, registry: string): BuildRecord | undefined {
  return upToDate(readBuilds(folder), registry, spec.repository, spec.tag, computeContentHash(spec));
}

/**
 * For the CLI's `run`: the job's `build` block built and pushed when its content changed since the last push (the
 * steps and the tool's output go to `write`), and the pushed digest `<registry>/<repo>@sha256:…` to submit.
 */
export async function buildForRun(build: BuildInput, deps: { aws: AwsClients; folder: string; job: string; cli?: ContainerCli; signal?: AbortSignal; write: (text: string) => void }): Promise<string> {
  const spec = resolveBuildSpec({ ...build, job: deps.job, push: true }, deps.folder);
  const r = await ensureImageBuilt(spec, {
    cli: deps.cli ?? containerCliFrom({}),
    aws: awsForBuild(deps.aws),
    folder: deps.folder,
    signal: deps.signal,
    emit: (e) => {
      if (e.type === 'start') deps.write(`▶ ${e.title}\n`);
      else if (e.type === 'output' || e.type === 'info') deps.write(e.text);
      else if (e.type === 'end' && !e.ok) deps.write(`✖ ${e.title}${e.error ? `: ${e.error}` : ''}\n`);
    },
  });
  deps.write(`${r.built ? t('Pushed {0}', r.imageUri) : t('Image unchanged since its last push: {0}', r.imageUri)}\n`);
  return r.imageUri;
}
