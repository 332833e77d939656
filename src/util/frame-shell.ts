// The node's side of the one framing (util/frames.ts reads it): `part NAME RC ATTRS TEXT` prints
// TEXT as one part, "| " before each line, between the request's begin and end markers. Every
// script sent to a node starts with these lines (the probe's preamble, each batch, smoke's API
// detection); in the probe's session they are defined again, identically, for each script.
// The nonce is the shell variable clusterctl_nonce: set by the client's first line of a one-shot
// script (withNonce) or by the session for each request, never exported and never an argument of
// anything the script runs.
import { randomBytes } from 'node:crypto';
import { MARKER } from './frames.js';

// 16 hex digits, made for one request: the node cannot know it before the request arrives.
export const newNonce = (): string => randomBytes(8).toString('hex');

// A one-shot script with its request's nonce: a constant first line, then the script.
export function withNonce(nonce: string, script: string): string {
  if (!/^[0-9a-f]{16}$/.test(nonce)) throw new Error(`not a request nonce: ${JSON.stringify(nonce)}`);
  return `clusterctl_nonce=${nonce}\n${script}`;
}

// bash: one printf for the text (a pattern substitution, no process); POSIX sh: one sed a part,
// or a read loop where there is no sed (no process, a read(2) a byte). TEXT's trailing line breaks
// are dropped; empty TEXT prints no line.
export const PART_FUNCTIONS: readonly string[] = [
  'NL="',
  '"',
  // TEXT with "| " before each line.
  'if [ -n "${BASH_VERSION-}" ]; then',
  `  pfx() { printf '| %s\\n' "\${1//"$NL"/"$NL| "}"; }`,
  'elif command -v sed >/dev/null 2>&1; then',
  `  pfx() { printf '%s\\n' "$1" | sed 's/^/| /'; }`,
  'else',
  `  pfx() { local l; while IFS= read -r l; do printf '| %s\\n' "$l"; done <<EOF`,
  '$1',
  'EOF',
  '  }',
  'fi',
  `part() { local t=\${4%"\${4##*[!$NL]}"}; printf '%s\\n' "${MARKER}begin $clusterctl_nonce $1"; [ -z "$t" ] || pfx "$t"; printf '%s\\n' "${MARKER}end $clusterctl_nonce $1 rc=$2$3"; }`,
];

export const PART_PREAMBLE: string = PART_FUNCTIONS.join('\n');
