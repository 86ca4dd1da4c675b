// The container CLI the user configured (settings sagemakerProcessing.containerCli and .dockerConfig, the CLI's
// SMP_CONTAINER_CLI), made in this one place for local runs, the image build task and the command line. No shell is
// involved anywhere: the value names a program, it is never parsed as a command line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { t } from '../core/l10n';
import { ContainerCli } from './containerCli';

export interface ContainerCliSettings {
  /** A bare name looked up on PATH (`docker`, `podman`, `finch`) or an absolute path; `~/…` is the home folder. */
  cli?: string;
  /** The DOCKER_CONFIG folder (absolute or `~/…`); empty: the engine's default. */
  dockerConfig?: string;
  /** Extra environment for every child (e.g. DOCKER_HOST). */
  env?: NodeJS.ProcessEnv;
}

export interface CommandLookupContext {
  /** Where SMP_CONTAINER_CLI and PATH are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
}

export interface ResolvedCommand {
  /** What to spawn: the absolute path found, else the value as given (spawning it then reports "not found"). */
  command: string;
  /** Why the value cannot be used at all. */
  problem?: string;
}

const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** `~` and `~/…` → the home folder; `~user` is left alone (and then refused as not absolute). */
export function expandHome(value: string, home = os.homedir()): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(home, value.slice(2));
  return value;
}

/** A bare program name on PATH (with PATHEXT on Windows), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':')) {
    // An empty or relative PATH entry would mean "the current folder", which may be an untrusted workspace.
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        if (fs.statSync(file).isFile()) {
          fs.accessSync(file, fs.constants.X_OK);
          return file;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The program a setting (or SMP_CONTAINER_CLI, or `docker`) names: `~` expanded; a value with a path separator must
 * be absolute; a bare name must be a plain program name and is looked up on PATH (never in the current folder).
 */
export function resolveContainerCommand(value: string | undefined, ctx: CommandLookupContext = {}): ResolvedCommand {
  const env = ctx.env ?? process.env;
  const given = value?.trim() || env.SMP_CONTAINER_CLI?.trim() || 'docker';
  const expanded = expandHome(given, ctx.home);
  if (/[\\/]/.test(expanded)) {
    if (!path.isAbsolute(expanded)) {
      return { command: expanded, problem: t('The container CLI "{0}" must be a program name (docker, podman, finch) or an absolute path.', given) };
    }
    return { command: expanded };
  }
  if (!BARE_NAME.test(expanded)) {
    return { command: expanded, problem: t('The container CLI "{0}" must be a program name (docker, podman, finch) or an absolute path.', given) };
  }
  return { command: findOnPath(expanded, env, ctx.platform) ?? expanded };
}

/** The DOCKER_CONFIG folder, `~` expanded; undefined when unset; a problem when it is not absolute. */
export function resolveDockerConfig(value: string | undefined, ctx: CommandLookupContext = {}): { dir?: string; problem?: string } {
  const given = value?.trim();
  if (!given) return {};
  const dir = expandHome(given, ctx.home);
  if (!path.isAbsolute(dir)) return { problem: t('The Docker configuration folder "{0}" must be an absolute path (or start with ~/).', given) };
  return { dir };
}

/** The one way to make the container CLI from what the user configured. A bad value fails each command, unstarted. */
export function containerCliFrom(s: ContainerCliSettings, ctx: CommandLookupContext = {}): ContainerCli {
  const cmd = resolveContainerCommand(s.cli, ctx);
  const cfg = resolveDockerConfig(s.dockerConfig, ctx);
  return new ContainerCli({ cli: cmd.command, dockerConfig: cfg.dir, env: s.env, problem: cmd.problem ?? cfg.problem });
}
