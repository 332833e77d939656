import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { globalFlags } from '../../../src/etcdctl/client.js';
import { batchScript, parseBatch } from '../../../src/etcdctl/batch.js';
import { parseFacts } from '../../../src/facts/parse/probe-output.js';
import { MARKER } from '../../../src/facts/probe.js';
import { shellQuote } from '../../../src/util/shell.js';

// What a real POSIX sh makes of a command line: the arguments it passes, split on NUL.
function argsSeenBySh(script: string): string[] {
  const out = execFileSync('sh', ['-c', `show() { printf '%s\\0' "$#" "$@"; }\n${script}`], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  const parts = out.split('\0').slice(0, -1);
  assert.equal(Number(parts[0]), parts.length - 1, 'argument count');
  return parts.slice(1);
}
// Strings travel to sh as UTF-8 bytes; compare bytes the same way.
const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

// Everything a shell treats specially, mixed with ordinary text, plus any Unicode (no NUL:
// no argv can hold one).
const nasty = fc.constantFrom("'", '"', '\\', '$', '`', '$(id)', '${HOME}', ';', '&', '|', '>', '<', '*', '?', '[', ']', '~', '#', '!', '{', '}', '(', ')', ' ', '\t', '\n', '\r', '-', '--', '=', '%');
const hostile = fc
  .array(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join('').replace(/\0/g, ''));
const shapes = {
  'node names': hostile,
  hostnames: fc.oneof(fc.domain(), hostile),
  'etcd keys': fc.array(hostile, { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`),
  paths: fc.array(hostile, { maxLength: 4 }).map((p) => `/etc/${p.join('/')}`),
  'unit names': hostile.map((s) => `${s}.service`),
};

describe('hostile input never escapes its quoting (fast-check, real sh)', () => {
  for (const [what, arb] of Object.entries(shapes)) {
    test(`${what}: shellQuote(x) is exactly one argument x`, () => {
      fc.assert(
        fc.property(arb, (x) => {
          assert.deepEqual(argsSeenBySh(`show ${shellQuote(x)}`), [bytes(x)]);
        }),
        { numRuns: 100 },
      );
    });
  }

  test('etcdctl batches: every key, endpoint and TLS path reaches etcdctl as the argument it was', () => {
    fc.assert(
      fc.property(shapes['etcd keys'], shapes.paths, hostile, fc.array(shapes['etcd keys'], { maxLength: 3 }), (key, ca, endpoint, more) => {
        const access = { endpoints: [`http://${endpoint}`], caFile: ca };
        const cmds = [key, ...more].map((k) => ({ api: 'v3' as const, args: ['get', '--', k] }));
        // A shell function stands in for etcdctl and prints the arguments it got.
        const script = `etcdctl() { printf '%s\\n' "$#"; for a in "$@"; do printf '%s' "$a" | od -An -tx1 | tr -d ' \\n'; printf '\\n'; done; }\n${batchScript(access, cmds, 10_000)}`;
        const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
        const { results } = parseBatch(out, cmds.length, false);
        cmds.forEach((c, i) => {
          const lines = (results[i]?.stdout ?? '').trim().split('\n');
          const got = lines.slice(1).map((h) => Buffer.from(h, 'hex').toString('utf8'));
          assert.equal(Number(lines[0]), got.length);
          assert.deepEqual(got.slice(0, 2), [`--endpoints=http://${endpoint}`, `--cacert=${ca}`]);
          assert.deepEqual(got.slice(-3), c.args);
          assert.equal(got.length, globalFlags(access, 'v3', 10_000).length + c.args.length);
        });
      }),
      { numRuns: 30 },
    );
  });

});

describe('hostile output never crashes the parsers', () => {
  test('random bytes decoded as UTF-8 (with replacement characters) parse to facts or problems, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (raw) => {
        const text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
        const facts = parseFacts(text);
        assert.equal(typeof facts, 'object');
      }),
      { numRuns: 300 },
    );
  });

  test('probe-shaped output with garbage inside each section parses without throwing', () => {
    const section = fc.tuple(fc.constantFrom('hostname', 'hostname.file', 'addresses', 'routes', 'resolv', 'flannel.env', 'links', 'init', 'units'), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('json', 'text'), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(section, { maxLength: 8 }), (sections) => {
        const out = sections.map(([n, body, fmt, rc]) => `${MARKER}begin ${n}\n${body}\n${MARKER}end ${n} rc=${rc} fmt=${fmt}\n`).join('');
        const facts = parseFacts(`${out}${MARKER}done\n`);
        assert.equal(typeof facts, 'object');
      }),
      { numRuns: 300 },
    );
  });
});
