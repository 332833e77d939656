import type { Duplex } from 'node:stream';
import type { NodeSpec } from '../inventory/types.js';
import { BastionPool } from './bastion.js';
import { SshError } from './errors.js';
import { SshTransport } from './exec.js';
import { openClient } from './handshake.js';
import { knownHostsFilesOf } from './host-key.js';
import { IdentityCache } from './identities.js';
import type { Identity, PassphraseSource } from './identities.js';
import { readKnownHosts } from './known-hosts.js';
import type { KnownHostLine } from './known-hosts.js';
import { terminalPrompt } from './prompt.js';
import { withRetries } from './retry.js';
import { loadSshConfig } from './ssh-config.js';
import type { SshConfigFile } from './ssh-config.js';
import { resolveTarget } from './target.js';
import type { Endpoint, SshTarget } from './target.js';
import type { Transport } from './types.js';

// Kept here so existing importers (verify, local transport, tests) need not know the split.
export { MAX_OUTPUT_BYTES } from './exec.js';
export { SshError } from './errors.js';
export type { SshFailureKind } from './errors.js';

export interface SshOptions {
  connectTimeoutMs: number;
  connectTimeoutExplicit?: boolean; // --connect-timeout given: it beats ssh config ConnectTimeout
  signal?: AbortSignal | undefined;
  agentSocket?: string; // defaults to $SSH_AUTH_SOCK; '' for none
  runState?: SshRunState; // one per run: shares file reads, passphrases and bastion connections
  onInsecure?: (node: NodeSpec) => void; // strictHostKeyChecking: no
  onNotice?: (message: string) => void; // host keys added by accept-new, ssh config warnings
  sshConfig?: string | false; // a file; false: none; undefined: ~/.ssh/config
  retries?: number; // extra attempts after network failures (never after trust or auth ones)
  home?: string;
}

// What one run shares between its nodes: every file read once, every passphrase asked once,
// one connection per bastion.
export class SshRunState {
  private readonly knownHosts = new Map<string, Promise<KnownHostLine[]>>();
  private readonly configs = new Map<string, Promise<SshConfigFile | undefined>>();
  readonly identities: IdentityCache;
  readonly bastions: BastionPool;
  private bastionOptions: Omit<ConnectContext, 'timeoutMs'> | undefined;

  constructor(passphrase: PassphraseSource = { env: process.env.CLUSTERCTL_KEY_PASSPHRASE, prompt: terminalPrompt() }) {
    this.identities = new IdentityCache(passphrase);
    this.bastions = new BastionPool(
      (ep) => {
        const ctx = this.bastionOptions;
        if (!ctx) return Promise.reject(new SshError('config', 'bastion used before any connection was set up'));
        return open(ep, { ...ctx, timeoutMs: ctx.bastionTimeoutMs });
      },
      (m) => this.bastionOptions?.onNotice?.(m),
    );
  }

  knownHostsOf(files: string[]): Promise<KnownHostLine[]> {
    const key = files.join('\0');
    let p = this.knownHosts.get(key);
    if (!p) this.knownHosts.set(key, (p = readKnownHosts(files)));
    return p;
  }

  sshConfigOf(file: string | false | undefined, home: string | undefined, notice?: (m: string) => void): Promise<SshConfigFile | undefined> {
    if (file === false) return Promise.resolve(undefined);
    const key = file ?? '~';
    let p = this.configs.get(key);
    if (!p) {
      p = loadSshConfig(file, home);
      p.then((c) => c?.warnings.forEach((w) => notice?.(`warning: ${w}`)), () => undefined);
      this.configs.set(key, p);
    }
    return p;
  }

  useForBastions(ctx: Omit<ConnectContext, 'timeoutMs'>): void {
    this.bastionOptions ??= ctx;
  }
}

interface ConnectContext {
  timeoutMs: number;
  bastionTimeoutMs: number;
  signal?: AbortSignal | undefined;
  agent?: string | undefined;
  runState: SshRunState;
  onNotice?: ((message: string) => void) | undefined;
  sock?: Duplex;
}

// A key the inventory names must be there; one from ssh config may be missing, as in OpenSSH.
async function identitiesOf(ep: Endpoint, runState: SshRunState): Promise<Identity[]> {
  const loaded = await Promise.all(
    ep.identityFiles.map((f) =>
      runState.identities.get(f).catch((err: unknown) => {
        const missing = ((err as SshError).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
        if (missing && !(ep.requiredIdentities ?? []).includes(f)) return undefined;
        throw err;
      }),
    ),
  );
  return loaded.filter((x): x is Identity => x !== undefined);
}

// One authenticated connection to an endpoint (node or bastion), host key checked first.
async function open(ep: Endpoint, ctx: ConnectContext) {
  const [identities, knownHosts] = await Promise.all([
    identitiesOf(ep, ctx.runState),
    ep.strict === 'no' ? Promise.resolve([]) : ctx.runState.knownHostsOf(knownHostsFilesOf(ep)),
  ]);
  return openClient(ep, {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    knownHosts,
    identities,
    agent: ctx.agent,
    ...(ctx.sock ? { sock: ctx.sock } : {}),
    ...(ctx.onNotice ? { onHostKeyAdded: ctx.onNotice } : {}),
  });
}

async function attempt(target: SshTarget, ctx: ConnectContext): Promise<Transport> {
  if (!target.bastion) return new SshTransport(await open(target, ctx), ctx.signal);
  const started = Date.now();
  const { sock, release } = await ctx.runState.bastions.channel(target.bastion, target.host, target.port, ctx.timeoutMs);
  try {
    // One budget for the whole connect: the channel's wait counts against the handshake's.
    const left = Math.max(1000, ctx.timeoutMs - (Date.now() - started));
    return new SshTransport(await open(target, { ...ctx, timeoutMs: left, sock }), ctx.signal, release);
  } catch (err) {
    release();
    throw err;
  }
}

// Open one authenticated SSH connection to a node: settings resolved (inventory → ssh config →
// defaults), through its bastion if it has one, host key checked before anything is sent.
export async function connectSsh(node: NodeSpec, opts: SshOptions): Promise<Transport> {
  const runState = opts.runState ?? new SshRunState();
  const config = await runState.sshConfigOf(opts.sshConfig, opts.home, opts.onNotice);
  const target = resolveTarget(node, { config, connectTimeoutMs: opts.connectTimeoutMs, connectTimeoutExplicit: opts.connectTimeoutExplicit ?? false, ...(opts.home ? { home: opts.home } : {}) });
  if (target.strict === 'no') opts.onInsecure?.(node);
  const ctx: ConnectContext = {
    timeoutMs: target.connectTimeoutMs,
    bastionTimeoutMs: target.connectTimeoutMs,
    signal: opts.signal,
    agent: opts.agentSocket ?? process.env.SSH_AUTH_SOCK,
    runState,
    onNotice: opts.onNotice,
  };
  runState.useForBastions(ctx);
  return withRetries(() => attempt(target, ctx), { retries: opts.retries ?? 0, signal: opts.signal });
}
