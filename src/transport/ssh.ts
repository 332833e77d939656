import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import type { NodeSpec } from '../inventory/types.js';
import { fingerprint, hostLookupName, keyTypeOf, readKnownHosts, verifyHostKey } from './known-hosts.js';
import type { HostKeyVerdict, KnownHostLine } from './known-hosts.js';
import type { ExecOptions, ExecResult, Transport } from './types.js';

// ssh2 is CommonJS: a named ESM import of Client fails under real Node (see STYLE.md).
const { Client, utils } = ssh2;

export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export type SshFailureKind = 'refused' | 'timeout' | 'unreachable' | 'host-key' | 'auth' | 'key-file' | 'aborted' | 'network';

// Why a node could not be reached; becomes that node's `ssh` check result, never a crash.
export class SshError extends Error {
  override name = 'SshError';
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SshOptions {
  connectTimeoutMs: number;
  signal?: AbortSignal;
  agentSocket?: string; // defaults to $SSH_AUTH_SOCK
  files?: FileCache; // share reads of keys and known_hosts across nodes
  onInsecure?: (node: NodeSpec) => void; // strictHostKeyChecking: no
}

// Every node usually names the same key and known_hosts files: read each once per run.
export class FileCache {
  private readonly knownHosts = new Map<string, Promise<KnownHostLine[]>>();
  private readonly keys = new Map<string, Promise<Buffer>>();
  knownHostsOf(file: string): Promise<KnownHostLine[]> {
    let p = this.knownHosts.get(file);
    if (!p) this.knownHosts.set(file, (p = readKnownHosts([file])));
    return p;
  }
  keyOf(file: string): Promise<Buffer> {
    let p = this.keys.get(file);
    if (!p) this.keys.set(file, (p = readFile(file)));
    return p;
  }
}

async function privateKeyFor(node: NodeSpec, files: FileCache): Promise<Buffer | undefined> {
  if (!node.identityFile) return undefined;
  let key: Buffer;
  try {
    key = await files.keyOf(node.identityFile);
  } catch (err) {
    throw new SshError('key-file', `cannot read identityFile ${node.identityFile}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) {
    const hint = /encrypted|passphrase/i.test(parsed.message) ? ' (encrypted keys: load it into ssh-agent)' : '';
    throw new SshError('key-file', `cannot use identityFile ${node.identityFile}: ${parsed.message}${hint}`);
  }
  return key;
}

function hostKeyMessage(node: NodeSpec, verdict: HostKeyVerdict, key: Buffer): string {
  const fp = `${keyTypeOf(key)} ${fingerprint(key)}`;
  const name = hostLookupName(node.host, node.port);
  switch (verdict.kind) {
    case 'revoked':
      return `host key for ${name} (${fp}) is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}`;
    case 'changed':
      return (
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}: it offers ${fp}, but ${verdict.entry.file}:${verdict.entry.line} ` +
        `holds another ${verdict.entry.keyType} key. If the node was reinstalled, remove the old entry ` +
        `(ssh-keygen -R '${name}' -f ${verdict.entry.file}) and verify the new fingerprint out of band`
      );
    case 'unknown': {
      const also = verdict.otherTypes.length ? ` (known keys of other types: ${verdict.otherTypes.join(', ')})` : '';
      const ca = verdict.certAuthorityIgnored ? ' (@cert-authority entries are not supported)' : '';
      return `host key for ${name} (${fp}) is not in ${node.knownHostsFile}${also}${ca}; add it after checking the fingerprint (ssh-keyscan -p ${node.port} ${node.host} >> ${node.knownHostsFile})`;
    }
    case 'match':
      return 'host key matches';
  }
}

