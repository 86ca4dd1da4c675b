import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './paths';

/** A background service started in its own process group, so stopping it ends all its children too. */
export class Service {
  private exited = false;
  readonly exit: Promise<number | null>;
  constructor(readonly name: string, readonly child: ChildProcess, readonly logFile: string) {
    this.exit = new Promise((resolve) => child.on('exit', (code) => { this.exited = true; resolve(code); }));
  }

  get running(): boolean {
    return !this.exited;
  }

  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/** Starts `cmd args` detached, logging to logFile; argument arrays only, never a shell string. */
export function startService(name: string, cmd: string, args: string[], logFile: string, opts: SpawnOptions = {}): Service {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  child.on('error', (e) => fs.appendFileSync(logFile, `\n[spawn error] ${e.message}\n`));
  const svc = new Service(name, child, logFile);
  stopAllOnExit.add(svc);
  void svc.exit.then(() => stopAllOnExit.delete(svc));
  return svc;
}

const stopAllOnExit = new Set<Service>();
process.on('exit', () => {
  for (const s of stopAllOnExit) {
    try {
      if (s.child.pid) process.kill(-s.child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** Runs a command to completion and returns its output; rejects with the output on a non-zero exit. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { input?: string | Buffer } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr, code });
      else reject(Object.assign(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr || stdout}`), { stdout, stderr, code }));
    });
    child.stdin!.on('error', () => undefined); // the child may exit before reading stdin (EPIPE)
    child.stdin!.end(opts.input ?? '');
  });
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The deadline passed and the CLI was killed. */
  timedOut: boolean;
}

/**
 * Runs the CLI from source (`node --import tsx src/cli/index.ts …`) in `env` (the whole environment) to its end; at the
 * deadline it is killed and the result says `timedOut`.
 */
export function runCli(args: string[], o: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], { cwd: o.cwd ?? ROOT, env: o.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}

/** runCli with the test's extra environment over this process's, one SDK attempt per call, failing at the deadline. */
export async function cliIn(args: string[], env: Record<string, string>, cwd = ROOT, timeoutMs = 120_000): Promise<CliResult> {
  const r = await runCli(args, { env: { ...process.env, LC_ALL: 'C', ...env, AWS_MAX_ATTEMPTS: '1' }, cwd, timeoutMs }); // English messages unless the test sets a locale
  if (r.timedOut) throw new Error(`sagemaker-processing ${args.join(' ')} did not end in ${timeoutMs} ms:\n${r.stderr}`);
  return r;
}
