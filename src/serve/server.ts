// serve's HTTP side: GET /metrics, /healthz and / from the state of the last completed round,
// so it answers while a round runs. Nothing it serves is a secret (the report's redaction holds
// here too) and nothing it reads from a request reaches a shell or a file.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { UserError } from '../errors.js';
import { healthz, wantsJson } from './healthz.js';
import { statusPage } from './page.js';
import type { ServeState } from './state.js';

export const DEFAULT_LISTEN = '127.0.0.1:9475';

export interface Listen {
  host: string;
  port: number;
}

// "ADDR:PORT", "[V6]:PORT" or ":PORT" (every address: said, since it leaves loopback).
export function parseListen(text: string): Listen {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) throw new UserError(`--listen: '${text}' is not ADDR:PORT (e.g. ${DEFAULT_LISTEN}, [::1]:9475, 0.0.0.0:9475)`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export const isLoopback = (host: string): boolean => /^127\./.test(host) || host === '::1' || host === 'localhost';

export function serveHttp(state: ServeState, registry: Registry, refreshS: number, title: string): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void answer(req, res, state, registry, refreshS, title).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`internal error: ${(err as Error).message}\n`);
    });
  });
}

async function answer(req: IncomingMessage, res: ServerResponse, state: ServeState, registry: Registry, refreshS: number, title: string): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const send = (status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
  if (path === '/metrics') return send(200, registry.contentType, await registry.metrics());
  if (path === '/healthz') {
    const a = healthz(state, wantsJson(req.headers.accept));
    return send(a.status, a.type, a.body);
  }
  if (path === '/') return send(200, 'text/html; charset=utf-8', statusPage(state, { refreshS, title }));
  return send(404, 'text/plain; charset=utf-8', 'not found: /, /healthz and /metrics are served\n');
}

export function listen(server: Server, at: Listen): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UserError(`--listen ${at.host}:${at.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use: choose another with --listen' : err.message}`, { cause: err })),
    );
    server.listen(at.port, at.host, () => resolve(server.address() as AddressInfo));
  });
}
