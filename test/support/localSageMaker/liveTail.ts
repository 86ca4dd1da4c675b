// CloudWatch Logs Live Tail for the local cloud: answers `Logs_20140328.StartLiveTail` in the AWS event-stream wire
// format (the SDK's real client path: StartLiveTailCommand and its async-iterable responseStream), reading the
// events from moto's CloudWatch Logs, where the backend (logWriter.ts) and the tests put them. moto stays the store.
// As documented for the API: one sessionStart, then a sessionUpdate every second with the events ingested since (an
// empty array when none), at most 500 per update (more are sampled down to 500 and the update says `sampled`), and a
// SessionTimeoutException when the session has been open for three hours (configurable to seconds for tests).
// Test hooks: `dropSessions()` cuts every open session's connection, `refuse` answers the next requests with an
// error (AccessDeniedException for a missing logs:StartLiveTail permission, UnknownOperationException for an endpoint
// without the API), `sessionsOpened` counts the sessions.
// Where it differs from AWS (README): events are found by polling moto once per update with FilterLogEvents over the
// last minute of event timestamps, so a line ingested more than a minute after its own timestamp is not pushed; no
// filter patterns; no limit on concurrent sessions.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { EventStreamCodec } from '@smithy/core/event-streams';

export const LIVE_TAIL_TARGET = 'Logs_20140328.StartLiveTail';
const THREE_HOURS_MS = 3 * 3600_000;

export interface LiveTailOptions {
  /** moto's endpoint (the store of the events). */
  motoEndpoint: string;
  region?: string;
  account?: string;
  /** How long a session stays open before its SessionTimeoutException (default 3 h). */
  sessionMaxMs?: number;
  /** Time between updates (default 1000 ms, as AWS). */
  updateEveryMs?: number;
  /** Events per update before sampling (default 500, as AWS). */
  maxEventsPerUpdate?: number;
  /** How far back in event timestamps each update looks for newly ingested events (default 60 s). */
  lookbackMs?: number;
}

interface Session {
  id: string;
  res: http.ServerResponse;
  timer?: NodeJS.Timeout;
  closed: boolean;
}

const codec = new EventStreamCodec((b) => Buffer.from(b).toString('utf8'), (s) => new Uint8Array(Buffer.from(s, 'utf8')));

function message(kind: 'event' | 'exception', type: string, body: unknown): Uint8Array {
  const typeHeader = kind === 'event' ? ':event-type' : ':exception-type';
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: kind },
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(body), 'utf8')),
  });
}

/** The log group's name from a LogGroupIdentifier (an ARN, with or without a trailing `:*`, or a name). */
export function groupName(identifier: string): string {
  const m = /:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return m ? m[1] : identifier;
}

