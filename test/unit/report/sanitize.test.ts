import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { jsonSafe, sanitize, unsanitize } from '../../../src/report/sanitize.js';
import { forbiddenIn, hostileText } from '../../helpers/hostile-text.js';

describe('sanitize', () => {
  test('the issue\'s hostname: every escape and the bell are shown, none is emitted', () => {
    assert.equal(sanitize('evil\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED'), 'evil\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED');
  });

  test('a forged PASS line cannot return to the start of the line', () => {
    assert.equal(sanitize('lab-node-2\rPASS  lab-node-2 hostname.file: ok'), 'lab-node-2\\rPASS  lab-node-2 hostname.file: ok');
    assert.equal(sanitize('x\nPASS  y'), 'x\\nPASS  y');
  });

  test('C1, DEL, tab, bidi controls and lone surrogates are escaped; astral characters are not', () => {
    assert.equal(sanitize('\x9b2J\x85\x7f\tz'), '\\x9b2J\\x85\\x7f\\tz');
    assert.equal(sanitize('abc\u202edef\u2066\u2069\u200f'), 'abc\\u202edef\\u2066\\u2069\\u200f');
    assert.equal(sanitize('a\ud800b\udc00'), 'a\\ud800b\\udc00');
    assert.equal(sanitize('lab-node-1 ✔ 😀 日本'), 'lab-node-1 ✔ 😀 日本');
  });

  test('a literal backslash is doubled only where it could read as an escape', () => {
    assert.equal(sanitize('a\\x1b'), 'a\\\\x1b');
    assert.equal(sanitize('a\\\x1b'), 'a\\\\\\x1b');
    // Shell quoting in a printed command line stays as it was (copy-pasteable).
    assert.equal(sanitize("etcdctl rm -- '/a'\\''b'"), "etcdctl rm -- '/a'\\''b'");
    assert.equal(sanitize('C:\\dir'), 'C:\\dir');
  });

  test('keepNewlines: a block keeps its lines, nothing else', () => {
    assert.equal(sanitize('{\n  "Network": "x\r"\n}', { keepNewlines: true }), '{\n  "Network": "x\\r"\n}');
  });

  test('property: nothing a terminal acts on survives, and the escapes decode to the exact input', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const shown = sanitize(s);
        assert.equal(forbiddenIn(shown, /(?!)/), null, JSON.stringify(shown));
        assert.ok(!shown.includes('\n'));
        assert.equal(unsanitize(shown), s);
        const block = sanitize(s, { keepNewlines: true });
        assert.equal(forbiddenIn(block, /(?!)/), null);
        assert.equal(unsanitize(block), s);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: jsonSafe JSON parses back to the exact string and shows no control character', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const json = jsonSafe(JSON.stringify({ s }, null, 2));
        assert.equal(forbiddenIn(json, /(?!)/), null, json);
        assert.equal((JSON.parse(json) as { s: string }).s, s);
      }),
      { numRuns: 1000 },
    );
  });

  test('property: text without controls or backslashes is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        fc.pre(!/[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s));
        assert.equal(sanitize(s), s);
      }),
      { numRuns: 500 },
    );
  });
});
