// A small Debug Adapter Protocol client for tests: Content-Length framing over TCP, requests with their responses,
// and waiting (with a deadline) for events.
import * as net from 'node:net';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  success?: boolean;
  message?: string;
  request_seq?: number;
  body?: Record<string, unknown>;
}

export class DapClient {
  private seq = 1;
  private buf = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (m: DapMessage) => void; reject: (e: Error) => void }>();
  /** Every event received, in order. */
  readonly events: DapMessage[] = [];
  private readonly waiters: { match: (m: DapMessage) => boolean; resolve: (m: DapMessage) => void }[] = [];
  private closed = false;

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d) => this.onData(d));
    sock.on('close', () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('the debug adapter closed the connection'));
      this.pending.clear();
    });
    sock.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ port, host }, () => resolve(new DapClient(sock)));
      sock.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, end).toString('ascii'));
      if (!m) throw new Error(`bad DAP header: ${this.buf.subarray(0, end).toString()}`);
      const len = Number(m[1]);
      if (this.buf.length < end + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString('utf8')) as DapMessage;
      this.buf = this.buf.subarray(end + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: DapMessage): void {
    if (msg.type === 'response' && msg.request_seq !== undefined) {
      const p = this.pending.get(msg.request_seq);
      this.pending.delete(msg.request_seq);
      p?.resolve(msg);
    } else if (msg.type === 'event') {
      this.events.push(msg);
      for (const w of [...this.waiters]) {
        if (w.match(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    } else if (msg.type === 'request') {
      // Reverse requests (runInTerminal, startDebugging): not supported by this client.
      this.send({ seq: this.seq++, type: 'response', request_seq: msg.seq, command: msg.command, success: false, message: 'not supported' });
    }
  }

  private send(m: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.sock.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** Sends a request; resolves with its response (rejects on failure, or at the deadline). */
  request(command: string, args?: Record<string, unknown>, timeoutMs = 30_000): Promise<DapMessage> {
    const seq = this.seq++;
    return new Promise<DapMessage>((resolve, reject) => {
      const t = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`no response to "${command}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, {
        resolve: (m) => {
          clearTimeout(t);
          if (m.success) resolve(m);
          else reject(new Error(`"${command}" failed: ${m.message ?? ''} ${JSON.stringify(m.body ?? {})}`));
        },
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      this.send({ seq, type: 'request', command, ...(args ? { arguments: args } : {}) });
    });
  }

  /** The next event (or one already received since `from`) matching; rejects at the deadline. */
  waitEvent(event: string, timeoutMs = 30_000, match: (m: DapMessage) => boolean = () => true, from = 0): Promise<DapMessage> {
    const seen = this.events.slice(from).find((m) => m.event === event && match(m));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { match: (m: DapMessage) => m.event === event && match(m), resolve: (m: DapMessage) => (clearTimeout(t), resolve(m)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no "${event}" event within ${timeoutMs} ms (events: ${this.events.map((e) => e.event).join(', ')})`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
