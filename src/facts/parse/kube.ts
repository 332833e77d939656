// The probe's Kubernetes sections: running components' command lines, their units, the CNI config.
// Pure; every line of node text came with "| " before it (no line can pass for a marker).
import { parseCniConfig } from '../../kube/cni.js';
import type { CniConfig } from '../../kube/cni.js';
import type { Fact } from '../../kube/fact.js';
import { ok } from './common.js';
import type { Parsed } from './common.js';

export interface KubeProcess {
  pid: number;
  argv: string[];
}

// Lines "HEAD" each followed by "| …" lines: the "| " text under each head, unprefixed.
function blocks(body: string, head: RegExp): { key: string; lines: string[] }[] {
  const out: { key: string; lines: string[] }[] = [];
  for (const line of body.split('\n')) {
    const m = head.exec(line);
    if (m) out.push({ key: m[1] ?? '', lines: [] });
    else if (line.startsWith('| ') || line === '|') out.at(-1)?.lines.push(line.slice(2));
  }
  return out;
}

export function parseKubeProcs(body: string): Parsed<KubeProcess[]> {
  return ok(blocks(body, /^process (\d+)$/).map((b) => ({ pid: Number(b.key), argv: b.lines })));
}

// unit name → its `systemctl cat` text.
export function parseKubeUnits(body: string): Parsed<Record<string, string>> {
  return ok(Object.fromEntries(blocks(body, /^unit (\S+)$/).map((b) => [b.key, b.lines.join('\n')])));
}

// "file NAME" lines, then "text" and the first config's text.
export function parseCniSection(body: string): Fact<CniConfig> {
  const files: string[] = [];
  let text: string[] | null = null;
  for (const line of body.split('\n')) {
    const f = /^file (.+)$/.exec(line);
    if (f && text === null) files.push(f[1] ?? '');
    else if (line === 'text') text = [];
    else if (text && (line.startsWith('| ') || line === '|')) text.push(line.slice(2));
  }
  return parseCniConfig(files.join('\n'), text === null ? null : text.join('\n'));
}