function classify(err: Error & { level?: string; code?: string }): SshError {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new SshError('refused', `connection refused (is sshd running on the node?)`, { cause: err });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SshError('unreachable', `no route to host (${code})`, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SshError('unreachable', `cannot resolve host name (${code})`, { cause: err });
  if (err.level === 'client-authentication')
    return new SshError('auth', `authentication failed: the node refused every key offered (check identityFile, ssh-agent and the node's authorized_keys)`, { cause: err });
  if (err.level === 'client-timeout') return new SshError('timeout', 'timed out', { cause: err });
  return new SshError('network', err.message, { cause: err });
}

// Open one authenticated SSH connection to a node, checking its host key first.
export async function connectSsh(node: NodeSpec, opts: SshOptions): Promise<Transport> {
  const files = opts.files ?? new FileCache();
  const privateKey = await privateKeyFor(node, files);
  const agent = opts.agentSocket ?? process.env.SSH_AUTH_SOCK;
  if (!privateKey && !agent)
    throw new SshError('key-file', 'no identityFile in the inventory and no ssh-agent (SSH_AUTH_SOCK): set defaults.identityFile or start ssh-agent');
  const knownHosts = node.strictHostKeyChecking === 'no' ? [] : await files.knownHostsOf(node.knownHostsFile);
  if (node.strictHostKeyChecking === 'no') opts.onInsecure?.(node);

  const client = new Client();
  let hostKeyProblem: string | undefined;
  const config: ConnectConfig = {
    host: node.host,
    port: node.port,
    username: node.user,
    readyTimeout: opts.connectTimeoutMs,
    keepaliveInterval: 5000,
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer) => {
      if (node.strictHostKeyChecking === 'no') return true;
      const verdict = verifyHostKey(knownHosts, hostLookupName(node.host, node.port), keyTypeOf(key), key);
      if (verdict.kind === 'match') return true;
      hostKeyProblem = hostKeyMessage(node, verdict, key);
      return false;
    },
    ...(privateKey ? { privateKey } : {}),
    ...(agent ? { agent } : {}),
  };

  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      client.end();
      reject(new SshError('aborted', 'interrupted'));
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => opts.signal?.removeEventListener('abort', onAbort);
    client.once('ready', () => {
      settle();
      resolve();
    });
    client.once('error', (err) => {
      settle();
      client.end();
      if (hostKeyProblem) reject(new SshError('host-key', `host key verification failed: ${hostKeyProblem}`));
      else {
        const e = classify(err);
        reject(e.kind === 'timeout' ? new SshError('timeout', `connect timed out after ${opts.connectTimeoutMs / 1000}s (host down or packets dropped?)`, { cause: err }) : e);
      }
    });
    client.connect(config);
  });
  return new SshTransport(client, opts.signal);
}

class SshTransport implements Transport {
  constructor(
    private readonly client: InstanceType<typeof Client>,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new SshError('network', `cannot start a command: ${err.message}`, { cause: err }));
        collect(stream, options.timeoutMs, resolve);
      });
    });
  }

  close(): void {
    this.client.end();
  }
}

function collect(stream: ClientChannel, timeoutMs: number | undefined, resolve: (r: ExecResult) => void): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let timedOut = false;
  const take = (into: Buffer[]) => (chunk: Buffer) => {
    if (size >= MAX_OUTPUT_BYTES) return void (truncated = true);
    const room = MAX_OUTPUT_BYTES - size;
    if (chunk.length > room) truncated = true;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    size += part.length;
    into.push(part);
  };
  stream.on('data', take(out));
  stream.stderr.on('data', take(err));
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          // OpenSSH ≥ 7.9 delivers the signal to the remote process; closing the channel ends the rest.
          stream.signal('KILL');
          stream.close();
        }, timeoutMs);
  stream.on('close', (code: number | null, signal?: string) => {
    if (timer) clearTimeout(timer);
    const decode = (parts: Buffer[]) => new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(parts));
    const stderr = decode(err) + (truncated ? `\n[clusterctl: output cut at ${MAX_OUTPUT_BYTES} bytes]` : '');
    resolve({
      stdout: decode(out),
      stderr,
      code: timedOut ? null : (code ?? null),
      ...(signal ? { signal } : {}),
      timedOut,
    });
  });
}
