// The setup guide's etcdctl smoke test as steps, each a few etcdctl calls at most (STEP_CALLS). A
// step reports what it may have created, so the sequencer knows what to clean up whatever happens
// next. Everything the run creates carries a TTL longer than the run (v2 `--ttl`, v3 a lease), so
// etcd removes it by itself even when clusterctl is killed (SIGKILL) before its cleanup.
import type { Transport } from '../transport/types.js';
import { etcdctl, etcdctlCommand, etcdGet } from '../etcdctl/client.js';
import type { EtcdAccess, EtcdApi } from '../etcdctl/client.js';
import { etcdctlNotFound } from '../etcdctl/messages.js';
import { etcdctlError, etcdctlMissing, isLeaseNotFound, isV2KeyNotFound, parseLeaseGrant, parseV3Get } from '../etcdctl/parse.js';
import type { EtcdctlOutput } from '../etcdctl/parse.js';

export const SMOKE_STEPS = ['ls', 'mkdir', 'set', 'get', 'rm', 'rmdir', 'gone'] as const;
export type SmokeStep = (typeof SMOKE_STEPS)[number];

// The most etcdctl calls each step makes, in either API (v3 set: the check that DIR is unused,
// lease grant, put; v3 rm: del, lease revoke). The TTL and the grace after a signal are sized
// from these (run.ts); a unit test holds the steps to them.
export const STEP_CALLS: Readonly<Record<SmokeStep, number>> = { ls: 1, mkdir: 1, set: 3, get: 1, rm: 2, rmdir: 1, gone: 1 };

export interface SmokeCtx {
  t: Transport;
  access: EtcdAccess;
  api: EtcdApi;
  node: string;
  dir: string;
  key: string;
  value: string;
  timeoutMs: number;
  ttlS: number; // of DIR and KEY (v2) and of the lease KEY is put with (v3)
  lease?: string; // v3: the lease this run was granted (hex, as etcdctl prints and takes it)
}

// What the run may have created: v2 DIR and KEY; v3 KEY and its lease (a lease is no key, but
// the run revokes what it was granted).
export interface Created {
  key?: boolean;
  dir?: boolean;
  lease?: boolean;
}

// What a step did: ok or not, why, and what may now exist in etcd because of this run.
export interface StepOutcome {
  ok: boolean;
  message: string;
  created?: Created; // true: may exist now (because of this run); false: known gone
  refused?: boolean; // DIR existed before the run: nothing may be touched
}

// The operator's --command-timeout is etcdctl's too: no 5s ceiling here.
const run = (c: SmokeCtx, args: string[]) => etcdctl(c.t, c.access, c.api, args, c.timeoutMs, Infinity);

export function failure(c: SmokeCtx, r: EtcdctlOutput): string {
  if (etcdctlMissing(r)) return etcdctlNotFound(c.node);
  return etcdctlError(r, c.timeoutMs);
}

// Is DIR absent? v2: `ls DIR` says Key not found; v3: no key starts with DIR/.
export async function absent(c: SmokeCtx): Promise<{ ok: true; absent: boolean; found: string[] } | { ok: false; error: string }> {
  if (c.api === 'v2') {
    const r = await run(c, ['ls', '--recursive', '--', c.dir]);
    if (isV2KeyNotFound(r)) return { ok: true, absent: true, found: [] };
    if (r.code !== 0) return { ok: false, error: failure(c, r) };
    return { ok: true, absent: false, found: [c.dir, ...r.stdout.split('\n').filter(Boolean)] };
  }
  const r = await run(c, ['-w', 'json', 'get', '--prefix', '--keys-only', '--', `${c.dir}/`]);
  if (r.code !== 0) return { ok: false, error: failure(c, r) };
  const p = parseV3Get(r.stdout);
  if (!p.ok) return p;
  return { ok: true, absent: p.kvs.length === 0, found: p.kvs.map((kv) => kv.key) };
}

async function ls(c: SmokeCtx): Promise<StepOutcome> {
  const r = await run(c, c.api === 'v2' ? ['ls', '/'] : ['get', '/', '--prefix', '--keys-only', '--limit', '1']);
  if (r.code !== 0) return { ok: false, message: failure(c, r) };
  return { ok: true, message: c.api === 'v2' ? `ls / listed ${r.stdout.split('\n').filter(Boolean).length} entries` : 'get / --prefix --keys-only --limit 1 answered' };
}

const ttl = (c: SmokeCtx) => ['--ttl', String(c.ttlS)];

// DIR sits at the top of the keyspace: a parent that mkdir made on the way would carry no TTL.
async function mkdir(c: SmokeCtx): Promise<StepOutcome> {
  const r = await run(c, ['mkdir', ...ttl(c), '--', c.dir]);
  if (r.code === 0) return { ok: true, message: `created ${c.dir} (TTL ${c.ttlS}s)`, created: { dir: true } };
  // v2 mkdir is atomic: "105: Key already exists" means someone else's DIR, which we must not touch.
  if (/Error:\s+105:/.test(r.stderr)) return { ok: false, refused: true, message: `${c.dir} already exists: refusing to run over it (${failure(c, r)})` };
  // Anything else (a timeout …) may still have created it; rmdir only ever removes an empty dir.
  return { ok: false, message: failure(c, r), created: { dir: true } };
}

