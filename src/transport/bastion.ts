import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { SshError } from './errors.js';
import type { Endpoint } from './target.js';

interface Shared {
  client: Promise<Client>;
  users: number;
}

// One SSH connection per bastion for the whole run, shared by every node behind it: 200 nodes
// through one jump host make 200 forwarded channels, not 200 logins on the bastion.
export class BastionPool {
  private readonly open = new Map<string, Shared>();
  constructor(private readonly connect: (ep: Endpoint) => Promise<Client>) {}

  // A channel to host:port opened by the bastion (ssh -J / direct-tcpip). The caller must call
  // release() when its node connection ends.
  async channel(bastion: Endpoint, host: string, port: number, timeoutMs: number): Promise<{ sock: Duplex; release: () => void }> {
    const key = `${bastion.user}@${bastion.host}:${bastion.port}`;
    let shared = this.open.get(key);
    if (!shared) {
      const client = this.connect(bastion);
      shared = { client, users: 0 };
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

  // Keep the bastion's socket from holding the process open while no node uses it, so the run
  // ends as soon as the last node does, without a teardown step every caller must remember.
  private refresh(s: Shared): void {
    void s.client.then(
      (c) => {
        const sock = (c as unknown as { _sock?: { ref?: () => void; unref?: () => void } })._sock;
        if (s.users > 0) sock?.ref?.();
        else sock?.unref?.();
      },
      () => undefined,
    );
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
