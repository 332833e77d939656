// etcd as seen from a node: its own etcdctl, run over the node's SSH connection. Every argument
// is shell-quoted; endpoints and TLS files come from the inventory and are never trusted as shell.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import { shellQuote } from '../util/shell.js';
import { etcdctlError, etcdctlMissing, isV2KeyNotFound, parseV3Get, v2Value } from './parse.js';
import type { EtcdctlOutput } from './parse.js';

export type EtcdApi = 'v2' | 'v3';
export interface EtcdAccess {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}
export type EtcdRead = { ok: true; found: boolean; value: string } | { ok: false; error: string };
export type EtcdWrite = { ok: true } | { ok: false; error: string };
export interface DetectedApis {
  v2: boolean;
  v3: boolean;
  etcdctl: string | null; // path of the node's etcdctl; null when there is none
  error?: string; // set when neither API works
  v2Error?: string;
  v3Error?: string;
}

// The endpoints and TLS files a node's etcdctl should use: the node's override, else the cluster's.
export function etcdAccessFor(node: NodeSpec, inventory: Inventory): EtcdAccess {
  const c = inventory.cluster.etcd;
  return {
    endpoints: [...(node.etcd?.endpoints ?? c.endpoints)],
    ...(c.caFile !== undefined ? { caFile: c.caFile } : {}),
    ...(c.certFile !== undefined ? { certFile: c.certFile } : {}),
    ...(c.keyFile !== undefined ? { keyFile: c.keyFile } : {}),
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
export function etcdctlCommand(access: EtcdAccess, api: EtcdApi, args: readonly string[], timeoutMs: number, maxMs?: number): string {
  const words = ['etcdctl', ...globalFlags(access, api, timeoutMs, maxMs), ...args].map(shellQuote);
  return `ETCDCTL_API=${api === 'v2' ? 2 : 3} ${words.join(' ')}`;
}

// Run one etcdctl command; a transport failure becomes a failed run, never an exception.
export async function etcdctl(t: Transport, access: EtcdAccess, api: EtcdApi, args: readonly string[], timeoutMs: number, maxMs?: number): Promise<EtcdctlOutput> {
  try {
    const r = await t.exec(etcdctlCommand(access, api, args, timeoutMs, maxMs), { timeoutMs });
    return { stdout: r.stdout, stderr: r.stderr, code: r.code, timedOut: r.timedOut };
  } catch (err) {
    return { stdout: '', stderr: `Error: ${(err as Error).message}`, code: null, timedOut: false };
  }
}

// Read one key. A missing key is found: false (v2 says so with exit 4; v3 with an empty result).
export async function etcdGet(t: Transport, access: EtcdAccess, api: EtcdApi, key: string, timeoutMs: number, maxMs?: number): Promise<EtcdRead> {
  const r = await etcdctl(t, access, api, api === 'v2' ? ['get', '--', key] : ['-w', 'json', 'get', '--', key], timeoutMs, maxMs);
  if (api === 'v2') {
    if (r.code === 0) return { ok: true, found: true, value: v2Value(r.stdout) };
    if (isV2KeyNotFound(r)) return { ok: true, found: false, value: '' };
    return { ok: false, error: etcdctlError(r, timeoutMs) };
  }
  if (r.code !== 0) return { ok: false, error: etcdctlError(r, timeoutMs) };
  const p = parseV3Get(r.stdout);
  if (!p.ok) return p;
  const kv = p.kvs.find((k) => k.key === key);
  return kv ? { ok: true, found: true, value: kv.value } : { ok: true, found: false, value: '' };
}

// Write one key (v2 `set`, v3 `put`). `--` keeps a value starting with '-' from being a flag.
export async function etcdSet(t: Transport, access: EtcdAccess, api: EtcdApi, key: string, value: string, timeoutMs: number): Promise<EtcdWrite> {
  const r = await etcdctl(t, access, api, [api === 'v2' ? 'set' : 'put', '--', key, value], timeoutMs);
  return r.code === 0 ? { ok: true } : { ok: false, error: etcdctlError(r, timeoutMs) };
}

const MARK = '@@clusterctl-etcd ';

// Which APIs work from this node, in one round trip: v3 by a one-key read, v2 by `ls /`
// (fails when etcdctl has no v2 or the server runs without --enable-v2). Read-only.
export async function detectApis(t: Transport, access: EtcdAccess, timeoutMs: number): Promise<DetectedApis> {
  const each = Math.max(2000, Math.floor(timeoutMs / 2));
  const v3 = etcdctlCommand(access, 'v3', ['get', '--limit=1', '--keys-only', '--', '/'], each);
  const v2 = etcdctlCommand(access, 'v2', ['ls', '/'], each);
  const script = [
    `p=$(command -v etcdctl) || { echo '${MARK}etcdctl'; exit 0; }`,
    `echo "${MARK}etcdctl $p"`,
    `${v3} 2>&1 >/dev/null; echo "${MARK}v3 rc=$?"`,
    `${v2} 2>&1 >/dev/null; echo "${MARK}v2 rc=$?"`,
  ].join('\n');
  let out;
  try {
    out = await t.exec(script, { timeoutMs });
  } catch (err) {
    const error = `could not run etcdctl: ${(err as Error).message}`;
    return { v2: false, v3: false, etcdctl: null, error };
  }
  return parseDetect(out.stdout, out.timedOut, timeoutMs);
}

// The detect script's output: each API's etcdctl stderr, then a marker line with its exit code.
export function parseDetect(stdout: string, timedOut: boolean, timeoutMs: number): DetectedApis {
  let path: string | null | undefined;
  const runs = new Map<string, { rc: number; text: string }>();
  let buf: string[] = [];
  for (const line of stdout.split('\n')) {
    const rc = new RegExp(`^${MARK}(v[23]) rc=(\\d+)$`).exec(line);
    if (line.startsWith(`${MARK}etcdctl`)) {
      path = line.slice(MARK.length + 'etcdctl'.length).trim() || null;
      buf = [];
    } else if (rc) {
      runs.set(rc[1] ?? '', { rc: Number(rc[2]), text: buf.join('\n') });
      buf = [];
    } else buf.push(line);
  }
  if (path === undefined) {
    const why = timedOut ? `timed out after ${timeoutMs / 1000}s` : 'unexpected output';
    return { v2: false, v3: false, etcdctl: null, error: `could not detect etcd APIs: ${why}` };
  }
  if (path === null) return { v2: false, v3: false, etcdctl: null, error: 'etcdctl not found (not in PATH of the SSH user); install etcd-client or check the node image' };
  const res: DetectedApis = { v2: false, v3: false, etcdctl: path };
  for (const api of ['v3', 'v2'] as const) {
    const run = runs.get(api);
    const key = api === 'v2' ? 'v2Error' : 'v3Error';
    if (run?.rc === 0) res[api] = true;
    else if (!run) res[key] = timedOut ? `${api} check timed out after ${timeoutMs / 1000}s` : `${api} check did not finish`;
    else res[key] = etcdctlError({ stdout: '', stderr: run.text, code: run.rc, timedOut: false });
  }
  if (!res.v2 && !res.v3) res.error = `neither etcd API works from this node: v3: ${res.v3Error}; v2: ${res.v2Error}`;
  return res;
}
