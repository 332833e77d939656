// Compare-and-swap writes of one key: written only if the key still holds what was read (or is
// still absent), in either keyspace, so a concurrent change is never overwritten. Flags and the
// txn grammar as etcdctl 3.4.23 takes them (`set --swap-with-value`, `mk`, `rm --with-value`;
// `txn` reads compares, then the requests to run if they hold, then those to run if not).
import type { Transport } from '../transport/types.js';
import { etcdctl, etcdctlCommand, etcdGet } from './client.js';
import type { EtcdAccess, EtcdApi } from './client.js';
import { etcdctlError, isV2CompareFailed, parseV3Txn } from './parse.js';

// What the key holds: nothing, or exactly this value.
export type KeyState = { found: false } | { found: true; value: string };

export type EtcdSwap =
  | { ok: true }
  // Someone changed the key since it was read: nothing was written. `now`: what it holds, when known.
  | { ok: false; conflict: true; now?: KeyState }
  // etcdctl failed; `unsure`: it did not finish, so the write may have happened or not.
  | { ok: false; conflict?: undefined; error: string; unsure: boolean };

// txn's lines quote keys and values as Go does (fmt's %q): JSON's string escapes are a subset of
// Go's, and a value's line breaks become \n, so one value is one line whatever it holds.
const q = (s: string) => JSON.stringify(s);

// A txn: if KEY holds `from` (or is absent), `then` runs; else KEY is read, to say what it holds.
function txnLines(key: string, from: KeyState, then: string): string[] {
  const compare = from.found ? `value(${q(key)}) = ${q(from.value)}` : `create(${q(key)}) = "0"`;
  return [compare, '', then, '', `get -- ${q(key)}`, ''];
}

// The etcdctl words (and the txn's stdin, v3) that change KEY from `from` to `to` only if it still
// holds `from`. v2's --swap-with-value '' means no compare at all, so an empty `from` has no
// v2 form (undefined).
export function swapCall(api: EtcdApi, key: string, from: KeyState, to: KeyState): { args: string[]; input?: string[] } | undefined {
  if (api === 'v3') {
    const then = to.found ? `put -- ${q(key)} ${q(to.value)}` : `del -- ${q(key)}`;
    return { args: ['-w', 'json', 'txn'], input: txnLines(key, from, then) };
  }
  if (from.found && from.value === '') return undefined;
  if (!to.found) return from.found ? { args: ['rm', `--with-value=${from.value}`, '--', key] } : undefined;
  return { args: from.found ? ['set', `--swap-with-value=${from.value}`, '--', key, to.value] : ['mk', '--', key, to.value] };
}

// The exact command that changes KEY from `from` back to `to` (itself a compare-and-swap), for an
// operator to run; undefined when there is nothing to undo or no safe v2 form.
export function swapCommand(access: EtcdAccess, api: EtcdApi, key: string, from: KeyState, to: KeyState, timeoutMs: number): string | undefined {
  if (!from.found && !to.found) return undefined;
  const c = swapCall(api, key, from, to);
  return c && etcdctlCommand(access, api, c.args, timeoutMs, undefined, c.input);
}

// Write VALUE to KEY if it still holds `from`. A refused compare is a conflict, with what the key
// holds now (v3: read in the same txn; v2: read once more).
export async function etcdSwap(t: Transport, access: EtcdAccess, api: EtcdApi, key: string, from: KeyState, value: string, timeoutMs: number): Promise<EtcdSwap> {
  const c = swapCall(api, key, from, { found: true, value });
  if (!c) return { ok: false, error: `${key} holds an empty value in the ${api} keyspace, which etcdctl cannot compare against (--swap-with-value '' means no compare): remove it first (etcdctl rm -- ${key})`, unsure: false };
  const r = await etcdctl(t, access, api, c.args, timeoutMs, undefined, c.input);
  const failed = (): EtcdSwap => ({ ok: false, error: etcdctlError(r, timeoutMs), unsure: r.code === null });
  if (api === 'v2') {
    if (r.code === 0) return { ok: true };
    if (!isV2CompareFailed(r)) return failed();
    const now = await etcdGet(t, access, api, key, timeoutMs);
    return { ok: false, conflict: true, ...(now.ok ? { now: now.found ? { found: true, value: now.value } : { found: false } } : {}) };
  }
  if (r.code !== 0) return failed();
  const p = parseV3Txn(r.stdout);
  if (!p.ok) return { ok: false, error: p.error, unsure: true };
  if (p.succeeded) return { ok: true };
  const kv = p.kvs.find((k) => k.key === key);
  return { ok: false, conflict: true, now: kv ? { found: true, value: kv.value } : { found: false } };
}
