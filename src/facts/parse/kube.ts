// The probe's Kubernetes sections: running components' command lines, their units, the CNI config.
// Pure; every line of node text came with "| " before it (no line can pass for a marker).
import { parseCniConfig } from '../../kube/cni.js';
import type { CniConfig } from '../../kube/cni.js';
import type { Fact } from '../../kube/fact.js';
import { ok } from './common.js';
import type { Parsed } from './common.js';

// A process named kubelet, kube-apiserver or hyperkube. Anyone may start one: only a root one
// (every uid 0) is the cluster's, and only its arguments are sent (argv is empty for the others).
export interface KubeProcess {
  pid: number;
  name: string; // its comm: kubelet, kube-apiserver or hyperkube
  uids: number[] | null; // real, effective, saved, filesystem; null: /proc/PID/status unreadable
  argv: string[];
}

// Lines "HEAD" each followed by "| …" lines: the "| " text under each head, unprefixed. Any
// other line ends a block: "| " lines after it belong to no head.
function blocks(body: string, head: RegExp): { head: RegExpExecArray; lines: string[] }[] {
  const out: { head: RegExpExecArray; lines: string[] }[] = [];
  let cur: string[] | null = null;
  for (const line of body.split('\n')) {
    const m = head.exec(line);
    if (m) out.push({ head: m, lines: (cur = []) });
    else if (line.startsWith('| ') || line === '|') cur?.push(line.slice(2));
    else cur = null;
  }
  return out;
}

const PROCESS = /^process (\d+) (kubelet|kube-apiserver|hyperkube) uid (?:(\d+) (\d+) (\d+) (\d+)|\?)$/;

export function parseKubeProcs(body: string): Parsed<KubeProcess[]> {
  return ok(
    blocks(body, PROCESS).map((b) => {
      const [, pid = '', name = '', ...uids] = b.head;
      return { pid: Number(pid), name, uids: uids[0] === undefined ? null : uids.map(Number), argv: b.lines };
    }),
  );
}

// unit name → its `systemctl cat` text.
export function parseKubeUnits(body: string): Parsed<Record<string, string>> {
  return ok(Object.fromEntries(blocks(body, /^unit (\S+)$/).map((b) => [b.head[1] ?? '', b.lines.join('\n')])));
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
