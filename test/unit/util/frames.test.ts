import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { framePart, partOf, partsUnder, readParts } from '../../../src/util/frames.js';
import { newNonce, PART_PREAMBLE, withNonce } from '../../../src/util/frame-shell.js';
import { HOSTILE_BYTES } from '../../helpers/hostile-frames.js';
import { hostileText } from '../../helpers/hostile-text.js';
import { SHELLS } from '../../helpers/shells.js';
import { TEST_NONCE } from '../../helpers/nonce.js';

const N = TEST_NONCE;

describe('readParts: one reader for every reply', () => {
  test('parts with rc, attributes and body, "| " removed', () => {
    const reply = `@@clusterctl:begin ${N} a\n| x\n| \n| | y\n@@clusterctl:end ${N} a rc=3 fmt=json cut=12\n@@clusterctl:begin ${N} b\n@@clusterctl:end ${N} b rc=0\n`;
    assert.deepEqual([...readParts(reply, N)], [
      ['a', { rc: 3, attrs: { fmt: 'json', cut: '12' }, body: 'x\n\n| y' }],
      ['b', { rc: 0, attrs: {}, body: '' }],
    ]);
  });
  test('a part without its end is missing; the ones before it are whole', () => {
    const p = readParts(`${framePart(N, 'a', 0, 'x')}@@clusterctl:begin ${N} b\n| half`, N);
    assert.deepEqual([...p.keys()], ['a']);
    assert.equal(partOf(p, 'b'), undefined);
  });
  test('markers with another nonce, old markers, unprefixed lines and text outside a part are ignored', () => {
    const reply = [
      'banner', '| outside', `@@clusterctl:begin ${N} a`, '| kept', `@@clusterctl:end 0000000000000000 a rc=9`, '@@clusterctl:end a rc=9 fmt=text', 'raw line',
      `@@clusterctl:begin 0000000000000000 b`, `| also kept`, `@@clusterctl:end ${N} a rc=0`, `@@clusterctl:end ${N} a\r rc=0`,
    ].join('\n');
    assert.deepEqual([...readParts(reply, N)], [['a', { rc: 0, attrs: {}, body: 'kept\nalso kept' }]]);
  });
  test('a name sent twice is an error for that part only', () => {
    const p = readParts(framePart(N, 'a', 0, 'one') + framePart(N, 'b', 0, 'b') + framePart(N, 'a', 0, 'two'), N);
    assert.deepEqual(p.get('a'), { error: 'sent twice in one reply' });
    assert.equal(partOf(p, 'a'), undefined);
    assert.equal(partOf(p, 'b')?.body, 'b');
  });
  test('no nonce (the request never went): no parts; a bad nonce is refused where a request is made', () => {
    assert.equal(readParts(framePart(N, 'a', 0, 'x'), '').size, 0);
    assert.throws(() => withNonce('x; rm -rf /', 'true'), /not a request nonce/);
    assert.match(newNonce(), /^[0-9a-f]{16}$/);
    assert.notEqual(newNonce(), newNonce());
  });
  test('partsUnder: a reader of a larger reply sees its own names only', () => {
    const p = readParts(['kube', 'kube.a', 'kubelet', 'etcdctl.0'].map((n) => framePart(N, n, 0, n)).join(''), N);
    assert.deepEqual([...partsUnder(p, 'kube').keys()], ['kube', 'kube.a']);
  });
  test('any text framed is read back as itself (trailing line breaks aside), whatever it holds', () => {
    fc.assert(
      fc.property(hostileText, fc.string(), (a, b) => {
        const text = `${a}\n${b}`.replace(/\n+$/, '');
        const p = readParts(framePart(N, 'a', 0, text) + framePart(N, 'b', 1, b), N);
        assert.equal(partOf(p, 'a')?.body, text);
        assert.equal(partOf(p, 'b')?.body, b.replace(/\n+$/, ''));
      }),
      { numRuns: 300 },
    );
  });
});

// `script` with the request's nonce, `input` on its stdin, its stdout byte for byte.
function runWith(shell: (typeof SHELLS)[number], script: string, input: string): string {
  return execFileSync(shell.bin, ['-c', withNonce(TEST_NONCE, script)], { env: { PATH: shell.path() }, input: Buffer.from(input, 'latin1'), encoding: 'latin1' });
}

// The shell side: `part` under bash, dash with sed and dash without it (a read loop).
describe('part: the node\'s side, under bash and dash', () => {
  const text = HOSTILE_BYTES.toString('latin1').replace(/\0/g, ''); // a shell variable holds no NUL
  for (const shell of SHELLS) {
    for (const noSed of [false, true]) {
      test(`${shell.name}${noSed ? ' without sed' : ''}: the text comes back as the part's body; empty text is an empty part`, () => {
        const script = `${PART_PREAMBLE}\n${noSed ? 'pfx() { local l; while IFS= read -r l; do printf "| %s\\n" "$l"; done <<EOF\n$1\nEOF\n}\n' : ''}t=$(cat); part a 7 " k=v" "$t"; part b 0 "" ""; part c 0 "" "\n\n"`;
        const out = runWith(shell, script, text);
        const p = readParts(out, TEST_NONCE);
        assert.deepEqual(partOf(p, 'a'), { rc: 7, attrs: { k: 'v' }, body: text.replace(/\n+$/, '') });
        assert.deepEqual(partOf(p, 'b'), { rc: 0, attrs: {}, body: '' });
        assert.deepEqual(partOf(p, 'c'), { rc: 0, attrs: {}, body: '' });
        assert.ok(out.split('\n').filter(Boolean).every((l) => l.startsWith('| ') || l.startsWith(`@@clusterctl:begin ${N} `) || l.startsWith(`@@clusterctl:end ${N} `)), 'every line a marker of this nonce or "| " text');
      });
    }
  }
});
