// etcd as seen from a node: its own etcdctl, run over the node's SSH connection. Every argument
// is shell-quoted; endpoints and TLS files come from the inventory and are never trusted as shell.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import { shellQuote } from '../util/shell.js';
import { etcdctlError, etcdctlMissing, v2Unserved, isV2KeyNotFound, parseV3Get, v2Value } from './parse.js';
import type { EtcdctlOutput } from './parse.js';
import { etcdctlNotFound } from './messages.js';
import { settle, withApi } from './become.js';
import type { RunAs } from './become.js';

export type EtcdApi = 'v2' | 'v3';
export interface EtcdAccess {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  as?: RunAs; // the node and user etcdctl runs for, and whether through sudo (become)
}
// etcdctlMissing: the node has no etcdctl, so the caller can say which node (etcdctlNotFound).
// unserved: the server does not serve this API (v2 on etcd ≥ 3.4 without --enable-v2).
export type EtcdRead = { ok: true; found: boolean; value: string } | { ok: false; error: string; etcdctlMissing?: true; unserved?: true };

// The endpoints and TLS files a node's etcdctl should use: the node's override, else the cluster's.
export function etcdAccessFor(node: NodeSpec, inventory: Inventory): EtcdAccess {
  const c = inventory.cluster.etcd;
  return {
    endpoints: [...(node.etcd?.endpoints ?? c.endpoints)],
    ...(c.caFile !== undefined ? { caFile: c.caFile } : {}),
    ...(c.certFile !== undefined ? { certFile: c.certFile } : {}),
    ...(c.keyFile !== undefined ? { keyFile: c.keyFile } : {}),
    as: { node: node.name, user: node.user, become: node.become },
  };
}

// etcdctl's own timeouts sit inside the exec timeout so etcdctl, not the transport, says what
// went wrong (v2: --timeout/--total-timeout; v3: --dial-timeout/--command-timeout). They stop at
// etcdctl's own default (5s) unless the caller asks for more (smoke-etcd's --command-timeout):
// an etcd that does not answer a read in 5s is the finding, and waiting longer slows every verify.
export const ETCDCTL_DEFAULT_MAX_MS = 5000;
function timeoutFlags(api: EtcdApi, timeoutMs: number, maxMs: number): string[] {
  const total = Math.max(1, Math.floor(Math.min(timeoutMs - 1000, maxMs) / 1000));
  const dial = Math.min(2, total);
  return api === 'v2' ? [`--timeout=${dial}s`, `--total-timeout=${total}s`] : [`--dial-timeout=${dial}s`, `--command-timeout=${total}s`];
}

// Global flags for one API: endpoints, TLS with that API's own flag names, timeouts.
export function globalFlags(access: EtcdAccess, api: EtcdApi, timeoutMs: number, maxMs = ETCDCTL_DEFAULT_MAX_MS): string[] {
  const [ca, cert, key] = api === 'v2' ? ['--ca-file', '--cert-file', '--key-file'] : ['--cacert', '--cert', '--key'];
  const flags = [`--endpoints=${access.endpoints.join(',')}`];
  if (access.caFile !== undefined) flags.push(`${ca}=${access.caFile}`);
  if (access.certFile !== undefined) flags.push(`${cert}=${access.certFile}`);
  if (access.keyFile !== undefined) flags.push(`${key}=${access.keyFile}`);
  return [...flags, ...timeoutFlags(api, timeoutMs, maxMs)];
}

// One etcdctl command line for the remote sh; ETCDCTL_API picks the API whatever etcdctl's default.
// With become: sudo it runs as `sudo -n -- env ETCDCTL_API=N etcdctl …` (etcdctl/become.ts).
// `input`: lines etcdctl reads on stdin (v3 `txn`), each shell-quoted, through printf.
export function etcdctlCommand(access: EtcdAccess, api: EtcdApi, args: readonly string[], timeoutMs: number, maxMs?: number, input?: readonly string[]): string {
  const words = ['etcdctl', ...globalFlags(access, api, timeoutMs, maxMs), ...args].map(shellQuote);
  const cmd = withApi(apiNumber(api), words.join(' '), access.as);
  return input ? `printf '%s\\n' ${input.map(shellQuote).join(' ')} | ${cmd}` : cmd;
}

export const apiNumber = (api: EtcdApi): 2 | 3 => (api === 'v2' ? 2 : 3);

// An etcdctl run as the rest of clusterctl reads it (sudo's warnings and refusals sorted out).
export function settleRun(r: EtcdctlOutput, access: EtcdAccess, api: EtcdApi, args: readonly string[]): EtcdctlOutput {
  return settle(r, access.as, apiNumber(api), ['etcdctl', ...args].join(' '));
}

// Run one etcdctl command; a transport failure becomes a failed run, never an exception.
export async function etcdctl(t: Transport, access: EtcdAccess, api: EtcdApi, args: readonly string[], timeoutMs: number, maxMs?: number, input?: readonly string[]): Promise<EtcdctlOutput> {
  try {
    const r = await t.exec(etcdctlCommand(access, api, args, timeoutMs, maxMs, input), { timeoutMs });
    return settleRun({ stdout: r.stdout, stderr: r.stderr, code: r.code, timedOut: r.timedOut }, access, api, args);
  } catch (err) {
    return { stdout: '', stderr: `Error: ${(err as Error).message}`, code: null, timedOut: false };
  }
}

// The command line that reads one key (v2 prints the value; v3 JSON, so the value is exact).
export const getArgs = (api: EtcdApi, key: string): string[] => (api === 'v2' ? ['get', '--', key] : ['-w', 'json', 'get', '--', key]);

// One key read's output, as a value. A missing key is found: false (v2 says so with exit 4; v3
// with an empty result).
export function readGet(api: EtcdApi, key: string, r: EtcdctlOutput, timeoutMs: number): EtcdRead {
  if (api === 'v2') {
    if (r.code === 0) return { ok: true, found: true, value: v2Value(r.stdout) };
    if (isV2KeyNotFound(r)) return { ok: true, found: false, value: '' };
    return readFailure(r, timeoutMs);
  }
  if (r.code !== 0) return readFailure(r, timeoutMs);
  const p = parseV3Get(r.stdout);
  if (!p.ok) return p;
  const kv = p.kvs.find((k) => k.key === key);
  return kv ? { ok: true, found: true, value: kv.value } : { ok: true, found: false, value: '' };
}

// Read one key in one round trip of its own.
export async function etcdGet(t: Transport, access: EtcdAccess, api: EtcdApi, key: string, timeoutMs: number, maxMs?: number): Promise<EtcdRead> {
  return readGet(api, key, await etcdctl(t, access, api, getArgs(api, key), timeoutMs, maxMs), timeoutMs);
}

const readFailure = (r: EtcdctlOutput, timeoutMs: number): EtcdRead =>
  etcdctlMissing(r) ? { ok: false, error: etcdctlNotFound(), etcdctlMissing: true } : { ok: false, error: etcdctlError(r, timeoutMs), ...(v2Unserved(r) ? { unserved: true as const } : {}) };
