import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { ServerChannel } from 'ssh2';
import { probeFor } from '../../src/facts/probe.js';
import { splitNonce, withRequestNonce } from './nonce.js';
import { keyPair } from './keypair.js';

const { Server, utils } = ssh2;

// What a fake command does: answer, hang until the client gives up, or print a byte a
// millisecond and never end.
export type Handler = { stdout?: string | Buffer; stderr?: string; code?: number } | 'hang' | 'trickle';

// A node that accepts the connection and then leaves a step unanswered: the session channel is
// never confirmed, or its exec request never answered.
export interface ServerOptions {
  stall?: 'channel' | 'exec';
}

// 'trickle': a byte a millisecond until the channel closes.
function trickle(channel: ServerChannel): void {
  const timer = setInterval(() => channel.write('x'), 1);
  channel.on('close', () => clearInterval(timer));
}

export interface TestServer {
  port: number;
  hostPublicKey: Buffer; // the raw key blob, as known_hosts stores it
  dir: string; // holds id_ed25519 (client key) and known_hosts (this server's key, for 127.0.0.1:port)
  identityFile: string;
  knownHostsFile: string;
  execs: string[]; // every command the server was asked to run
  signals: string[]; // every signal the client sent
  closedChannels: number;
  connections: number; // client connections accepted so far
  open: number; // client connections open now
  dropAll(): void; // end every client connection from the server side, as a rebooting node would
  close(): Promise<void>;
}

function blobOf(publicOpenSsh: string): Buffer {
  return Buffer.from(publicOpenSsh.trim().split(/\s+/)[1] ?? '', 'base64');
}

// The probe's session (facts/request.ts), each variant by the one-shot probe it stands for: the
// server answers its requests from the handlers of the one-shot commands, as one exec each (each
// recorded in `execs` so), which is what the session does on a node. TEST_NONCE in a handler's
// stdout becomes the request's nonce (test/helpers/nonce.ts), in a session or an exec alike.
const SESSIONS = new Map((['none', 'sudo'] as const).map((b) => [probeFor(b, 'session'), probeFor(b)]));

function serveSession(channel: ServerChannel, probe: string, handlers: Record<string, Handler>, state: { execs: string[] }): void {
  let buffered = '';
  let script: { nonce: string; lines: string[] } | undefined;
  const answer = (command: string, nonce: string) => {
    state.execs.push(command);
    const h = handlers[command] ?? { stderr: `sh: ${command}: not found\n`, code: 127 };
    if (h === 'hang') return;
    if (h === 'trickle') return trickle(channel);
    if (h.stdout) channel.write(typeof h.stdout === 'string' ? withRequestNonce(h.stdout, nonce) : h.stdout);
    if (h.stderr) channel.stderr.write(h.stderr);
    channel.write(`\n@@clusterctl:ran ${nonce} rc=${h.code ?? 0}\n`);
  };
  channel.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (script) {
        if (line === script.nonce) {
          answer(script.lines.join('\n'), script.nonce);
          script = undefined;
        } else script.lines.push(line);
      } else if (line.startsWith('probe ')) answer(probe, line.slice('probe '.length));
      else if (line.startsWith('script ')) script = { nonce: line.slice('script '.length).split(' ')[0] ?? '', lines: [] };
    }
  });
  channel.on('end', () => {
    channel.exit(0);
    channel.end();
  });
}

// An in-process ssh2 Server: real SSH protocol, publickey auth for one generated client key.
export async function startTestServer(handlers: Record<string, Handler>, options: ServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-ssh-'));
  const host = keyPair('ed25519');
  const client = keyPair('ed25519');
  const identityFile = join(dir, 'id_ed25519');
  writeFileSync(identityFile, client.private, { mode: 0o600 });
  const clientBlob = blobOf(client.public);
  const state = { execs: [] as string[], signals: [] as string[], closedChannels: 0, connections: 0 };
  const live = new Set<{ end(): void }>();

  const server = new Server({ hostKeys: [host.private] }, (conn) => {
    state.connections++;
    live.add(conn);
    conn.on('close', () => live.delete(conn));
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => {
      if (ctx.method === 'publickey' && ctx.username === 'core' && ctx.key.data.equals(clientBlob)) {
        if (!ctx.signature) return ctx.accept(); // the key-query round
        const key = utils.parseKey(client.public);
        if (!(key instanceof Error) && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      }
      ctx.reject(['publickey']);
    });
    conn.on('ready', () => {
      conn.on('session', (acceptSession) => {
        if (options.stall === 'channel') return;
        const session = acceptSession();
        session.on('signal', (_accept, _reject, info) => state.signals.push(info.name));
        session.on('exec', (accept, _reject, info) => {
          if (options.stall === 'exec') return;
          const channel: ServerChannel = accept();
          channel.on('close', () => state.closedChannels++);
          const once = SESSIONS.get(info.command);
          if (once !== undefined) return serveSession(channel, once, handlers, state);
          const { nonce, script } = splitNonce(info.command);
          state.execs.push(script);
          const h = handlers[script] ?? { stderr: `sh: ${script}: not found\n`, code: 127 };
          if (h === 'hang') return;
          if (h === 'trickle') return trickle(channel);
          if (h.stdout) channel.write(typeof h.stdout === 'string' ? withRequestNonce(h.stdout, nonce) : h.stdout);
          if (h.stderr) channel.stderr.write(h.stderr);
          channel.exit(h.code ?? 0);
          channel.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${host.public.trim().split(/\s+/).slice(0, 2).join(' ')}\n`);
  return {
    port,
    hostPublicKey: blobOf(host.public),
    dir,
    identityFile,
    knownHostsFile,
    get execs() {
      return state.execs;
    },
    get signals() {
      return state.signals;
    },
    get closedChannels() {
      return state.closedChannels;
    },
    get connections() {
      return state.connections;
    },
    get open() {
      return live.size;
    },
    dropAll: () => {
      for (const c of live) c.end();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
