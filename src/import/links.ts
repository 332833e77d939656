// Ignition 3.x / Butane storage.links: the ones that say a unit's state, as systemd reads the
// links under /etc/systemd/system — one in a *.wants/ or *.requires/ directory enables the unit
// it names, one from a unit's own path to /dev/null masks it (what `systemctl enable` and
// `systemctl mask` write). Other links are not read. Pure.
import type { FieldPath } from './problem.js';
import type { Fields } from './shape.js';
import type { SourceUnit } from './source.js';
import type { Where } from './problem.js';
import { UNIT_DIR } from './unit-text.js';

export interface SourceLink {
  path: string;
  target: string;
  hard: boolean;
  where: Where;
}

export function readLinks(f: Fields, links: unknown, path: FieldPath): SourceLink[] {
  return f.list(links, path).flatMap((x, i) => {
    const at = [...path, i];
    const o = f.obj(x, at);
    const p = o && f.name(o, at, 'path');
    const target = o && f.name(o, at, 'target');
    const hard = o && f.bool(o.hard, [...at, 'hard']);
    return p && target ? [{ path: p, target, hard: hard === true, where: f.locate(at) }] : [];
  });
}

const UNIT = /^[^/]+\.(service|socket|timer|path|target|mount|automount|swap|slice|scope|device)$/;

export function linkUnits(links: readonly SourceLink[]): SourceUnit[] {
  return links.flatMap((l): SourceUnit[] => {
    if (l.hard || !l.path.startsWith(`${UNIT_DIR}/`)) return [];
    const rest = l.path.slice(UNIT_DIR.length + 1).split('/');
    const unit = { contents: undefined, dropins: [], where: l.where };
    if (rest.length === 2 && /\.(wants|requires)$/.test(rest[0] ?? '') && UNIT.test(rest[1] ?? '')) return [{ ...unit, name: rest[1] as string, enabled: true, masked: false }];
    if (rest.length === 1 && UNIT.test(rest[0] ?? '') && l.target === '/dev/null') return [{ ...unit, name: rest[0] as string, enabled: undefined, masked: true }];
    return [];
  });
}