async function set(c: SmokeCtx): Promise<StepOutcome> {
  if (c.api === 'v2') {
    const r = await run(c, ['set', ...ttl(c), '--', c.key, c.value]);
    if (r.code !== 0) return { ok: false, message: failure(c, r), created: { key: true } };
    return { ok: true, message: `set ${c.key} (TTL ${c.ttlS}s)`, created: { key: true } };
  }
  const pre = await absent(c);
  if (!pre.ok) return { ok: false, message: `could not check that ${c.dir}/ is unused: ${pre.error}` };
  if (!pre.absent) return { ok: false, refused: true, message: `${c.dir}/ already holds ${pre.found.join(', ')}: refusing to run over it` };
  // A grant that fails after the server made the lease leaves a lease with no key: it expires.
  const g = await run(c, ['lease', 'grant', String(c.ttlS)]);
  const lease = g.code === 0 ? parseLeaseGrant(g.stdout) : undefined;
  if (!lease) return { ok: false, message: g.code === 0 ? `lease grant printed no lease: ${g.stdout.trim().slice(0, 200)}` : failure(c, g) };
  c.lease = lease;
  const r = await run(c, ['put', `--lease=${lease}`, '--', c.key, c.value]);
  if (r.code !== 0) return { ok: false, message: failure(c, r), created: { key: true, lease: true } };
  return { ok: true, message: `put ${c.key} with lease ${lease} (TTL ${c.ttlS}s)`, created: { key: true, lease: true } };
}

async function get(c: SmokeCtx): Promise<StepOutcome> {
  const r = await etcdGet(c.t, c.access, c.api, c.key, c.timeoutMs, Infinity);
  if (!r.ok) return { ok: false, message: r.etcdctlMissing ? etcdctlNotFound(c.node) : r.error };
  if (!r.found) return { ok: false, message: `${c.key} is not there right after it was written` };
  if (r.value !== c.value) return { ok: false, message: `${c.key} holds '${r.value.slice(0, 100)}', expected '${c.value}'` };
  return { ok: true, message: `${c.key} = ${c.value}` };
}

async function rm(c: SmokeCtx): Promise<StepOutcome> {
  const r = await run(c, [c.api === 'v2' ? 'rm' : 'del', '--', c.key]);
  if (r.code !== 0) return { ok: false, message: failure(c, r) };
  if (c.api === 'v2') return { ok: true, message: `removed ${c.key}`, created: { key: false } };
  // v3 `del` prints how many keys it deleted; 0 means the key had vanished.
  if (r.stdout.trim() !== '1') return { ok: false, message: `del ${c.key} deleted ${r.stdout.trim() || 'nothing'}, expected 1`, created: { key: false } };
  const v = await revoke(c);
  if (!v.ok) return { ok: false, message: `removed ${c.key}, but could not revoke lease ${c.lease}: ${v.error}`, created: { key: false } };
  return { ok: true, message: `removed ${c.key} and revoked lease ${c.lease}`, created: { key: false, lease: false } };
}

// Revoke the run's lease (which deletes any key still on it). Gone already (expired) is fine.
export async function revoke(c: SmokeCtx): Promise<{ ok: true } | { ok: false; error: string }> {
  if (!c.lease) return { ok: true };
  const r = await run(c, ['lease', 'revoke', c.lease]);
  return r.code === 0 || isLeaseNotFound(r) ? { ok: true } : { ok: false, error: failure(c, r) };
}

async function rmdir(c: SmokeCtx): Promise<StepOutcome> {
  const r = await run(c, ['rmdir', '--', c.dir]);
  if (r.code !== 0) return { ok: false, message: failure(c, r) };
  return { ok: true, message: `removed ${c.dir}`, created: { dir: false } };
}

async function gone(c: SmokeCtx): Promise<StepOutcome> {
  const r = await absent(c);
  if (!r.ok) return { ok: false, message: r.error };
  return r.absent ? { ok: true, message: `${c.dir} is gone` } : { ok: false, message: `${c.dir} still holds ${r.found.join(', ')}` };
}

export const STEP_FNS: Readonly<Record<SmokeStep, (c: SmokeCtx) => Promise<StepOutcome>>> = { ls, mkdir, set, get, rm, rmdir, gone };

// The exact commands an operator runs to remove what a failed cleanup left behind.
export function manualCleanup(c: SmokeCtx, leftKey: boolean, leftDir: boolean): string {
  const cmds: string[] = [];
  if (leftKey) cmds.push(etcdctlCommand(c.access, c.api, [c.api === 'v2' ? 'rm' : 'del', '--', c.key], c.timeoutMs, Infinity));
  if (leftDir && c.api === 'v2') cmds.push(etcdctlCommand(c.access, c.api, ['rmdir', '--', c.dir], c.timeoutMs, Infinity));
  return cmds.join(' && ');
}
