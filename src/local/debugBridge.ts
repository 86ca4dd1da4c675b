// The host end of a debug-mode local run: a TCP listener on 127.0.0.1 whose every connection is piped through
// `<cli> exec -i <container> <python> -c RELAY` to debugpy on the container's own loopback. The container keeps the
// network of a plain local run (none, unless the job allows it); nothing is published. See src/core/local/debug.ts.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { CONTAINER_DEBUG_PORT, PROBE_PY, RELAY_PY } from '../core/local/debug';
import type { ContainerCli } from './containerCli';
import { t } from '../core/l10n';

export interface DebugBridgeOptions {
  cli: ContainerCli;
  container: string;
  /** The python the script runs with in the container. */
  python: string;
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  /** How long the probe and the relay wait for debugpy to listen. */
  waitSeconds: number;
  onLine: (line: string) => void;
  /** The container has ended (or never started): stop waiting for it. */
  gone: () => boolean;
  /** The container's `run` has been started (before that, a debugger that connects early just waits). */
  started: () => boolean;
  signal: AbortSignal;
}

const NOT_YET = /No such container|is not running|cannot exec in a stopped|container .* not found|no container with name/i;

export class DebugBridge {
  private readonly relays = new Set<ChildProcess>();
  private constructor(private readonly o: DebugBridgeOptions, private readonly server: net.Server, readonly port: number) {}

  /** Listens on 127.0.0.1 (loopback only). */
  static async open(o: DebugBridgeOptions): Promise<DebugBridge> {
    const server = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new Error(t('The debug port {0} is in use; choose another one.', `127.0.0.1:${o.port}`)) : err));
      server.listen({ host: '127.0.0.1', port: o.port }, () => resolve((server.address() as net.AddressInfo).port));
    });
    const bridge = new DebugBridge(o, server, port);
    server.on('connection', (sock) => bridge.relay(sock));
    return bridge;
  }

  /** A debugger connected, maybe before the container or debugpy are up: hold its bytes until debugpy listens. */
  private relay(sock: net.Socket): void {
    sock.pause();
    sock.on('error', () => undefined);
    this.waitReady().then(() => {
      if (sock.destroyed) return;
      this.pipe(sock);
      sock.resume();
    }, (err: Error) => {
      this.o.onLine(t('debugger connection closed: {0}', err.message));
      sock.destroy();
    });
  }

  private pipe(sock: net.Socket): void {
    const { cli, container, python } = this.o;
    const child = cli.spawn(['exec', '-i', container, python, '-c', RELAY_PY, String(CONTAINER_DEBUG_PORT), String(this.o.waitSeconds)]);
    this.relays.add(child);
    sock.setNoDelay(true);
    sock.on('data', (d) => child.stdin!.write(d));
    sock.on('end', () => child.stdin!.end());
    sock.on('error', () => child.stdin!.end());
    sock.on('close', () => child.stdin!.end());
    child.stdin!.on('error', () => sock.destroy());
    child.stdout!.on('data', (d: Buffer) => sock.write(d));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => this.o.onLine(t('debugger relay: {0}', e.message)));
    child.on('close', (code) => {
      this.relays.delete(child);
      if (code && err.trim()) this.o.onLine(t('debugger relay: {0}', err.trim().split('\n').slice(-3).join(' ')));
      sock.end();
    });
  }

  /**
   * Resolves once debugpy listens in the container: probes from inside (it does not use up debugpy's connection),
   * again and again while the container is still being created. Rejects at the deadline, when `gone()` says the
   * container has ended, or on abort.
   */
  async waitReady(): Promise<void> {
    const { gone, signal } = this.o;
    while (!this.o.started()) {
      if (signal.aborted || gone()) throw new Error(t('the run ended before its container started'));
      await new Promise((res) => setTimeout(res, 100));
    }
    const deadline = Date.now() + this.o.waitSeconds * 1000;
    for (;;) {
      if (signal.aborted) throw new Error(t('cancelled'));
      if (gone()) throw new Error(t('the container ended before debugpy listened'));
      const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      const r = await this.o.cli.exec(['exec', this.o.container, this.o.python, '-c', PROBE_PY, String(CONTAINER_DEBUG_PORT), String(left)], { allowFailure: true, signal });
      if (r.code === 0) return;
      if (Date.now() > deadline) throw new Error(r.stderr.trim()
        ? t('debugpy did not listen within {0} s: {1}', this.o.waitSeconds, r.stderr.trim().split('\n').pop() ?? '')
        : t('debugpy did not listen within {0} s', this.o.waitSeconds));
      if (!NOT_YET.test(r.stderr)) {
        // The probe ran and gave up, or python is missing: say why.
        throw new Error(t('cannot reach debugpy in the container (exit {0}): {1}', String(r.code), (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')));
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  close(): void {
    this.server.close();
    for (const c of this.relays) {
      try {
        if (c.pid !== undefined && process.platform !== 'win32') process.kill(-c.pid, 'SIGTERM');
        else c.kill();
      } catch {
        /* gone */
      }
    }
  }
}

/** The debugpy package folder of `dir`: the folder itself (…/debugpy) or a `debugpy` folder in it (site-packages). */
export function debugpyPackageDir(dir: string): string | undefined {
  if (!dir) return undefined;
  for (const d of [dir, path.join(dir, 'debugpy')]) {
    if (fs.existsSync(path.join(d, '__main__.py')) && fs.existsSync(path.join(d, 'adapter')) && path.basename(d) === 'debugpy') return d;
  }
  return undefined;
}

/** debugpy bundled with the Python Debugger extension (ms-python.debugpy): `<extension>/bundled/libs/debugpy`. */
export function bundledDebugpy(extensionPath: string | undefined): string | undefined {
  return extensionPath ? debugpyPackageDir(path.join(extensionPath, 'bundled', 'libs')) : undefined;
}

/** For the CLI: the newest Python Debugger extension of a local VS Code install, if any. */
export function installedPythonDebugger(home = os.homedir()): string | undefined {
  for (const root of ['.vscode/extensions', '.vscode-server/extensions', '.vscode-oss/extensions'].map((r) => path.join(home, r))) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(root).filter((n) => n.startsWith('ms-python.debugpy-')).sort().reverse();
    } catch {
      continue;
    }
    for (const n of names) {
      const d = bundledDebugpy(path.join(root, n));
      if (d) return d;
    }
  }
  return undefined;
}
