import type { UnitFact } from '../values.js';
import { bad, excerpt, nonEmptyLines, ok } from './common.js';
import type { Parsed } from './common.js';

// `systemctl list-units --type=service --all --no-legend --plain --no-pager`:
//   "flanneld.service      loaded    active   running Network fabric for containers"
//   "● etcd-member.service loaded    failed   failed  etcd (System Application Container)"
//   "kubelet.service       not-found inactive dead    kubelet.service"
// Some systemd versions keep the "●" (or "*" without UTF-8) before a failed unit even with --plain.
const LINE = /^(?:[●*]\s+)?(\S+\.[a-z]+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;

export function parseUnits(body: string): Parsed<UnitFact[]> {
  const out: UnitFact[] = [];
  const lines = nonEmptyLines(body);
  for (const line of lines) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const unit: UnitFact = { unit: m[1] ?? '', load: m[2] ?? '', active: m[3] ?? '', sub: m[4] ?? '' };
    if (m[5]) unit.description = m[5].trim();
    out.push(unit);
  }
  if (out.length === 0 && lines.length > 0) return bad(`no unit found in the output: "${excerpt(lines[0] ?? '')}"`);
  return ok(out);
}

// PID 1's name (/proc/1/comm): "systemd" on Container Linux and Flatcar.
export function parseInit(body: string): string {
  return (body.split('\n')[0] ?? '').trim();
}
