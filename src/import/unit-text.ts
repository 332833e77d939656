// Unit and drop-in texts from a config, read with the same parser the probe's `systemctl cat`
// output goes through (facts/parse/systemd-unit.ts), so a config and a node are read alike.
import { parseSystemctlCat } from '../facts/parse/systemd-unit.js';
import type { UnitEntry, UnitFile } from '../facts/parse/systemd-unit.js';
import type { SourceUnit } from './source.js';

export const UNIT_DIR = '/etc/systemd/system';

// One file's text → its entries. The "# /path" header is what parseSystemctlCat frames files by.
export function entriesOf(path: string, contents: string): UnitEntry[] {
  const r = parseSystemctlCat(`# ${path.endsWith('.conf') || path.endsWith('.service') ? path : `${path}.conf`}\n${contents}`);
  return r.ok ? (r.value[0]?.entries ?? []) : [];
}

// The unit's own file (when the config writes one) and its drop-ins whose text is known, in the
// order systemd applies them.
export function unitFilesOf(u: SourceUnit): UnitFile[] {
  const own = u.contents === undefined ? [] : [{ path: `${UNIT_DIR}/${u.name}`, entries: entriesOf(`${UNIT_DIR}/${u.name}`, u.contents) }];
  const dropins = u.dropins
    .filter((d) => d.contents !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => ({ path: `${UNIT_DIR}/${u.name}.d/${d.name}`, entries: entriesOf(`${UNIT_DIR}/${u.name}.d/${d.name}`, d.contents ?? '') }));
  return [...own, ...dropins];
}

// Settings of a daemon that reads PREFIX_NAME variables and --name flags (etcd, flanneld): the
// Environment= values, then the ExecStart flags over them (both daemons let a flag win), keyed
// as CLC writes them: listen_client_urls, etcd_endpoints …
export function daemonSettings(env: Readonly<Record<string, string>>, argv: readonly string[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith(prefix)) out[k.slice(prefix.length).toLowerCase()] = v;
  for (let i = 1; i < argv.length; i++) {
    const m = /^--?([a-z0-9][a-z0-9-]*)(?:=(.*))?$/s.exec(argv[i] ?? '');
    if (!m) continue;
    const next = argv[i + 1];
    const value = m[2] ?? (next !== undefined && !next.startsWith('-') ? next : 'true');
    if (m[2] === undefined && value === next) i++;
    out[(m[1] ?? '').replace(/-/g, '_')] = value;
  }
  return out;
}