export class LiveTail {
  /** Answer the next requests with this error instead of a session (a test hook). */
  refuse?: { type: 'AccessDeniedException' | 'UnknownOperationException'; status: number; message: string };
  sessionsOpened = 0;
  /** How long a session stays open before its SessionTimeoutException (ms; tests shorten it, also for open sessions). */
  sessionMaxMs: number;
  /** Updates sent with `sampled: true`. */
  sampledUpdates = 0;
  private readonly sessions = new Set<Session>();
  private readonly client: CloudWatchLogsClient;
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly o: LiveTailOptions) {
    this.sessionMaxMs = o.sessionMaxMs ?? THREE_HOURS_MS;
    this.region = o.region ?? 'us-east-1';
    this.account = o.account ?? '123456789012';
    this.client = new CloudWatchLogsClient({
      endpoint: o.motoEndpoint, region: this.region, maxAttempts: 5,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'testing', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'testing' },
    });
  }

  static matches(req: http.IncomingMessage): boolean {
    return String(req.headers['x-amz-target'] ?? '') === LIVE_TAIL_TARGET;
  }

  /** Sessions open now. */
  get open(): number {
    return this.sessions.size;
  }

  /** Cuts every open session's connection (no exception event: the TCP connection just drops). */
  dropSessions(): number {
    const n = this.sessions.size;
    for (const s of [...this.sessions]) this.end(s, 'drop');
    return n;
  }

  close(): void {
    for (const s of [...this.sessions]) this.end(s, 'drop');
    this.client.destroy();
  }

  handle(_req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const fail = (status: number, type: string, msg: string) => {
      const text = JSON.stringify({ __type: type, message: msg });
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type, 'x-amzn-requestid': `live-${Date.now()}`, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    if (this.refuse) return fail(this.refuse.status, this.refuse.type, this.refuse.message);
    let input: { logGroupIdentifiers?: string[]; logStreamNames?: string[]; logStreamNamePrefixes?: string[]; logEventFilterPattern?: string };
    try {
      input = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return fail(400, 'SerializationException', 'The request body is not valid JSON');
    }
    const groups = input.logGroupIdentifiers ?? [];
    if (groups.length < 1 || groups.length > 10) return fail(400, 'InvalidParameterException', 'logGroupIdentifiers must have between 1 and 10 members');
    if (input.logStreamNames && input.logStreamNamePrefixes) return fail(400, 'InvalidParameterException', 'Only one of logStreamNames or logStreamNamePrefixes can be provided.');
    if ((input.logStreamNames || input.logStreamNamePrefixes) && groups.length !== 1) return fail(400, 'InvalidParameterException', 'logStreamNames and logStreamNamePrefixes can only be used with a single log group.');
    if (input.logEventFilterPattern) return fail(400, 'InvalidParameterException', 'logEventFilterPattern is not emulated');
    const group = groupName(groups[0]);
    const session: Session = { id: `${Date.now().toString(16)}-${Math.random().toString(16).slice(2, 10)}`, res, closed: false };
    const startedAt = Date.now();
    this.sessionsOpened++;
    this.sessions.add(session);
    res.on('close', () => this.end(session, 'gone'));
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': session.id });
    res.flushHeaders();
    const arn = `arn:aws:logs:${this.region}:${this.account}:log-group:${group}`;
    res.write(message('event', 'sessionStart', {
      requestId: session.id, sessionId: session.id, logGroupIdentifiers: [arn],
      logStreamNames: input.logStreamNames ?? [], logStreamNamePrefixes: input.logStreamNamePrefixes ?? [], logEventFilterPattern: '',
    }));
    const sent = new Map<string, number>(); // eventId → timestamp
    const every = this.o.updateEveryMs ?? 1000;
    const max = this.o.maxEventsPerUpdate ?? 500;
    const lookback = this.o.lookbackMs ?? 60_000;
    const update = async () => {
      if (session.closed) return;
      if (Date.now() >= startedAt + this.sessionMaxMs) {
        res.write(message('exception', 'SessionTimeoutException', { message: 'Session timed out after three hours' }));
        return this.end(session, 'end');
      }
      let fresh: FilteredLogEvent[] = [];
      try {
        fresh = await this.ingestedSince(group, input, startedAt, Date.now() - lookback, sent);
      } catch (err) {
        if (session.closed) return;
        res.write(message('exception', 'SessionStreamingException', { message: (err as Error).message }));
        return this.end(session, 'end');
      }
      if (session.closed) return;
      let results = fresh;
      const sampled = fresh.length > max;
      if (sampled) {
        // Sampled down to `max`, spread over the second's events.
        results = Array.from({ length: max }, (_, i) => fresh[Math.floor((i * fresh.length) / max)]);
        this.sampledUpdates++;
      }
      res.write(message('event', 'sessionUpdate', {
        sessionMetadata: { sampled },
        sessionResults: results.map((e) => ({ logStreamName: e.logStreamName, logGroupIdentifier: arn, message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime })),
      }));
      // Forget what is older than the look-back: it can no longer come back from the window.
      const horizon = Date.now() - 2 * lookback;
      for (const [id, ts] of sent) if (ts < horizon) sent.delete(id);
      next();
    };
    // On a fixed beat from the session's start, as Live Tail's once-a-second updates: a slow read of moto does not push
    // the following updates later (fire at once when behind).
    let beat = startedAt;
    const next = () => {
      beat += every;
      session.timer = setTimeout(() => void update(), Math.max(0, beat - Date.now()));
    };
    next();
  }

  /** Events of the session's streams ingested at or after `since`, not sent yet, in timestamp order. */
  private async ingestedSince(group: string, input: { logStreamNames?: string[]; logStreamNamePrefixes?: string[] }, since: number, startTime: number, sent: Map<string, number>): Promise<FilteredLogEvent[]> {
    let names = input.logStreamNames;
    if (!names && input.logStreamNamePrefixes) {
      names = [];
      for (const prefix of input.logStreamNamePrefixes) {
        let token: string | undefined;
        do {
          const out = await this.client.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: prefix, nextToken: token }));
          for (const s of out.logStreams ?? []) if (s.logStreamName?.startsWith(prefix)) names.push(s.logStreamName);
          token = out.nextToken;
        } while (token);
      }
      if (!names.length) return [];
    }
    const out: FilteredLogEvent[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: names, startTime, nextToken: token }));
      for (const e of page.events ?? []) {
        if (names && !names.includes(e.logStreamName ?? '')) continue;
        if ((e.ingestionTime ?? 0) < since || !e.eventId || sent.has(e.eventId)) continue;
        sent.set(e.eventId, e.timestamp ?? 0);
        out.push(e);
      }
      token = page.nextToken;
    } while (token);
    return out.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  }

  private end(s: Session, how: 'drop' | 'end' | 'gone'): void {
    if (s.closed) return;
    s.closed = true;
    clearTimeout(s.timer);
    this.sessions.delete(s);
    if (how === 'drop') s.res.destroy();
    else if (how === 'end') s.res.end();
  }
}

/**
 * A stand-alone endpoint for moto plus Live Tail (the bench, and tests without the whole local cloud): answers
 * StartLiveTail itself and forwards every other request to moto unchanged.
 */
export async function startLiveTailEndpoint(o: LiveTailOptions & { port?: number }): Promise<{ url: string; liveTail: LiveTail; stop(): Promise<void> }> {
  const liveTail = new LiveTail(o);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (LiveTail.matches(req)) return liveTail.handle(req, res, raw);
      const upstream = new URL(req.url ?? '/', o.motoEndpoint);
      const fwd = http.request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      fwd.on('error', () => res.destroy());
      fwd.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, liveTail,
    stop: async () => {
      liveTail.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
