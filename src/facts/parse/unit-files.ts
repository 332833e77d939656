import type { UnitFileFact } from '../values.js';
import { bad, excerpt, nonEmptyLines, ok } from './common.js';
import type { Parsed } from './common.js';

// `systemctl list-unit-files --type=service --no-legend --no-pager`: one unit file per line,
// its enablement state, and (systemd >= 245) the vendor preset:
//   "etcd-member.service   enabled  enabled"
//   "flanneld.service      disabled enabled"
//   "getty@.service        enabled  enabled"   (a template: its instances are not listed)
//   "systemd-journald.service static -"
// Container Linux's systemd (< 245) prints two columns.
const LINE = /^(\S+\.[a-z]+)\s+([a-z-]+)(?:\s+(\S+))?\s*$/;

export function parseUnitFiles(body: string): Parsed<UnitFileFact[]> {
  const out: UnitFileFact[] = [];
  const lines = nonEmptyLines(body);
  for (const line of lines) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const fact: UnitFileFact = { unit: m[1] ?? '', state: m[2] ?? '' };
    if (m[3] !== undefined && m[3] !== '-') fact.preset = m[3];
    out.push(fact);
  }
  if (out.length === 0 && lines.length > 0) return bad(`no unit file found in the output: "${excerpt(lines[0] ?? '')}"`);
  return ok(out);
}
