// The container engine's command-line tool (docker, podman, finch or a path to one of them), always spawned with an
// argument array in its own process group. Secrets (registry passwords) are written to the child's stdin only;
// build-arg values go in the child's environment (`--build-arg NAME`), never on its command line.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildArgNameProblem } from '../core/build/spec';
import { DEFAULT_CONTEXT_EXCLUDES } from '../core/build/hash';
import { t } from '../core/l10n';

export type EngineKind = 'docker' | 'podman' | 'finch';
export type OutputStream = 'stdout' | 'stderr';

export interface ContainerCliOptions {
  /** `docker`, `podman`, `finch`, or a path to one of them (the setting sagemakerProcessing.containerCli). */
  cli?: string;
  /** Folder used as DOCKER_CONFIG (login credentials, certificates); empty → the engine's default. */
  dockerConfig?: string;
  /** Extra environment for every child (e.g. DOCKER_HOST). Never put secrets here. */
  env?: NodeJS.ProcessEnv;
  /** Why the configured CLI cannot be used (see containerCliConfig.ts): every command then fails with it, unstarted. */
  problem?: string;
}

export interface ExecOptions {
  /** Written to the child's stdin, then stdin is closed. The only way a secret is ever handed over. */
  input?: string | Buffer;
  /** Streamed output, as it arrives. */
  onOutput?: (text: string, stream: OutputStream) => void;
  /** Aborting kills the child's whole process group (SIGTERM, then SIGKILL after 3 s). */
  signal?: AbortSignal;
  cwd?: string;
  /** Resolve instead of rejecting on a non-zero exit. */
  allowFailure?: boolean;
  /** Extra environment for this call only. */
  env?: NodeJS.ProcessEnv;
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Why a container command failed: the CLI is missing, the engine is not running, the user cancelled, or it failed. */
export type ContainerErrorKind = 'missing' | 'stopped' | 'cancelled' | 'failed';

export class ContainerCliError extends Error {
  constructor(message: string, readonly kind: ContainerErrorKind, readonly result?: ExecResult) {
    super(message);
    this.name = 'ContainerCliError';
  }
}

export interface EngineInfo {
  kind: EngineKind;
  clientVersion?: string;
  serverVersion?: string;
  /** Engine API version (docker), e.g. "1.41". */
  apiVersion?: string;
  experimental: boolean;
  /** `os/arch` of the engine, e.g. linux/amd64. */
  platform?: string;
  /** Whether `build --platform` is accepted (docker: API >= 1.38 or experimental; podman/finch: yes). */
  supportsPlatform: boolean;
  /** BuildKit is the default builder (docker 23+, or DOCKER_BUILDKIT=1). Informational. */
  buildKit: boolean;
}

export interface BuildOptions {
  dockerfile: string;
  context: string;
  /** Full references to tag the result with (`-t`), at least one. */
  tags: string[];
  platform?: string;
  buildArgs?: Record<string, string>;
}

const STOPPED = /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|Cannot connect to Podman|unable to connect to Podman|podman machine|finch vm|VM ".*" (does not exist|is not running)|dial unix [^ ]*(docker|podman)[^ ]*\.sock: connect/i;

/** Engine kind from the CLI's file name; a path like /usr/local/bin/podman is podman. Unknown names count as docker. */
export function engineKind(cli: string): EngineKind {
  const base = (cli.split(/[\\/]/).pop() ?? cli).toLowerCase().replace(/\.exe$/, '');
  if (base.startsWith('podman')) return 'podman';
  if (base.startsWith('finch') || base.startsWith('nerdctl')) return 'finch';
  return 'docker';
}

/** Compares dotted versions ("1.41" vs "1.38"). */
export function versionAtLeast(v: string | undefined, min: string): boolean {
  if (!v) return false;
  const a = v.split('.').map((x) => parseInt(x, 10) || 0);
  const b = min.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** The digest a `push` printed (`<tag>: digest: sha256:… size: N`, podman's `Writing manifest` lines aside). */
export function parsePushDigest(output: string): string | undefined {
  const all = [...output.matchAll(/digest: (sha256:[0-9a-f]{64})/g)];
  return all.length ? all[all.length - 1][1] : undefined;
}

export class ContainerCli {
  readonly command: string;
  readonly kind: EngineKind;
  private readonly dockerConfig?: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly problem?: string;

  constructor(opts: ContainerCliOptions = {}) {
    this.problem = opts.problem;
    this.command = opts.cli?.trim() || 'docker';
    this.kind = engineKind(this.command);
    this.dockerConfig = opts.dockerConfig?.trim() || undefined;
    this.env = opts.env ?? {};
  }

  /** The environment every child gets: ours, the caller's extras, and DOCKER_CONFIG when configured. */
  childEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, ...extra };
    if (this.dockerConfig) {
      env.DOCKER_CONFIG = this.dockerConfig;
      // podman reads its own auth file; keep the login and the push in the same configured folder.
      if (this.kind === 'podman') env.REGISTRY_AUTH_FILE = path.join(this.dockerConfig, 'config.json');
    }
    return env;
  }

  /** What to tell the user when the CLI cannot be started at all. */
  missingMessage(): string {
    return t('The container CLI "{0}" was not found. Install Docker (or Podman/Finch) or set the setting "{1}" to the tool\'s name or full path.', this.command, 'sagemakerProcessing.containerCli');
  }

  /** What to tell the user when the CLI runs but its engine does not answer. */
  stoppedMessage(detail: string): string {
    const message = this.kind === 'podman' ? t('The container engine behind "{0}" is not running or not reachable. Start it (e.g. `podman machine start`), then try again.', this.command)
      : this.kind === 'finch' ? t('The container engine behind "{0}" is not running or not reachable. Start it with `finch vm start`, then try again.', this.command)
        : t('The container engine behind "{0}" is not running or not reachable. Start Docker (Docker Desktop, or `sudo systemctl start docker`) or check DOCKER_HOST, then try again.', this.command);
    return `${message}\n${detail.trim()}`;
  }

  /** Starts the CLI with an argument array in its own process group; `kill` ends the group. */
  spawn(args: readonly string[], opts: Pick<ExecOptions, 'cwd' | 'env'> = {}): ChildProcess {
    if (this.problem) throw new ContainerCliError(this.problem, 'missing');
    return spawn(this.command, [...args], {
      cwd: opts.cwd,
      env: this.childEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
  }

  /** Runs the CLI to completion. Rejects with a ContainerCliError (missing / stopped / cancelled / failed). */
  exec(args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new ContainerCliError(t('Cancelled.'), 'cancelled'));
      let child: ChildProcess;
      try {
        child = this.spawn(args, opts);
      } catch (err) {
        return reject(this.spawnError(err));
      }
      let stdout = '';
      let stderr = '';
      let cancelled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
          else child.kill(sig);
        } catch {
          /* already gone */
        }
      };
      const onAbort = () => {
        cancelled = true;
        kill('SIGTERM');
        killTimer = setTimeout(() => kill('SIGKILL'), 3000);
        killTimer.unref?.();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const outDec = new TextDecoder();
      const errDec = new TextDecoder();
      child.stdout!.on('data', (d: Buffer) => {
        const t = outDec.decode(d, { stream: true });
        stdout += t;
        opts.onOutput?.(t, 'stdout');
      });
      child.stderr!.on('data', (d: Buffer) => {
        const t = errDec.decode(d, { stream: true });
        stderr += t;
        opts.onOutput?.(t, 'stderr');
      });
      child.stdin!.on('error', () => undefined); // the child may exit before reading stdin
      let spawnFailed: unknown;
      child.on('error', (err) => (spawnFailed = err));
      child.on('close', (code, signal) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        const result: ExecResult = { code, signal, stdout, stderr };
        if (spawnFailed) return reject(this.spawnError(spawnFailed));
        if (cancelled) return reject(new ContainerCliError(t('Cancelled.'), 'cancelled', result));
        if (code === 0 || opts.allowFailure) return resolve(result);
        const text = (stderr.trim() || stdout.trim()).split('\n').slice(-20).join('\n');
        if (STOPPED.test(stderr)) return reject(new ContainerCliError(this.stoppedMessage(text), 'stopped', result));
        reject(new ContainerCliError(t('{0} failed (exit {1}): {2}', `${path.basename(this.command)} ${args[0] ?? ''}`, String(code ?? signal), text), 'failed', result));
      });
      child.stdin!.end(opts.input ?? '');
    });
  }

  private spawnError(err: unknown): ContainerCliError {
    if (err instanceof ContainerCliError) return err;
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'ENOTDIR') return new ContainerCliError(this.missingMessage(), 'missing');
    return new ContainerCliError(t('Could not start "{0}": {1}', this.command, e?.message ?? String(err)), 'failed');
  }

  /** Checks that the CLI exists and its engine answers; describes what it can do. */
  async engineInfo(signal?: AbortSignal): Promise<EngineInfo> {
    const r = await this.exec(['version', '--format', '{{json .}}'], { signal, allowFailure: true });
    if (r.code !== 0) {
      if (STOPPED.test(r.stderr) || /server/i.test(r.stderr)) throw new ContainerCliError(this.stoppedMessage(r.stderr), 'stopped', r);
      throw new ContainerCliError(t('"{0}" failed: {1}', `${this.command} version`, (r.stderr || r.stdout).trim()), 'failed', r);
    }
    let v: Record<string, Record<string, unknown> | undefined> = {};
    try {
      v = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    } catch {
      /* unexpected format: fall back to defaults below */
    }
    const client = v.Client ?? {};
    const server = v.Server ?? undefined;
    if (this.kind === 'docker' && (!server || Object.keys(server).length === 0)) {
      throw new ContainerCliError(this.stoppedMessage(r.stderr), 'stopped', r);
    }
    const s = server ?? {};
    const apiVersion = String(s.ApiVersion ?? s.APIVersion ?? client.ApiVersion ?? client.APIVersion ?? '') || undefined;
    const experimental = Boolean(s.Experimental ?? client.Experimental ?? false);
    const os = String(s.Os ?? s.OsArch ?? client.Os ?? '') || undefined;
    const arch = String(s.Arch ?? client.Arch ?? '') || undefined;
    const platform = os?.includes('/') ? os : os && arch ? `${os}/${arch}` : undefined;
    const serverVersion = String(s.Version ?? '') || undefined;
    const buildKit = this.kind === 'docker'
      ? process.env.DOCKER_BUILDKIT === '1' || (process.env.DOCKER_BUILDKIT !== '0' && versionAtLeast(serverVersion, '23.0'))
      : false;
    return {
      kind: this.kind,
      clientVersion: String(client.Version ?? '') || undefined,
      serverVersion,
      apiVersion,
      experimental,
      platform,
      supportsPlatform: this.kind !== 'docker' || experimental || versionAtLeast(apiVersion, '1.38'),
      buildKit,
    };
  }

  /** `login --username <user> --password-stdin <registry>`; the password goes to stdin and nowhere else. */
  async login(registry: string, username: string, password: string, opts: Omit<ExecOptions, 'input'> = {}): Promise<ExecResult> {
    return await this.exec(['login', '--username', username, '--password-stdin', registry], { ...opts, input: password + '\n' });
  }

  /**
   * The `build` argument list (exported for tests and the terminal's echo of what runs). Build args appear by name
   * only (`--build-arg NAME`): docker, podman and nerdctl then take the value from the environment, which
   * `buildArgsEnv` supplies, so a value (a token, a password) is never on a command line or in the echo.
   */
  buildArgs(b: BuildOptions, iidFile?: string): string[] {
    const args = ['build', '--file', b.dockerfile];
    for (const t of b.tags) args.push('--tag', t);
    if (b.platform) args.push('--platform', b.platform);
    for (const k of Object.keys(b.buildArgs ?? {})) args.push('--build-arg', k);
    if (iidFile) args.push('--iidfile', iidFile);
    args.push(b.context);
    return args;
  }

  /** The environment that carries the build args' values to `build` (NAME=value for each `--build-arg NAME`). */
  buildArgsEnv(b: BuildOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(b.buildArgs ?? {})) {
      const problem = buildArgNameProblem(k);
      if (problem) throw new ContainerCliError(problem, 'failed');
      env[k] = v;
    }
    return env;
  }

  /** Builds an image, streaming the builder's output (legacy builder or BuildKit). Returns the image id. */
  async build(b: BuildOptions, opts: Omit<ExecOptions, 'input'> = {}): Promise<{ imageId?: string; result: ExecResult }> {
    const env = { ...opts.env, ...this.buildArgsEnv(b) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-build-'));
    const iid = path.join(dir, 'iid');
    try {
      const context = filteredContext(b.context, path.join(dir, 'context'));
      if (context.left.length) opts.onOutput?.(`${t('Build context: {0} left out (the tool\'s own output folders; the context has no .dockerignore)', context.left.map((l) => `${l}/`).join(', '))}\n`, 'stdout');
      const result = await this.exec(this.buildArgs({ ...b, context: context.dir }, iid), { ...opts, env });
      let imageId: string | undefined;
      try {
        imageId = fs.readFileSync(iid, 'utf8').trim() || undefined;
      } catch {
        imageId = /Successfully built ([0-9a-f]{12,64})/.exec(result.stdout)?.[1] ?? /writing image (sha256:[0-9a-f]{64})/.exec(result.stderr)?.[1];
      }
      return { imageId, result };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  async tag(source: string, target: string, opts: Omit<ExecOptions, 'input'> = {}): Promise<void> {
    await this.exec(['tag', source, target], opts);
  }

  /** Pushes a reference, streaming progress; returns the pushed manifest digest (sha256:…). */
  async push(ref: string, opts: Omit<ExecOptions, 'input'> = {}): Promise<{ digest?: string; result: ExecResult }> {
    const result = await this.exec(['push', ref], opts);
    const digest = parsePushDigest(result.stdout + '\n' + result.stderr) ?? (await this.repoDigest(ref, opts.signal));
    return { digest, result };
  }

  /** The registry digest the engine recorded for a pushed reference (`RepoDigests`), if any. */
  async repoDigest(ref: string, signal?: AbortSignal): Promise<string | undefined> {
    const r = await this.exec(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref], { signal, allowFailure: true });
    if (r.code !== 0) return undefined;
    const repo = ref.replace(/@sha256:.*$/, '').replace(/:[^/:]+$/, '');
    try {
      const list = JSON.parse(r.stdout.trim()) as string[] | null;
      return list?.find((d) => d.startsWith(repo + '@'))?.split('@')[1];
    } catch {
      return undefined;
    }
  }

  /** The local image id of a reference, or undefined when it does not exist. */
  async imageId(ref: string, signal?: AbortSignal): Promise<string | undefined> {
    const r = await this.exec(['image', 'inspect', '--format', '{{.Id}}', ref], { signal, allowFailure: true });
    return r.code === 0 ? r.stdout.trim() || undefined : undefined;
  }
}

/**
 * The context to send: as it is when it has a .dockerignore or none of the tool's own output folders, else a copy
 * without them at `target` (hard links where the file system allows, copies otherwise; links stay links), which works
 * with the legacy builder and BuildKit alike. The Dockerfile keeps its own path (docker accepts one outside the context).
 */
export function filteredContext(context: string, target: string): { dir: string; left: string[] } {
  if (fs.existsSync(path.join(context, '.dockerignore'))) return { dir: context, left: [] };
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(context, { withFileTypes: true });
  } catch {
    return { dir: context, left: [] }; // a missing context is the build's own error to report
  }
  const left = entries.filter((e) => e.isDirectory() && DEFAULT_CONTEXT_EXCLUDES.includes(e.name)).map((e) => e.name);
  if (!left.length) return { dir: context, left };
  const place = (from: string, to: string, ent: fs.Dirent) => {
    if (ent.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (ent.isDirectory()) {
      fs.mkdirSync(to, { mode: (fs.statSync(from).mode & 0o7777) | 0o700 });
      for (const e of fs.readdirSync(from, { withFileTypes: true })) place(path.join(from, e.name), path.join(to, e.name), e);
    } else if (ent.isFile()) {
      try {
        fs.linkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
        fs.chmodSync(to, fs.statSync(from).mode & 0o7777);
      }
    }
  };
  fs.mkdirSync(target, { recursive: true });
  for (const e of entries) if (!left.includes(e.name)) place(path.join(context, e.name), path.join(target, e.name), e);
  return { dir: target, left };
}
