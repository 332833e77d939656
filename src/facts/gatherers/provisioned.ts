// What became of the files and units a node's Ignition config provisioned: each file's mode, size
// and sha256 computed on the node, and each unit's enablement. Paths and unit names come from the
// configs: they reach the node only as shell-quoted arguments of a constant function, and come
// back identified by index, never echoed: part `prov.f.N` a file, `prov.u.N` a unit (util/frames.ts).
// Pure: builds the script part, reads its parts.
import type { Provisioned as ProvisionedSpec } from '../../inventory/provisioned.js';
import type { Become } from '../../util/become.js';
import { partOf } from '../../util/frames.js';
import type { Parts } from '../../util/frames.js';
import { shellQuote } from '../../util/shell.js';

// Larger files are not hashed: Ignition writes configs, keys and units, not images.
export const HASH_LIMIT = 16 * 1024 * 1024;

export type FileState =
  | { path: string; state: 'missing' }
  | { path: string; state: 'not-a-file' }
  | { path: string; state: 'present'; mode: number; size: number; sha256?: string; why?: string } // why: not hashed
  | { path: string; state: 'error'; error: string };

export interface UnitState {
  name: string;
  state: string; // what `systemctl is-enabled` says: enabled, disabled, masked, static, … or its error
}

export interface ProvisionedFact {
  files: FileState[];
  units: UnitState[];
}

// become: sudo reads a file the SSH user may not (Ignition writes 0600 root files) with `sudo -n`.
export function provisionedScript(spec: ProvisionedSpec, become: Become): string {
  // stdin, not a file argument: sha256sum escapes names with a newline or backslash in its output.
  const own = 'h=$( { sha256sum < "$p"; } 2>&1)';
  const hash = become === 'sudo' ? `{ if [ -r "$p" ]; then ${own}; else h=$(sudo -n -- sha256sum -- "$p" 2>&1) && h=\${h#\\\\}; fi; }` : own;
  const lines: string[] = [];
  // A file's part: "missing", "not-a-file", "present MODE SIZE HASH|big|error TEXT" or "error TEXT".
  if (spec.files.length) {
    lines.push(
      `pf(){ i=0; for p; do if [ ! -e "$p" ] && [ ! -L "$p" ]; then s=missing; elif [ ! -f "$p" ]; then s=not-a-file; ` +
        `elif s=$(stat -L -c '%a %s' -- "$p" 2>&1); then ` +
        `if [ "\${s#* }" -gt ${HASH_LIMIT} ]; then h=big; elif ${hash}; then h=\${h%% *}; else h="error $h"; fi; s="present $s $h"; ` +
        `else s="error $s"; fi; part prov.f.$i 0 "" "$s"; i=$((i+1)); done; }`,
      `pf ${spec.files.map((f) => shellQuote(f.path)).join(' ')}`,
    );
  }
  // A unit's part: what `systemctl is-enabled` says.
  if (spec.units.length) {
    lines.push(
      `pu(){ i=0; for u; do s=$(systemctl is-enabled -- "$u" 2>&1); part prov.u.$i $? "" "$s"; i=$((i+1)); done; }`,
      `pu ${spec.units.map((u) => shellQuote(u.name)).join(' ')}`,
    );
  }
  return lines.join('\n');
}

// A node's text in a one-line report: its line breaks as spaces, 200 characters at most.
const oneLine = (text: string): string => text.replace(/\n/g, ' ').slice(0, 200);

export function parseProvisioned(parts: Parts, spec: ProvisionedSpec): ProvisionedFact {
  return {
    files: spec.files.map((f, i): FileState => readFile(f.path, partOf(parts, `prov.f.${i}`)?.body)),
    units: spec.units.map((u, i) => {
      const p = partOf(parts, `prov.u.${i}`);
      return { name: u.name, state: p ? (p.body.split('\n')[0] ?? '').slice(0, 200) : 'not reported (output cut short?)' };
    }),
  };
}

function readFile(path: string, line: string | undefined): FileState {
  if (line === undefined) return { path, state: 'error', error: 'not reported (output cut short?)' };
  if (line === 'missing' || line === 'not-a-file') return { path, state: line };
  const present = /^present (\d+) (\d+) (\S+)(?: ([^]*))?$/.exec(line);
  if (present) {
    const [, mode = '', size = '', h = ''] = present;
    const base = { path, state: 'present' as const, mode: parseInt(mode, 8), size: Number(size) };
    if (/^[0-9a-f]{64}$/.test(h)) return { ...base, sha256: h };
    if (h === 'big') return { ...base, why: `larger than ${HASH_LIMIT / 1024 / 1024} MiB: not hashed` };
    return { ...base, why: `could not be hashed: ${oneLine(line.replace(/^present \d+ \d+ /, '').replace(/^error /, ''))}` };
  }
  return { path, state: 'error', error: oneLine(line.replace(/^error /, '')) };
}
