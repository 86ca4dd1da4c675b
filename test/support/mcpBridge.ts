// A stdio ↔ Streamable HTTP bridge for MCP, with the official SDK's transports: each HTTP session (an initialize
// without a session id) starts one stdio server process and relays JSON-RPC messages both ways, unchanged. It lets
// tools that speak HTTP only (the MCP conformance suite's server scenarios) test a stdio server such as
// `sagemaker-processing mcp`. Loopback only; test code.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface McpBridge {
  /** The Streamable HTTP endpoint (http://127.0.0.1:<port>/mcp). */
  url: string;
  /** How many stdio server processes were started (one per session). */
  sessions(): number;
  /** What the stdio servers wrote to stderr. */
  stderr(): string;
  close(): Promise<void>;
}

interface Session {
  http: StreamableHTTPServerTransport;
  stdio: StdioClientTransport;
}

const isInitialize = (b: unknown) => !!b && typeof b === 'object' && !Array.isArray(b) && (b as { method?: unknown }).method === 'initialize';

export async function startMcpBridge(server: StdioServerParameters): Promise<McpBridge> {
  const sessions = new Map<string, Session>();
  let started = 0;
  let errText = '';

  async function open(): Promise<Session> {
    const stdio = new StdioClientTransport({ ...server, stderr: 'pipe' });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, s),
    });
    const s: Session = { http: transport, stdio };
    transport.onmessage = (m: JSONRPCMessage) => void stdio.send(m).catch((e) => transport.onerror?.(e as Error));
    stdio.onmessage = (m: JSONRPCMessage) => void transport.send(m).catch(() => undefined);
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void stdio.close().catch(() => undefined);
    };
    stdio.onclose = () => void transport.close().catch(() => undefined);
    await stdio.start();
    stdio.stderr?.on('data', (d: Buffer) => (errText += d.toString()));
    await transport.start();
    started++;
    return s;
  }

  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') {
        res.writeHead(404).end();
        return;
      }
      let body: unknown;
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
          return;
        }
      }
      const id = req.headers['mcp-session-id'];
      const existing = typeof id === 'string' ? sessions.get(id) : undefined;
      if (existing) {
        await existing.http.handleRequest(req, res, body);
      } else if (!id && req.method === 'POST' && isInitialize(body)) {
        await (await open()).http.handleRequest(req, res, body);
      } else {
        res.writeHead(id ? 404 : 400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: id ? 'Session not found' : 'Bad Request: no session id' } }));
      }
    })().catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String((err as Error)?.message ?? err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    sessions: () => started,
    stderr: () => errText,
    async close() {
      for (const s of [...sessions.values()]) await s.http.close().catch(() => undefined);
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
