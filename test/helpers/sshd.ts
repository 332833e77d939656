import { connect as tcpConnect } from 'node:net';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { keyPair } from './keypair.js';

const { Server, utils } = ssh2;

// An in-process sshd: publickey auth for the given client keys, `echo` and `hang` commands,
// direct-tcpip forwarding (so it can be a bastion), and counters to prove what happened.
export interface Sshd {
  port: number;
  hostKey: Buffer; // its host key's blob, as known_hosts holds it
  hostLine: (name: string) => string; // a known_hosts line for this server under `name`
  connections: number;
  closed: number;
  authAttempts: number;
  forwards: string[];
  execs: string[];
  conns: { end(): void }[];
  sockets: { destroy(): void }[]; // the bastion's forwarded TCP connections
  close(): Promise<void>;
}

export async function startSshd(acceptKeys: Buffer[], hostKeyType: 'ed25519' | 'ecdsa' = 'ed25519'): Promise<Sshd> {
  const host = hostKeyType === 'ecdsa' ? keyPair('ecdsa') : keyPair('ed25519');
  const s = { connections: 0, closed: 0, authAttempts: 0, forwards: [] as string[], execs: [] as string[], conns: [] as { end(): void }[], sockets: [] as { destroy(): void }[] };
  const server = new Server({ hostKeys: [host.private] }, (conn) => {
    s.connections++;
    s.conns.push(conn);
    conn.on('close', () => s.closed++);
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => {
      s.authAttempts++;
      if (ctx.method === 'publickey' && acceptKeys.some((k) => k.equals(ctx.key.data))) {
        if (!ctx.signature) return ctx.accept();
        const key = utils.parseKey(Buffer.concat([Buffer.from(`${ctx.key.algo} `), Buffer.from(ctx.key.data.toString('base64'))]));
        if (!(key instanceof Error) && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      }
      ctx.reject(['publickey']);
    });
    conn.on('ready', () => {
      conn.on('tcpip', (accept, reject, info) => {
        s.forwards.push(`${info.destIP}:${info.destPort}`);
        const sock = tcpConnect(info.destPort, info.destIP);
        s.sockets.push(sock);
        sock.once('error', () => reject());
        sock.once('connect', () => {
          const ch = accept();
          ch.pipe(sock).pipe(ch);
        });
      });
      conn.on('session', (acceptSession) => {
        acceptSession().on('exec', (accept, _reject, info) => {
          s.execs.push(info.command);
          const ch = accept();
          if (info.command === 'hang') return;
          ch.write(`${info.command}\n`);
          ch.exit(0);
          ch.end();
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(s, {
    port,
    hostKey: Buffer.from(host.public.trim().split(/\s+/)[1] ?? '', 'base64'),
    hostLine: (name: string) => `${name} ${host.public.trim().split(/\s+/).slice(0, 2).join(' ')}\n`,
    // server.close() waits for every connection: end them all (and the forwarded sockets), and
    // never let a straggler hold the suite open past a moment.
    close: () =>
      new Promise<void>((r) => {
        s.conns.forEach((c) => c.end());
        s.sockets.forEach((k) => k.destroy());
        const timer = setTimeout(r, 2000);
        server.close(() => {
          clearTimeout(timer);
          r();
        });
      }),
  });
}
