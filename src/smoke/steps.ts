// The setup guide's etcdctl smoke test as steps, each one etcdctl call (two for v3 `set`, which first
// checks the run's prefix is unused). A step reports what it may have created, so the sequencer
// knows what to clean up whatever happens next.
import type { Transport } from '../transport/types.js';
import { etcdctl, etcdctlCommand, etcdGet } from '../etcdctl/client.js';
import type { EtcdAccess, EtcdApi } from '../etcdctl/client.js';
import { etcdctlNotFound } from '../etcdctl/messages.js';
import { etcdctlError, etcdctlMissing, isV2KeyNotFound, parseV3Get } from '../etcdctl/parse.js';
import type { EtcdctlOutput } from '../etcdctl/parse.js';

export const SMOKE_STEPS = ['ls', 'mkdir', 'set', 'get', 'rm', 'rmdir', 'gone'] as const;
export type SmokeStep = (typeof SMOKE_STEPS)[number];

export interface SmokeCtx {
  t: Transport;
  access: EtcdAccess;
  api: EtcdApi;
  node: string;
  dir: string;
  key: string;
  value: string;
  timeoutMs: number;
  parentCreated?: boolean; // v2: set once mkdir found the parent missing
}

// v2 mkdir of /clusterctl-smoke/X also creates /clusterctl-smoke when it is missing: the run
// must remove that too, or the keyspace would not be as it was.
export interface Created {
  key?: boolean;
  dir?: boolean;
  parent?: boolean;
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

// Is DIR absent? v2: `ls DIR` says Key not found; v3: nothing under the prefix DIR.
export async function absent(c: SmokeCtx): Promise<{ ok: true; absent: boolean; found: string[] } | { ok: false; error: string }> {
  if (c.api === 'v2') {
    const r = await run(c, ['ls', '--recursive', '--', c.dir]);
    if (isV2KeyNotFound(r)) return { ok: true, absent: true, found: [] };
    if (r.code !== 0) return { ok: false, error: failure(c, r) };
    return { ok: true, absent: false, found: [c.dir, ...r.stdout.split('\n').filter(Boolean)] };
  }
  const r = await run(c, ['-w', 'json', 'get', '--prefix', '--keys-only', '--', c.dir]);
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

export const parentOf = (dir: string) => dir.slice(0, dir.lastIndexOf('/')) || '/';

async function mkdir(c: SmokeCtx): Promise<StepOutcome> {
  const parent = parentOf(c.dir);
  const p = await run(c, ['ls', '--', parent]);
  if (p.code !== 0 && !isV2KeyNotFound(p)) return { ok: false, message: `could not look for ${parent}: ${failure(c, p)}` };
  const parentCreated = p.code !== 0 && parent !== '/';
  const r = await run(c, ['mkdir', '--', c.dir]);
  if (r.code === 0) return { ok: true, message: `created ${c.dir}`, created: { dir: true, parent: parentCreated } };
  // v2 mkdir is atomic: "105: Key already exists" means someone else's DIR, which we must not touch.
  if (/Error:\s+105:/.test(r.stderr)) return { ok: false, refused: true, message: `${c.dir} already exists: refusing to run over it (${failure(c, r)})` };
  // Anything else (a timeout …) may still have created it; rmdir only ever removes an empty dir.
  return { ok: false, message: failure(c, r), created: { dir: true, parent: parentCreated } };
}

async function set(c: SmokeCtx): Promise<StepOutcome> {
  if (c.api === 'v3') {
    const pre = await absent(c);
    if (!pre.ok) return { ok: false, message: `could not check that ${c.dir} is unused: ${pre.error}` };
    if (!pre.absent) return { ok: false, refused: true, message: `${c.dir} already holds ${pre.found.join(', ')}: refusing to run over it` };
  }
  const r = await run(c, [c.api === 'v2' ? 'set' : 'put', '--', c.key, c.value]);
  if (r.code !== 0) return { ok: false, message: failure(c, r), created: { key: true } };
  return { ok: true, message: `${c.api === 'v2' ? 'set' : 'put'} ${c.key}`, created: { key: true } };
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
  // v3 `del` prints how many keys it deleted; 0 means the key had vanished.
  if (c.api === 'v3' && r.stdout.trim() !== '1') return { ok: false, message: `del ${c.key} deleted ${r.stdout.trim() || 'nothing'}, expected 1`, created: { key: false } };
  return { ok: true, message: `removed ${c.key}`, created: { key: false } };
}

async function rmdir(c: SmokeCtx): Promise<StepOutcome> {
  const r = await run(c, ['rmdir', '--', c.dir]);
  if (r.code !== 0) return { ok: false, message: failure(c, r) };
  if (!c.parentCreated) return { ok: true, message: `removed ${c.dir}`, created: { dir: false } };
  const p = await removeParent(c);
  if (!p.ok) return { ok: false, message: `removed ${c.dir}, but not ${parentOf(c.dir)} which this run created: ${p.error}`, created: { dir: false } };
  return { ok: true, message: `removed ${c.dir} and ${parentOf(c.dir)}${p.note}`, created: { dir: false, parent: false } };
}

// rmdir of the parent this run created. "Directory not empty" means another run is using it;
// that run removes it when it finishes, so it is not ours to report.
export async function removeParent(c: SmokeCtx): Promise<{ ok: true; note: string } | { ok: false; error: string }> {
  const r = await run(c, ['rmdir', '--', parentOf(c.dir)]);
  if (r.code === 0 || isV2KeyNotFound(r)) return { ok: true, note: '' };
  if (/Error:\s+108:/.test(r.stderr)) return { ok: true, note: ' (left to the other run using it)' };
  return { ok: false, error: failure(c, r) };
}

async function gone(c: SmokeCtx): Promise<StepOutcome> {
  const r = await absent(c);
  if (!r.ok) return { ok: false, message: r.error };
  return r.absent ? { ok: true, message: `${c.dir} is gone` } : { ok: false, message: `${c.dir} still holds ${r.found.join(', ')}` };
}

export const STEP_FNS: Readonly<Record<SmokeStep, (c: SmokeCtx) => Promise<StepOutcome>>> = { ls, mkdir, set, get, rm, rmdir, gone };

// The exact commands an operator runs to remove what a failed cleanup left behind.
export function manualCleanup(c: SmokeCtx, leftKey: boolean, leftDir: boolean, leftParent = false): string {
  const cmds: string[] = [];
  if (leftKey) cmds.push(etcdctlCommand(c.access, c.api, [c.api === 'v2' ? 'rm' : 'del', '--', c.key], c.timeoutMs, Infinity));
  if (leftDir && c.api === 'v2') cmds.push(etcdctlCommand(c.access, c.api, ['rmdir', '--', c.dir], c.timeoutMs, Infinity));
  if (leftParent && c.api === 'v2') cmds.push(etcdctlCommand(c.access, c.api, ['rmdir', '--', parentOf(c.dir)], c.timeoutMs, Infinity));
  return cmds.join(' && ');
}
