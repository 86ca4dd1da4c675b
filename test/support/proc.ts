import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

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
