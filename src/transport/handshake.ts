import ssh2 from 'ssh2';
import type { AnyAuthMethod, Client as ClientType, ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { classify, SshError } from './errors.js';
import { decideHostKey, trustOf } from './host-key.js';
import type { KnownHostLine } from './known-hosts.js';
import type { Identity } from './identities.js';
import type { Endpoint } from './target.js';

// ssh2 is CommonJS: a named ESM import of Client fails under real Node (see STYLE.md).
const { Client } = ssh2;

export interface HandshakeOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  sock?: Duplex; // a forwarded channel through a bastion instead of a TCP connection
  knownHosts: KnownHostLine[]; // every file of the endpoint (knownHostsFilesOf), read once per run
  identities: Identity[];
  agent?: string | undefined;
  onHostKeyAdded?: (message: string) => void;
}

// The host key each open connection was offered: a bastion shared by nodes of different
// policies is checked again under a stricter one (bastion.ts) without a new handshake.
const offered = new WeakMap<ClientType, Buffer>();
export const hostKeyOf = (client: ClientType): Buffer | undefined => offered.get(client);

// The phase a connect attempt reached decides what a timeout meant.
function timeoutReason(phase: 'tcp' | 'ssh' | 'auth', ms: number, viaBastion: boolean): string {
  const s = ms / 1000;
  if (phase === 'tcp')
    return viaBastion
      ? `no TCP connection through the bastion within ${s}s (node down or packets dropped)`
      : `no answer to the TCP connect within ${s}s (host down, or packets dropped by a firewall: blackholed)`;
  if (phase === 'ssh') return `TCP connected but the SSH handshake stalled for ${s}s (no SSH banner or key exchange from the server)`;
  return `authentication did not finish within ${s}s`;
}

// Open one authenticated connection to an endpoint, its host key checked before anything else.
export function openClient(ep: Endpoint, opts: HandshakeOptions): Promise<ClientType> {
  const client = new Client();
  let hostKeyProblem: string | undefined;
  let phase: 'tcp' | 'ssh' | 'auth' = opts.sock ? 'ssh' : 'tcp';
  // Identity files first (the inventory named them on purpose), then every key of the agent.
  const auth: AnyAuthMethod[] = opts.identities.map((id) => ({
    type: 'publickey' as const,
    username: ep.user,
    key: id.key,
  }));
  if (opts.agent) auth.push({ type: 'agent', username: ep.user, agent: opts.agent });
  const config: ConnectConfig = {
    host: ep.host,
    port: ep.port,
    username: ep.user,
    readyTimeout: opts.timeoutMs,
    // A dead peer during a long command is noticed after ~15 s instead of the TCP timeout (minutes).
    keepaliveInterval: 5000,
    keepaliveCountMax: 3,
    authHandler: auth,
    ...(opts.sock ? { sock: opts.sock } : {}),
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      phase = 'auth';
      offered.set(client, key);
      decideHostKey(trustOf(ep, opts.knownHosts), key).then(
        (outcome) => {
          if (outcome.ok) {
            if (outcome.added) opts.onHostKeyAdded?.(outcome.added);
            return verify(true);
          }
          hostKeyProblem = outcome.reason;
          verify(false);
        },
        (err: unknown) => {
          hostKeyProblem = `host key check failed: ${(err as Error).message}`;
          verify(false);
        },
      );
    },
  };
  if (auth.length === 0)
    return Promise.reject(new SshError('key-file', `no key to log in to ${ep.label} with: no identityFile (inventory, ~/.ssh/config or ~/.ssh/id_*) and no ssh-agent ($SSH_AUTH_SOCK)`));

  return new Promise<ClientType>((resolve, reject) => {
    const onAbort = () => {
      client.end();
      reject(new SshError('aborted', 'interrupted'));
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => opts.signal?.removeEventListener('abort', onAbort);
    client.on('connect', () => (phase = 'ssh'));
    client.once('ready', () => {
      settle();
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'agent') return; // an unusable agent only means one method fewer
      settle();
      client.end();
      if (hostKeyProblem) return reject(new SshError('host-key', `host key verification failed: ${hostKeyProblem}`));
      const e = classify(err, opts.timeoutMs);
      reject(e.kind === 'timeout' && err.level === 'client-timeout' ? new SshError('timeout', timeoutReason(phase, opts.timeoutMs, !!opts.sock), { cause: err }) : e);
    });
    client.connect(config);
  });
}
