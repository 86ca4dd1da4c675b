// A small scripted HTTP proxy in front of moto, for lifecycles and faults the emulator cannot play by itself:
// throttling, 5xx, connection resets, delays and rewritten responses (e.g. a job InProgress for a while).
// The SDK under test talks to it like to any endpoint; nothing in the SDK is mocked.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  /** AWS action: from X-Amz-Target (JSON protocols, e.g. "ListProcessingJobs") or Action= (query protocols). */
  action: string;
  /** X-Amz-Target prefix, e.g. "SageMaker", "Logs_20140328"; '' for REST/query. */
  service: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body when it is JSON. */
  json?: Record<string, unknown>;
}

export type ProxyAction =
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'rewrite'; rewrite: (body: Record<string, unknown>, req: ProxiedRequest) => Record<string, unknown> }
  | { kind: 'respond'; respond: (req: ProxiedRequest) => { status: number; body: unknown } }
  /** Forwards the request (moto acts on it), reads the whole answer, then drops the connection: the answer is lost. */
  | { kind: 'forwardThenReset' }
  /** Accepts the request and never answers (a stalled connection); the socket stays open until the client gives up. */
  | { kind: 'stall' };

export interface ProxyRule {
  match: (req: ProxiedRequest) => boolean;
  action: ProxyAction;
  /** How many matching requests it applies to (default: all). */
  times?: number;
  /** Skip this many matching requests before applying (default 0). */
  after?: number;
}

export interface LoggedRequest {
  action: string;
  /** HTTP method and path (S3's REST calls have no action name: a PUT/POST/DELETE there is a write). */
  method?: string;
  path?: string;
  service: string;
  time: number;
  /** What the proxy did: 'forward' or the rule's kind. */
  outcome: string;
}

export class ScriptedProxy {
  readonly requests: LoggedRequest[] = [];
  private rules: (ProxyRule & { seen: number; applied: number })[] = [];
  private server!: http.Server;
  url = '';
  /** Called with every request as received (method, path, headers, body), before any rule acts on it. */
  onRequest?: (req: ProxiedRequest) => void;

  constructor(readonly target: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  add(rule: ProxyRule): this {
    this.rules.push({ ...rule, seen: 0, applied: 0 });
    return this;
  }

  clearRules(): void {
    this.rules = [];
  }

  /** How many requests of this action reached the proxy (whatever their outcome). */
  count(action: string, sinceTime = 0): number {
    return this.requests.filter((r) => r.action === action && r.time >= sinceTime).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const body = raw.toString('utf8');
    const target = String(req.headers['x-amz-target'] ?? '');
    const [service, targetAction] = target.includes('.') ? target.split('.', 2) : ['', ''];
    const queryAction = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? /[?&]Action=([A-Za-z]+)/.exec(req.url ?? '')?.[1] ?? '';
    let json: Record<string, unknown> | undefined;
    try {
      json = body && body.startsWith('{') ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const preq: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', action: targetAction || queryAction || restAction(req.method ?? 'GET', req.url ?? '/'), service, headers: req.headers, body, json };
    this.onRequest?.(preq);
    const rule = this.rules.find((r) => {
      if (!r.match(preq)) return false;
      r.seen++;
      if (r.seen <= (r.after ?? 0)) return false;
      if (r.times !== undefined && r.applied >= r.times) return false;
      return true;
    });
    if (rule) rule.applied++;
    const action = rule?.action;
    this.requests.push({ action: preq.action, method: preq.method, path: preq.path, service, time: Date.now(), outcome: action?.kind ?? 'forward' });

    if (action?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'stall') return;
    if (action?.kind === 'status' || action?.kind === 'respond') {
      const r = action.kind === 'status' ? action : { ...action.respond(preq), headers: undefined };
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'proxy', ...(r.headers ?? {}) });
      res.end(text);
      return;
    }
    if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms)); // sleep: the scripted fault is a delay
    const upstream = new URL(req.url ?? '/', this.target);
    const fwd = http.request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (up) => {
      if (action?.kind === 'forwardThenReset') {
        up.resume();
        up.on('end', () => req.socket.destroy());
        return;
      }
      if (action?.kind !== 'rewrite') {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        // An answer cut upstream (a long-lived stream whose connection drops) is cut for the client too.
        up.on('close', () => {
          if (!up.complete) res.destroy();
        });
        return;
      }
      const out: Buffer[] = [];
      up.on('data', (c) => out.push(c));
      up.on('end', () => {
        let text = Buffer.concat(out).toString('utf8');
        try {
          text = JSON.stringify(action.rewrite(JSON.parse(text), preq));
        } catch {
          /* not JSON: pass through */
        }
        const headers = { ...up.headers, 'content-length': String(Buffer.byteLength(text)) };
        delete headers['transfer-encoding'];
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(text);
      });
    });
    fwd.on('error', () => res.destroy());
    fwd.end(raw);
  }
}

/** Actions of REST-JSON APIs the tests watch (EventBridge Scheduler), from method and path. */
function restAction(method: string, url: string): string {
  const p = url.split('?')[0];
  if (/^\/schedules\/[^/]+$/.test(p)) return ({ POST: 'CreateSchedule', PUT: 'UpdateSchedule', GET: 'GetSchedule', DELETE: 'DeleteSchedule' } as Record<string, string>)[method] ?? '';
  if (p === '/schedules') return method === 'GET' ? 'ListSchedules' : '';
  if (/^\/schedule-groups\/[^/]+$/.test(p)) return ({ POST: 'CreateScheduleGroup', GET: 'GetScheduleGroup', DELETE: 'DeleteScheduleGroup' } as Record<string, string>)[method] ?? '';
  return '';
}

export async function startProxy(target: string): Promise<ScriptedProxy> {
  return new ScriptedProxy(target).start();
}

/** Matches one AWS action (any service), e.g. onAction('GetLogEvents'). */
export const onAction = (...actions: string[]) => (r: ProxiedRequest) => actions.includes(r.action);

export const throttling = (): ProxyAction => ({ kind: 'status', status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } });
export const serverError = (status = 500): ProxyAction => ({ kind: 'status', status, body: { __type: 'InternalFailure', message: 'injected by the test proxy' } });
export const connectionReset = (): ProxyAction => ({ kind: 'reset' });
export const answerLost = (): ProxyAction => ({ kind: 'forwardThenReset' });
export const stall = (): ProxyAction => ({ kind: 'stall' });
