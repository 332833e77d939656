// Where a command's inventory comes from: the inventory YAML (-i), or with --from the configs the
// nodes were built from, imported in memory, so the configs are the one source of truth. With
// -i given as well, that file's defaults: say how to reach the nodes (user, key, known_hosts,
// become), which no config holds. A bad config is exit 2 before any connection, like a bad inventory.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import { UserError } from '../errors.js';
import { importInventory } from '../import/files.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/types.js';
import { formatProblem } from '../import/problem.js';
import { importWarnings } from '../report/import.js';
import { sanitize } from '../report/sanitize.js';
import { importFlags } from './import.js';

export interface SourceOptions {
  inventory: string; // -i
  inventoryGiven?: boolean; // -i (or $CLUSTERCTL_INVENTORY) was given, not defaulted
  from?: string[]; // --from: config files or directories
  roles?: string[]; // --role ROLE=NODE,…
  hosts?: string[]; // --host NODE=ADDRESS
  filesDir?: string; // --files-dir: Butane's local files
}

// The -i file's defaults:, as import's connection settings (the keys render gives are the configs').
async function connectionOf(file: string): Promise<Record<string, unknown>> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'), QUIET_YAML);
  } catch (err) {
    throw new UserError(`--from with -i ${file}: the file's defaults: (how to reach the nodes) cannot be read (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  const defaults = (doc as { defaults?: unknown } | null)?.defaults;
  if (defaults === undefined || defaults === null) return {};
  if (typeof defaults !== 'object' || Array.isArray(defaults)) throw new UserError(`--from with -i ${file}: defaults: must be a mapping of connection settings`);
  const { sshAuthorizedKeys: _k, sshAuthorizedKeysFile: _f, ...connection } = defaults as Record<string, unknown>;
  return connection;
}

export async function loadSource(o: SourceOptions, io: { stderr: { write(text: string): unknown } }): Promise<Inventory> {
  if (!o.from?.length) return loadInventory(o.inventory);
  const connection = o.inventoryGiven ? await connectionOf(o.inventory) : {};
  const r = await importInventory(o.from, { ...importFlags(o), connection }, o.inventoryGiven ? o.inventory : undefined, o.filesDir === undefined ? {} : { filesDir: o.filesDir });
  io.stderr.write(importWarnings(r.warnings));
  if (!r.ok) {
    const files = new Set(r.problems.map((p) => p.file)).size;
    const lines = r.problems.map((p) => `  ${sanitize(formatProblem(p))}`).join('\n');
    throw new UserError(`--from: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${files} config${files === 1 ? '' : 's'}, nothing was checked:\n${lines}\nfix the configs, or import them (clusterctl import) and edit the inventory`);
  }
  return r.inventory;
}
