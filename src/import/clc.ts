// A Container Linux Config (as ct reads it: config/types/*.go) → NodeSource. Files get ct's
// defaults (filesystem root, mode 0644); etcd: and flannel: become etcd-member.service and
// flanneld.service, enabled, with ct's drop-ins (20-clct-*.conf), as ct writes them.
import type { ClcSection, NodeSource, SourceText, SourceUnit } from './source.js';
import { mergeUnits } from './source.js';
import type { FieldPath, Locator } from './problem.js';
import { Fields } from './shape.js';
import { decodeContents } from './data-url.js';
import type { Contents } from './data-url.js';
import { ETCD_DROPIN, ETCD_UNIT } from '../render/etcd.js';
import { FLANNEL_DROPIN, FLANNEL_UNIT } from '../render/flannel.js';

function texts(f: Fields, v: unknown, path: FieldPath): SourceText[] {
  return f.list(v, path).flatMap((x, i) => {
    const o = f.obj(x, [...path, i]);
    const name = o && f.name(o, [...path, i]);
    if (!o || !name) return [];
    return [{ name, contents: f.str(o.contents, [...path, i, 'contents']), where: f.locate([...path, i]) }];
  });
}

function contentsOf(f: Fields, o: Record<string, unknown> | undefined, path: FieldPath): Contents {
  if (!o) return { known: true, bytes: Buffer.alloc(0) };
  const inline = f.str(o.inline, [...path, 'inline']);
  const remote = f.obj(o.remote, [...path, 'remote']);
  const url = remote && f.str(remote.url, [...path, 'remote', 'url']);
  const local = f.str(o.local, [...path, 'local']);
  if ([inline, url, local].filter((x) => x !== undefined && x !== '').length > 1) f.problem(path, 'only one of inline, remote.url and local can be set (ct refuses more)');
  if (local) return { known: false, why: `read by ct from --files-dir (local: ${local}), which import does not have` };
  if (url) return decodeContents(url, remote && f.str(remote.compression, [...path, 'remote', 'compression']));
  return { known: true, bytes: Buffer.from(inline ?? '', 'utf8') };
}

// An etcd:/flannel: section: scalars as ct passes them (strings, numbers and booleans as text).
function section(f: Fields, value: Record<string, unknown>, key: 'etcd' | 'flannel'): ClcSection | undefined {
  if (!(key in value)) return undefined;
  const raw = value[key];
  // `flannel: ~`: ct writes the unit with its defaults (a null ct reads as no section at all was
  // taken out by detect.ts, see ct-null.ts).
  if (raw === null) return { settings: {}, where: f.locate([key]) };
  const o = f.obj(raw, [key]);
  if (!o) return undefined;
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') settings[k] = String(v);
    else if (v !== null) f.problem([key, k], `expected a single value, found ${Array.isArray(v) ? 'a list' : 'a mapping'}`);
  }
  return { settings, where: f.locate([key]) };
}

function ctUnit(name: string, dropin: string, s: ClcSection): SourceUnit {
  return { name, enabled: true, masked: false, contents: undefined, dropins: [{ name: dropin, contents: undefined, generated: true, where: s.where }], where: s.where };
}

export function readClcSource(file: string, value: Record<string, unknown>, locate: Locator): { source: NodeSource; problems: Fields['problems'] } {
  const f = new Fields(locate);
  const passwd = f.obj(value.passwd, ['passwd']);
  const users = f.list(passwd?.users, ['passwd', 'users']).flatMap((x, i) => {
    const o = f.obj(x, ['passwd', 'users', i]);
    const name = o && f.name(o, ['passwd', 'users', i]);
    return o && name ? [{ name, sshAuthorizedKeys: f.strings(o.ssh_authorized_keys, ['passwd', 'users', i, 'ssh_authorized_keys']), where: locate(['passwd', 'users', i]) }] : [];
  });
  const storage = f.obj(value.storage, ['storage']);
  const files = f.list(storage?.files, ['storage', 'files']).flatMap((x, i) => {
    const at = ['storage', 'files', i];
    const o = f.obj(x, at);
    const path = o && f.name(o, at, 'path');
    if (!o || !path) return [];
    const fs = f.str(o.filesystem, [...at, 'filesystem']);
    if (fs !== undefined && fs !== 'root') return []; // another filesystem: not the node's root, not ours to check
    const contents = contentsOf(f, f.obj(o.contents, [...at, 'contents']), [...at, 'contents']);
    if (!contents.known && contents.undecodable) f.problem([...at, 'contents'], `${path}: ${contents.why}`);
    return [{ path, mode: f.int(o.mode, [...at, 'mode']) ?? 0o644, contents, append: f.bool(o.append, [...at, 'append']) ?? false, where: locate(at) }];
  });
  const networkd = texts(f, f.obj(value.networkd, ['networkd'])?.units, ['networkd', 'units']);
  const configUnits: SourceUnit[] = f.list(f.obj(value.systemd, ['systemd'])?.units, ['systemd', 'units']).flatMap((x, i) => {
    const at = ['systemd', 'units', i];
    const o = f.obj(x, at);
    const name = o && f.name(o, at);
    if (!o || !name) return [];
    const enable = f.bool(o.enable, [...at, 'enable']);
    const enabled = f.bool(o.enabled, [...at, 'enabled']);
    return [{ name, enabled: enabled ?? (enable === true ? true : undefined), masked: f.bool(o.mask, [...at, 'mask']) ?? false, contents: f.str(o.contents, [...at, 'contents']), dropins: texts(f, o.dropins, [...at, 'dropins']), where: locate(at) }];
  });
  const etcd = section(f, value, 'etcd');
  const flannel = section(f, value, 'flannel');
  // ct v0.9.0 lists its own units before systemd.units (its converters run in the order Go
  // initializes config/types: etcd.go, flannel.go, then systemd.go), as separate entries that
  // Ignition applies to one unit; import merges them (test/fixtures/import/ct/README.md).
  const units = [...(etcd ? [ctUnit(ETCD_UNIT, ETCD_DROPIN, etcd)] : []), ...(flannel ? [ctUnit(FLANNEL_UNIT, FLANNEL_DROPIN, flannel)] : []), ...configUnits];
  return { source: { file, format: 'clc', users, files, networkd, units: mergeUnits(units), ...(etcd ? { etcd } : {}), ...(flannel ? { flannel } : {}) }, problems: f.problems };
}
