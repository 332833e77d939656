// The flannel config key's JSON, validated the way flanneld reads it (Go's encoding/json:
// keys match case-insensitively) plus what the inventory expects of it. Pure.
import { formatNetwork, hasHostBits, parseCidr } from '../util/ipv4.js';

export const DEFAULT_SUBNET_LEN = 24;
// Backend types flannel knows (0.11 … 0.2x); anything else makes flanneld exit at start.
export const BACKENDS = ['vxlan', 'udp', 'host-gw', 'ipip', 'ipsec', 'wireguard', 'aws-vpc', 'gce', 'alivpc', 'alloc', 'tencent-vpc', 'extension'] as const;
const KNOWN_KEYS = ['Network', 'SubnetLen', 'SubnetMin', 'SubnetMax', 'Backend', 'EnableIPv4', 'EnableIPv6', 'IPv6Network', 'IPv6SubnetLen', 'IPv6SubnetMin', 'IPv6SubnetMax', 'EnableNFTables'];

export interface FlannelConfig {
  network: string; // canonical CIDR
  subnetLen: number;
  backendType: string; // flannel's default is udp when Backend is absent
}

export interface ConfigExpectations {
  network?: string; // cluster.flannel.network
  subnetLen?: number; // cluster.flannel.subnetLen
}

export type ConfigVerdict = { ok: true; config: FlannelConfig; warnings: string[] } | { ok: false; problems: string[] };

// The value of `key` in a decoded object, matched like Go's encoding/json does.
export function field(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : obj[k];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Every problem of one config value, so one run names them all.
export function validateFlannelConfig(text: string, expect: ConfigExpectations = {}): ConfigVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const snippet = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    return { ok: false, problems: [`not valid JSON (${(err as Error).message}): ${JSON.stringify(snippet)}`] };
  }
  if (!isObject(value)) return { ok: false, problems: ['the config must be a JSON object such as {"Network": "10.1.0.0/16"}'] };
  const problems: string[] = [];
  const warnings: string[] = [];

  const rawNet = field(value, 'Network');
  let network: string | undefined;
  let prefix = 0;
  if (typeof rawNet !== 'string') problems.push(rawNet === undefined ? 'Network is missing' : 'Network must be a string such as "10.1.0.0/16"');
  else {
    const c = parseCidr(rawNet);
    if (!c) problems.push(`Network '${rawNet}' is not an IPv4 CIDR such as 10.1.0.0/16`);
    else if (hasHostBits(c)) problems.push(`Network ${rawNet} has host bits set; did you mean ${formatNetwork(c)}?`);
    else {
      network = formatNetwork(c);
      prefix = c.prefix;
      if (expect.network !== undefined && expect.network !== network) problems.push(`Network is ${network}, the inventory says ${expect.network} (cluster.flannel.network)`);
    }
  }

  const rawLen = field(value, 'SubnetLen');
  const subnetLen = rawLen === undefined ? DEFAULT_SUBNET_LEN : rawLen;
  if (typeof subnetLen !== 'number' || !Number.isInteger(subnetLen)) problems.push(`SubnetLen must be a whole number, got ${JSON.stringify(rawLen)}`);
  else {
    if (subnetLen > 30) problems.push(`SubnetLen ${subnetLen} is over 30: a lease would have no room for pods`);
    if (network !== undefined && subnetLen <= prefix) problems.push(`SubnetLen ${subnetLen} must be greater than Network's prefix /${prefix}`);
    if (expect.subnetLen !== undefined && expect.subnetLen !== subnetLen) problems.push(`SubnetLen is ${subnetLen}, the inventory says ${expect.subnetLen} (cluster.flannel.subnetLen)`);
  }

  for (const k of ['SubnetMin', 'SubnetMax']) {
    const v = field(value, k);
    if (v === undefined) continue;
    const c = typeof v === 'string' ? parseCidr(`${v}/32`) : undefined;
    if (!c) problems.push(`${k} must be an IPv4 address, got ${JSON.stringify(v)}`);
    else if (network !== undefined && !cidrInside(c.address, network)) problems.push(`${k} ${String(v)} is outside Network ${network}`);
  }

  const backend = field(value, 'Backend');
  let backendType = 'udp';
  if (backend !== undefined) {
    const type = isObject(backend) ? field(backend, 'Type') : undefined;
    if (!isObject(backend)) problems.push('Backend must be an object such as {"Type": "vxlan"}');
    else if (type === undefined) warnings.push('Backend has no Type: flannel uses udp');
    else if (typeof type !== 'string' || !(BACKENDS as readonly string[]).includes(type)) problems.push(`Backend.Type ${JSON.stringify(type)} is not one flannel knows (${BACKENDS.join(', ')})`);
    else backendType = type;
  }

  const unknown = Object.keys(value).filter((k) => !KNOWN_KEYS.some((x) => x.toLowerCase() === k.toLowerCase()));
  if (unknown.length) warnings.push(`flannel ignores unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (problems.length || network === undefined || typeof subnetLen !== 'number') return { ok: false, problems };
  return { ok: true, config: { network, subnetLen, backendType }, warnings };
}

function cidrInside(address: number, network: string): boolean {
  const n = parseCidr(network);
  return n !== undefined && formatNetwork({ address, prefix: n.prefix }) === network;
}

// The config JSON `flannel set` writes: the setup guide's shape, SubnetLen and Backend only when given.
export function buildConfig(network: string, subnetLen?: number, backend?: string): string {
  const cfg: Record<string, unknown> = { Network: network };
  if (subnetLen !== undefined) cfg.SubnetLen = subnetLen;
  if (backend !== undefined) cfg.Backend = { Type: backend };
  return JSON.stringify(cfg);
}
