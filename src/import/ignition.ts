// An Ignition config → NodeSource. 2.x (what ct writes for Container Linux): files have a
// filesystem, units `enable` or `enabled`, networkd.units exist; 3.x (Butane, Flatcar): no
// filesystem, null means unset, .network units are plain files under /etc/systemd/network.
import type { NodeSource, SourceText, SourceUnit } from './source.js';
import { mergeUnits } from './source.js';
import type { FieldPath, Locator } from './problem.js';
import { Fields } from './shape.js';
import { decodeContents } from './data-url.js';
import { linkUnits, readLinks } from './links.js';

function texts(f: Fields, v: unknown, path: FieldPath): SourceText[] {
  return f.list(v, path).flatMap((x, i) => {
    const o = f.obj(x, [...path, i]);
    const name = o && f.name(o, [...path, i]);
    return o && name ? [{ name, contents: f.str(o.contents, [...path, i, 'contents']), where: f.locate([...path, i]) }] : [];
  });
}

export function readIgnitionSource(file: string, format: 'ignition-2' | 'ignition-3', value: Record<string, unknown>, locate: Locator): { source: NodeSource; problems: Fields['problems'] } {
  const f = new Fields(locate);
  const users = f.list(f.obj(value.passwd, ['passwd'])?.users, ['passwd', 'users']).flatMap((x, i) => {
    const o = f.obj(x, ['passwd', 'users', i]);
    const name = o && f.name(o, ['passwd', 'users', i]);
    return o && name ? [{ name, sshAuthorizedKeys: f.strings(o.sshAuthorizedKeys, ['passwd', 'users', i, 'sshAuthorizedKeys']), where: locate(['passwd', 'users', i]) }] : [];
  });
  const storage = f.obj(value.storage, ['storage']);
  const files = f.list(storage?.files, ['storage', 'files']).flatMap((x, i) => {
    const at = ['storage', 'files', i];
    const o = f.obj(x, at);
    const path = o && f.name(o, at, 'path');
    if (!o || !path) return [];
    if (format === 'ignition-2' && f.str(o.filesystem, [...at, 'filesystem']) !== 'root') return []; // not the root filesystem
    const c = f.obj(o.contents, [...at, 'contents']);
    const contents = decodeContents(c && f.str(c.source, [...at, 'contents', 'source']), c && f.str(c.compression, [...at, 'contents', 'compression']));
    if (!contents.known && contents.undecodable) f.problem([...at, 'contents', 'source'], `${path}: ${contents.why}`);
    // 2.x: append is a boolean; 3.x: a list of more contents.
    const append = format === 'ignition-2' ? f.bool(o.append, [...at, 'append']) === true : f.list(o.append, [...at, 'append']).length > 0;
    return [{ path, mode: f.int(o.mode, [...at, 'mode']) ?? 0o644, contents, append, where: locate(at) }];
  });
  const networkd = format === 'ignition-2' ? texts(f, f.obj(value.networkd, ['networkd'])?.units, ['networkd', 'units']) : [];
  const units: SourceUnit[] = f.list(f.obj(value.systemd, ['systemd'])?.units, ['systemd', 'units']).flatMap((x, i) => {
    const at = ['systemd', 'units', i];
    const o = f.obj(x, at);
    const name = o && f.name(o, at);
    if (!o || !name) return [];
    const enabled = f.bool(o.enabled, [...at, 'enabled']) ?? (format === 'ignition-2' && f.bool(o.enable, [...at, 'enable']) === true ? true : undefined);
    return [{ name, enabled, masked: f.bool(o.mask, [...at, 'mask']) ?? false, contents: f.str(o.contents, [...at, 'contents']), dropins: texts(f, o.dropins, [...at, 'dropins']), where: locate(at) }];
  });
  // 3.x links that enable or mask a unit (2.x: ct's CLC has no such use of them).
  if (format === 'ignition-3') units.push(...linkUnits(readLinks(f, storage?.links, ['storage', 'links'])));
  return { source: { file, format, users, files, networkd, units: mergeUnits(units) }, problems: f.problems };
}
