// A container's stdout and stderr on ONE connection, in the order the engine received them: the Docker Engine API's
// attach (POST /containers/{id}/attach?stream=1&stdout=1&stderr=1) on a container created but not yet started. Without
// a TTY the engine multiplexes both streams on that connection as frames — an 8-byte header (byte 0: 1 = stdout,
// 2 = stderr; bytes 4–7: payload size, big-endian) and the payload — so a line written to stderr after one written to
// stdout is never read before it, as it can be when the CLI's two pipes are read separately.
// Only the API over a unix socket (DOCKER_HOST=unix://…); a path, never a shell.
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { t } from '../core/l10n';
import type { ContainerCli } from './containerCli';

export type FrameStream = 'stdout' | 'stderr';

/** Attaches to a created container: its frames in order, until it stops. */
export type Attacher = (container: string, onFrame: (stream: FrameStream, data: Buffer) => void) => Promise<Attachment>;

export interface Attachment {
  /** Resolves when the engine closes the connection (the container stopped), or the attachment was closed. */
  ended: Promise<void>;
  close(): void;
}

/** An attacher for the engine at `dockerHost` (`unix:///path`), or undefined when it is not a unix socket. */
export function engineAttacher(dockerHost: string | undefined): Attacher | undefined {
  const m = /^unix:\/\/(\/.+)$/.exec(dockerHost ?? '');
  if (!m) return undefined;
  const socketPath = m[1];
  return (container, onFrame) => attachOutput(socketPath, container, onFrame);
}

/** Splits the engine's multiplexed stream into frames; bytes of a frame may arrive in several chunks. */
export class FrameDemuxer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (stream: FrameStream, data: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      const type = this.buf[0];
      const data = this.buf.subarray(8, 8 + size);
      this.buf = this.buf.subarray(8 + size);
      // 0 = stdin (written back only with a TTY-less stdin attach), 1 = stdout, 2 = stderr.
      if (type === 1 || type === 2) this.onFrame(type === 1 ? 'stdout' : 'stderr', data);
    }
  }
}

export function attachOutput(socketPath: string, container: string, onFrame: (stream: FrameStream, data: Buffer) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const demux = new FrameDemuxer(onFrame);
    let endedResolve!: () => void;
    const ended = new Promise<void>((r) => (endedResolve = r));
    const follow = (stream: Socket | http.IncomingMessage, head?: Buffer) => {
      if (head?.length) demux.push(head);
      stream.on('data', (d: Buffer) => demux.push(d));
      stream.on('end', endedResolve);
      stream.on('close', endedResolve);
      stream.on('error', endedResolve);
      resolve({ ended, close: () => stream.destroy() });
    };
    const req = http.request({
      socketPath,
      method: 'POST',
      path: `/containers/${encodeURIComponent(container)}/attach?stream=1&stdout=1&stderr=1`,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Type': 'application/vnd.docker.raw-stream' },
    });
    req.on('upgrade', (_res, socket, head) => follow(socket, head));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => reject(new Error(t('Cannot attach to the container {0}: HTTP {1} {2}', container, res.statusCode ?? 0, body.trim()))));
        return;
      }
      follow(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The engine API socket the `docker` CLI itself talks to: DOCKER_HOST when set, else the current context's endpoint
 * (`docker context inspect`, which honours DOCKER_CONTEXT and the configured context), else the default socket. The
 * host as the CLI names it (`unix:///…`, `ssh://…`, `tcp://…`, `npipe://…`), or undefined for another engine's CLI
 * (podman and finch do not talk to a socket of their own by default).
 */
export async function engineHostOf(cli: ContainerCli, signal?: AbortSignal): Promise<string | undefined> {
  if (cli.kind !== 'docker') return undefined;
  const env = cli.childEnv();
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) return fromEnv;
  const r = await cli.exec(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], { allowFailure: true, signal }).catch(() => undefined);
  const fromContext = r?.code === 0 ? r.stdout.trim().split('\n')[0]?.trim() : undefined;
  if (fromContext) return fromContext;
  return process.platform === 'win32' ? undefined : 'unix:///var/run/docker.sock';
}

/** Whether the engine answers `GET /_ping` on this unix socket within `timeoutMs`. */
export function pingSocket(socketPath: string, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath, method: 'GET', path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * The attacher for the engine the CLI uses, when its API is a unix socket that answers here; undefined otherwise (a
 * remote DOCKER_HOST over ssh or tcp, another engine's CLI, a socket we cannot open): the run then reads the CLI's two
 * pipes, as before.
 */
export async function resolveAttacher(cli: ContainerCli, signal?: AbortSignal): Promise<Attacher | undefined> {
  const host = await engineHostOf(cli, signal);
  const m = /^unix:\/\/(\/.+)$/.exec(host ?? '');
  if (!m || !(await pingSocket(m[1]))) return undefined;
  return engineAttacher(host);
}
