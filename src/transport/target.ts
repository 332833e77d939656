import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BastionSpec, NodeSpec, SshSetting, StrictHostKeyChecking } from '../inventory/types.js';
import { hostLookupName } from './known-hosts.js';
import { parseJump } from './ssh-config.js';
import type { SshConfigEntry, SshConfigFile } from './ssh-config.js';

// One SSH endpoint, every setting decided: inventory → ~/.ssh/config → built-in defaults.
export interface Endpoint {
  label: string; // how messages name it: user@host:port
  host: string; // what to connect to (HostName applied)
  port: number;
  user: string;
  identityFiles: string[]; // tried in order, then ssh-agent
  requiredIdentities?: string[]; // named by the inventory: must be readable (others may be missing, as OpenSSH allows)
  knownHostsFiles: string[]; // the user's: read in order, accept-new writes to the first
  globalKnownHostsFiles: string[]; // read after them, never written (OpenSSH's GlobalKnownHostsFile)
  strict: StrictHostKeyChecking;
  keyName: string; // the name its host key is looked up under: host, or [host]:port
}

export interface SshTarget extends Endpoint {
  connectTimeoutMs: number;
  bastion?: Endpoint;
}

export interface ResolveOptions {
  config?: SshConfigFile | undefined;
  connectTimeoutMs: number;
  connectTimeoutExplicit?: boolean; // --connect-timeout given: it beats ConnectTimeout
  home?: string;
}

// OpenSSH's default identities, when nothing names a key; only those that exist are tried.
function defaultIdentities(home: string): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(home, '.ssh', f)).filter((f) => existsSync(f));
}

const uniq = (xs: string[]) => [...new Set(xs)];

// OpenSSH's GlobalKnownHostsFile default (`ssh -G` of OpenSSH 9.2p1 prints these two).
export const GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

function endpoint(host: string, port: number, user: string, rest: Omit<Endpoint, 'label' | 'host' | 'port' | 'user' | 'keyName'>): Endpoint {
  return { label: `${user}@${host}:${port}`, host, port, user, keyName: hostLookupName(host, port), ...rest };
}

// A node's connection: explicit inventory values win over ssh config, ssh config over built-ins.
export function resolveTarget(node: NodeSpec, opts: ResolveOptions): SshTarget {
  const home = opts.home ?? homedir();
  const unset = new Set<SshSetting>(node.unsetSsh ?? []);
  const c: SshConfigEntry = opts.config?.lookup(node.host) ?? {};
  const pick = <T>(k: SshSetting, inventory: T, config: T | undefined): T => (unset.has(k) && config !== undefined ? config : inventory);
  const inventoryKeys = node.identityFile === undefined ? [] : [node.identityFile];
  const identityFiles = uniq([...inventoryKeys, ...(c.identityFiles ?? [])]);
  const knownInventory = typeof node.knownHostsFile === 'string' ? [node.knownHostsFile] : node.knownHostsFile;
  const base = endpoint(c.hostName ?? node.host, pick('port', node.port, c.port), pick('user', node.user, c.user), {
    identityFiles: identityFiles.length ? identityFiles : defaultIdentities(home),
    requiredIdentities: inventoryKeys,
    knownHostsFiles: pick('knownHostsFile', knownInventory, c.userKnownHostsFiles),
    globalKnownHostsFiles: c.globalKnownHostsFiles ?? GLOBAL_KNOWN_HOSTS,
    strict: pick('strictHostKeyChecking', node.strictHostKeyChecking, c.strictHostKeyChecking),
  });
  const connectTimeoutMs = opts.connectTimeoutExplicit ? opts.connectTimeoutMs : (c.connectTimeoutMs ?? opts.connectTimeoutMs);
  const jump: BastionSpec | undefined = node.bastion ?? (c.proxyJump !== undefined ? parseJump(c.proxyJump) : undefined);
  if (!jump) return { ...base, connectTimeoutMs };
  // The bastion is looked up in ssh config under its own name; what it leaves open comes from
  // the node (same user, keys and known_hosts), as a ProxyJump through one's own fleet expects.
  const b: SshConfigEntry = opts.config?.lookup(jump.host) ?? {};
  const jumpKeys = jump.identityFile === undefined ? [] : [jump.identityFile];
  const bastionKeys = uniq([...jumpKeys, ...(b.identityFiles ?? [])]);
  const bastion = endpoint(b.hostName ?? jump.host, jump.port ?? b.port ?? 22, jump.user ?? b.user ?? base.user, {
    identityFiles: bastionKeys.length ? bastionKeys : base.identityFiles,
    requiredIdentities: bastionKeys.length ? jumpKeys : (base.requiredIdentities ?? []),
    knownHostsFiles: base.knownHostsFiles,
    globalKnownHostsFiles: base.globalKnownHostsFiles,
    strict: base.strict,
  });
  return { ...base, connectTimeoutMs, bastion };
}
