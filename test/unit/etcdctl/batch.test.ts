import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PART_PREAMBLE, withNonce } from '../../../src/util/frame-shell.js';
import { readParts } from '../../../src/util/frames.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { batchScript, etcdctlBatch, failed, parseBatch, ran0 } from '../../../src/etcdctl/batch.js';
import { globalFlags } from '../../../src/etcdctl/client.js';
import type { Transport } from '../../../src/transport/types.js';
import { localSh } from '../../helpers/local-sh.js';
import { hostile, shapes } from '../../helpers/hostile.js';

describe('remote scripts under a real sh', () => {
  test('batch: stdout, stderr and exit code of each command come back apart, in one exec', async () => {
    const script = `#!/bin/sh
for a; do last=$a; done
echo "out of $last"; echo "err of $last" >&2
case $last in fail) exit 5;; esac
`;
    let execs = 0;
    const t = localSh(script);
    const counted: Transport = { ...t, exec: (c, o) => (execs++, t.exec(c, o)) };
    const r = await etcdctlBatch(counted, { endpoints: ['http://x'] }, [{ api: 'v3', args: ['one'] }, { api: 'v2', args: ['fail'] }, { api: 'v3', args: ['three'] }], 9000);
    assert.equal(execs, 1);
    assert.deepEqual(r.results.map((x) => [x.stdout, x.stderr, x.code]), [
      ['out of one\n', 'err of one\n', 0],
      ['out of fail\n', 'err of fail\n', 5],
      ['out of three\n', 'err of three\n', 0],
    ]);
    // `when`: a command runs only if its condition over the earlier exit codes holds; else it is skipped
    const gated = await etcdctlBatch(t, { endpoints: ['http://x'] }, [{ api: 'v3', args: ['fail'] }, { api: 'v3', args: ['never'], when: ran0(0) }, { api: 'v3', args: ['after'], when: failed(0) }], 9000);
    assert.deepEqual(gated.results.map((x) => [x.code, x.skipped ?? false, x.stdout]), [[5, false, 'out of fail\n'], [null, true, ''], [0, false, 'out of after\n']]);
    assert.match(batchScript({ endpoints: ['http://x'] }, [{ api: 'v3', args: ['a'] }], 4000), /^if command -v etcdctl/);
    // Empty output and empty errors are empty, not a line break.
    const quiet = await etcdctlBatch(localSh('#!/bin/sh\nexit 0\n'), { endpoints: ['http://x'] }, [{ api: 'v3', args: ['a'] }], 9000);
    assert.deepEqual(quiet.results.map((x) => [x.stdout, x.stderr, x.code]), [['', '', 0]]);
  });
});

describe('hostile input never escapes its quoting (fast-check, real sh)', () => {
  test('etcdctl batches: every key, endpoint and TLS path reaches etcdctl as the argument it was', () => {
    fc.assert(
      fc.property(shapes['etcd keys'], shapes.paths, hostile, fc.array(shapes['etcd keys'], { maxLength: 3 }), (key, ca, endpoint, more) => {
        const access = { endpoints: [`http://${endpoint}`], caFile: ca };
        const cmds = [key, ...more].map((k) => ({ api: 'v3' as const, args: ['get', '--', k] }));
        // A shell function stands in for etcdctl and prints the arguments it got.
        const script = `etcdctl() { printf '%s\\n' "$#"; for a in "$@"; do printf '%s' "$a" | od -An -tx1 | tr -d ' \\n'; printf '\\n'; done; }\n${PART_PREAMBLE}\n${batchScript(access, cmds, 10_000)}`;
        const out = execFileSync('sh', ['-c', withNonce(TEST_NONCE, script)], { encoding: 'utf8' });
        const { results } = parseBatch(readParts(out, TEST_NONCE), cmds.length, false);
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
