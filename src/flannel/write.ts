// What `flannel set` says when a compare-and-swap write (etcdctl/swap.ts) does not go through:
// what went wrong, what each keyspace holds now, and the exact commands that put back what this
// run wrote, so that an operator never has to guess which keyspace changed. Pure.
import type { EtcdSwap, KeyState } from '../etcdctl/swap.js';
import type { EtcdApi } from './keyspace.js';

// A keyspace this run wrote, and the command that puts it back as it was (itself a swap: it
// changes nothing if someone wrote the key since).
export interface Written {
  api: EtcdApi;
  undo: string | undefined;
}

const show = (s: KeyState | undefined): string => (!s ? 'a value that could not be read' : s.found ? s.value : '(not set)');

type Failed = Exclude<EtcdSwap, { ok: true }>;

// The lines for a write to `api` that failed after the keyspaces in `written` were written.
export function writeFailure(key: string, value: string, api: EtcdApi, from: KeyState, f: Failed, written: readonly Written[]): string[] {
  const what = f.conflict
    ? `conflict (${api}): ${key} changed since it was read: it held ${show(from)}, it now holds ${show(f.now)}; someone else wrote it, so clusterctl did not overwrite it`
    : `write failed (${api}): ${f.error}${f.unsure ? `; etcdctl did not finish, so ${api} may hold the new value or still ${show(from)}` : ''}`;
  const here = f.conflict ? `${api} holds ${show(f.now)} (not written)` : f.unsure ? `${api} may hold either` : `${api} holds ${show(from)} (not written)`;
  return [what, ...keyspaceState(value, written, here)];
}

// Which keyspace holds what after a failure (`here`: the keyspace that failed, in words), and how
// to put back what this run wrote.
export function keyspaceState(value: string, written: readonly Written[], here: string): string[] {
  if (!written.length) return [here.includes('not written') ? 'nothing was written' : `nothing else was written; ${here}`];
  const ours = written.map((w) => `${w.api} holds the new value ${value} (written by this run)`).join(', ');
  return [
    `the keyspaces now differ: ${ours}; ${here}`,
    ...written.map((w) => (w.undo ? `to put ${w.api} back as it was: ${w.undo}` : `${w.api} has no command that puts it back safely: restore it by hand`)),
    'or run clusterctl flannel set again to write the keyspaces that still differ',
  ];
}
