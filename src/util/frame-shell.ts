// The node's side of the one framing (util/frames.ts reads it): `part NAME RC ATTRS TEXT` prints
// TEXT as one part, "| " before each line, between the request's begin and end markers. Every
// script sent to a node starts with these lines (the probe's preamble, each batch, smoke's API
// detection); in the probe's session they are defined again, identically, for each script.
// The nonce is the shell variable clusterctl_nonce: set by the client's first line of a one-shot
// script (withNonce) or by the session for each request, never exported and never an argument of
// anything the script runs.
import { randomBytes } from 'node:crypto';
import { PART_SH } from '../generated/shell.js';

// 16 hex digits, made for one request: the node cannot know it before the request arrives.
export const newNonce = (): string => randomBytes(8).toString('hex');

// A one-shot script with its request's nonce: a constant first line, then the script.
export function withNonce(nonce: string, script: string): string {
  if (!/^[0-9a-f]{16}$/.test(nonce)) throw new Error(`not a request nonce: ${JSON.stringify(nonce)}`);
  return `clusterctl_nonce=${nonce}\n${script}`;
}

// The functions are util/sh/part.sh (embedded as src/generated/shell.ts PART_SH). bash: one
// printf for the text (a pattern substitution, no process); POSIX sh: one sed a part, or a read
// loop where there is no sed (no process, a read(2) a byte). TEXT's trailing line breaks are
// dropped; empty TEXT prints no line.
export const PART_PREAMBLE: string = PART_SH;
