// Hostile strings for quoting tests (fast-check), and what a real sh makes of a command line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';

// What a real POSIX sh makes of a command line: the arguments it passes, split on NUL.
export function argsSeenBySh(script: string): string[] {
  const out = execFileSync('sh', ['-c', `show() { printf '%s\\0' "$#" "$@"; }\n${script}`], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  const parts = out.split('\0').slice(0, -1);
  assert.equal(Number(parts[0]), parts.length - 1, 'argument count');
  return parts.slice(1);
}
// Strings travel to sh as UTF-8 bytes; compare bytes the same way.
export const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

// Everything a shell treats specially, mixed with ordinary text, plus any Unicode (no NUL:
// no argv can hold one).
const nasty = fc.constantFrom("'", '"', '\\', '$', '`', '$(id)', '${HOME}', ';', '&', '|', '>', '<', '*', '?', '[', ']', '~', '#', '!', '{', '}', '(', ')', ' ', '\t', '\n', '\r', '-', '--', '=', '%');
export const hostile = fc
  .array(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join('').replace(/\0/g, ''));
export const shapes = {
  'node names': hostile,
  hostnames: fc.oneof(fc.domain(), hostile),
  'etcd keys': fc.array(hostile, { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`),
  paths: fc.array(hostile, { maxLength: 4 }).map((p) => `/etc/${p.join('/')}`),
  'unit names': hostile.map((s) => `${s}.service`),
};
