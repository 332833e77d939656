// `clusterctl import`: Container Linux Configs and Ignition configs → an inventory on stdout or
// in --out. Every problem of every file is reported (exit 2) and then nothing is written.
import { UserError } from '../errors.js';
import { importInventory } from '../import/files.js';
import type { ImportFlags } from '../import/import.js';
import type { Role } from '../inventory/types.js';
import type { Io } from '../io.js';
import { importRefusal, importWarnings, importWritten } from '../report/import.js';
import { writeAtomic } from '../util/write-atomic.js';

export interface ImportOptions {
  paths: string[]; // config files, or directories of them
  out?: string; // the inventory file; stdout when absent
  roles?: string[]; // --role master=a,b (repeatable)
  hosts?: string[]; // --host a=198.18.1.10 (repeatable; comma-separated pairs too)
  filesDir?: string; // --files-dir: Butane's local files (default: each config's directory)
}

const ROLES: readonly Role[] = ['etcd', 'master', 'worker'];

// --role ROLE=NODE,NODE … → each node's extra roles.
export function parseRoleFlags(values: readonly string[]): Map<string, Role[]> {
  const out = new Map<string, Role[]>();
  for (const v of values) {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    const role = m?.[1] as Role | undefined;
    if (!m || !role || !ROLES.includes(role)) throw new UserError(`--role ${v}: expected ROLE=NODE[,NODE…] with ROLE one of ${ROLES.join(', ')} (e.g. --role master=app-etcd-1)`);
    for (const node of (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) out.set(node, [...new Set([...(out.get(node) ?? []), role])]);
  }
  return out;
}

// --host NODE=ADDRESS[,NODE=ADDRESS…] → the SSH host of each node.
export function parseHostFlags(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1 || /\s/.test(pair)) throw new UserError(`--host ${pair}: expected NODE=ADDRESS (e.g. --host app-worker-1=192.168.1.11)`);
    out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

export const importFlags = (o: Pick<ImportOptions, 'roles' | 'hosts'>): ImportFlags => ({ roles: parseRoleFlags(o.roles ?? []), hosts: parseHostFlags(o.hosts ?? []) });

export async function importCommand(opts: ImportOptions, io: Io): Promise<number> {
  const r = await importInventory(opts.paths, importFlags(opts), opts.out, opts.filesDir === undefined ? {} : { filesDir: opts.filesDir });
  io.stderr.write(importWarnings(r.warnings));
  if (!r.ok) {
    io.stderr.write(importRefusal(r.problems));
    return 2;
  }
  if (opts.out === undefined) {
    io.stdout.write(r.yamlText);
    return 0;
  }
  try {
    await writeAtomic(opts.out, r.yamlText, 0o644);
  } catch (err) {
    throw new UserError(`cannot write ${opts.out} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  io.stderr.write(importWritten(opts.out, r.inventory.nodes.length, Object.keys(r.provisioned).length));
  return 0;
}
