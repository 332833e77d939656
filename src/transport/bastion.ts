import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { BastionTrust } from './bastion-trust.js';
import { SshError } from './errors.js';
import type { Endpoint } from './target.js';

interface Shared {
  client: Promise<Client>;
  trust: BastionTrust; // the strictest host-key policy it has been checked under
  users: number;
  idle?: NodeJS.Timeout;
}

// How long an unused bastion connection stays open: long enough to bridge the gap between one
// node finishing and the next starting, short enough not to delay the end of a run.
const LINGER_MS = 500;

// One SSH connection per bastion for the whole run, shared by every node behind it: 200 nodes
// through one jump host make 200 forwarded channels, not 200 logins on the bastion.
export class BastionPool {
  private readonly open = new Map<string, Shared>();
  constructor(
    private readonly connect: (ep: Endpoint) => Promise<Client>,
    private readonly notice?: (message: string) => void, // a bastion key learned by a later node's accept-new
  ) {}

  // A channel to host:port opened by the bastion (ssh -J / direct-tcpip). The caller must call
  // release() when its node connection ends.
  async channel(bastion: Endpoint, host: string, port: number, timeoutMs: number): Promise<{ sock: Duplex; release: () => void }> {
    const key = `${bastion.user}@${bastion.host}:${bastion.port}`;
    let shared = this.open.get(key);
    if (!shared) {
      const client = this.connect(bastion);
      shared = { client, trust: new BastionTrust(bastion.strict), users: 0 };
      this.open.set(key, shared);
      const entry = shared;
      // A failed bastion is forgotten so a retry (or the next node) tries again, not the corpse.
      client.then(
        (c) => c.on('close', () => this.open.get(key) === entry && this.open.delete(key)),
        () => this.open.get(key) === entry && this.open.delete(key),
      );
    }
    shared.users++;
    this.refresh(shared);
    let released = false;
    const entry = shared;
    const release = () => {
      if (released) return;
      released = true;
      entry.users--;
      this.refresh(entry);
    };
    let client: Client;
    try {
      client = await shared.client;
      await shared.trust.require(client, bastion, this.notice);
    } catch (err) {
      release();
      const e = err as SshError;
      throw new SshError(e.kind ?? 'network', `bastion ${bastion.label}: ${e.message}`, { cause: err });
    }
    try {
      const sock = await forward(client, host, port, timeoutMs);
      return { sock, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  // Close a bastion nobody has used for LINGER_MS, so the run ends with its last node without a
  // teardown step every caller must remember (ssh2's keepalive timer would hold the process).
  private refresh(s: Shared): void {
    if (s.idle) clearTimeout(s.idle);
    s.idle = undefined;
    if (s.users > 0) return;
    s.idle = setTimeout(() => {
      for (const [key, entry] of this.open) if (entry === s) this.open.delete(key);
      void s.client.then((c) => c.end(), () => undefined);
    }, LINGER_MS);
  }

  closeAll(): void {
    for (const s of this.open.values()) void s.client.then((c) => c.end(), () => undefined);
    this.open.clear();
  }
}

function forward(client: Client, host: string, port: number, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new SshError('timeout', `the bastion got no TCP answer from ${host}:${port} within ${timeoutMs / 1000}s (node down, or packets dropped: blackholed)`));
    }, timeoutMs);
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      clearTimeout(timer);
      if (late) return void stream?.close();
      if (!err) return resolve(stream);
      // OpenSSH says why in the open-failure description ("Connection refused", ...).
      const m = err.message;
      const kind = /refused/i.test(m) ? 'refused' : /timed out/i.test(m) ? 'timeout' : /unreachable|no route/i.test(m) ? 'unreachable' : 'network';
      reject(new SshError(kind, `the bastion could not reach ${host}:${port}: ${m}`, { cause: err }));
    });
  });
}
