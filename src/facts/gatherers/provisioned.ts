// What became of the files and units a node's Ignition config provisioned: each file's mode, size
// and sha256 computed on the node, and each unit's enablement. Paths and unit names come from the
// configs: they reach the node only as shell-quoted arguments of a constant function, and come
// back identified by index, never echoed. Pure: builds the script part, reads its output.
import type { ProvisionedSpec } from '../../inventory/types.js';
import type { Become } from '../../util/become.js';
import { shellQuote } from '../../util/shell.js';

const MARK = '@@clusterctl-prov';
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
  if (spec.files.length) {
    lines.push(
      `pf(){ i=0; for p; do if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo "${MARK} f $i missing"; elif [ ! -f "$p" ]; then echo "${MARK} f $i not-a-file"; ` +
        `else s=$(stat -L -c '%a %s' -- "$p" 2>&1) || { printf '%s\\n' "${MARK} f $i error $(printf %s "$s" | head -c 200 | tr '\\n' ' ')"; i=$((i+1)); continue; }; ` +
        `if [ "\${s#* }" -gt ${HASH_LIMIT} ]; then h=big; elif ${hash}; then h=\${h%% *}; else h="error $(printf %s "$h" | head -c 200 | tr '\\n' ' ')"; fi; ` +
        `printf '%s\\n' "${MARK} f $i present $s $h"; fi; i=$((i+1)); done; }`,
      `pf ${spec.files.map((f) => shellQuote(f.path)).join(' ')}`,
    );
  }
  if (spec.units.length) {
    lines.push(
      `pu(){ i=0; for u; do s=$(systemctl is-enabled -- "$u" 2>&1); printf '%s\\n' "${MARK} u $i $(printf %s "$s" | head -n 1 | head -c 200)"; i=$((i+1)); done; }`,
      `pu ${spec.units.map((u) => shellQuote(u.name)).join(' ')}`,
    );
  }
  return lines.join('\n');
}

export function parseProvisioned(stdout: string, spec: ProvisionedSpec): ProvisionedFact {
  const files = new Map<number, string>();
  const units = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${MARK} ([fu]) (\\d+) ?(.*)$`).exec(line);
    if (m) (m[1] === 'f' ? files : units).set(Number(m[2]), m[3] ?? '');
  }
  return {
    files: spec.files.map((f, i): FileState => readFile(f.path, files.get(i))),
    units: spec.units.map((u, i) => ({ name: u.name, state: units.get(i) ?? 'not reported (output cut short?)' })),
  };
}

function readFile(path: string, line: string | undefined): FileState {
  if (line === undefined) return { path, state: 'error', error: 'not reported (output cut short?)' };
  if (line === 'missing' || line === 'not-a-file') return { path, state: line };
  const present = /^present (\d+) (\d+) (\S+)(?: (.*))?$/.exec(line);
  if (present) {
    const [, mode = '', size = '', h = ''] = present;
    const base = { path, state: 'present' as const, mode: parseInt(mode, 8), size: Number(size) };
    if (/^[0-9a-f]{64}$/.test(h)) return { ...base, sha256: h };
    if (h === 'big') return { ...base, why: `larger than ${HASH_LIMIT / 1024 / 1024} MiB: not hashed` };
    return { ...base, why: `could not be hashed: ${line.replace(/^present \d+ \d+ /, '').replace(/^error /, '')}` };
  }
  return { path, state: 'error', error: line.replace(/^error /, '') };
}
