import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineCol, readJson } from '../../../src/import/json-locate.js';

describe('readJson', () => {
  test('the offset of every value by its JSON pointer (~ and / escaped)', () => {
    const text = '{\n  "a": [1, {"b/c": true}],\n  "~k": null\n}';
    const r = readJson(text);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.value, { a: [1, { 'b/c': true }], '~k': null });
    assert.deepEqual(lineCol(text, r.at.get('/a/1/b~1c') ?? -1), { line: 2, column: 20 });
    assert.deepEqual(lineCol(text, r.at.get('/~0k') ?? -1), { line: 3, column: 9 });
  });
  test('the exact place of the first syntax error', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a": }', 6, /expected a value/],
      ['{"a": 1,}', 8, /expected a "key"/],
      ['{"a" 1}', 5, /expected ':'/],
      ['[1 2]', 3, /expected ',' or ']'/],
      ['{"a": "x\ny"}', 8, /control character/],
      ['{"a": 1} x', 9, /more text after/],
      ['{"a": "\\q"}', 7, /invalid escape/],
      ['{"a": [1', 8, /found the end of the file/],
    ];
    for (const [text, offset, message] of cases) {
      const r = readJson(text);
      assert.equal(r.ok, false, text);
      if (r.ok) continue;
      assert.equal(r.offset, offset, text);
      assert.match(r.message, message, text);
    }
  });
  test('a number of any length', () => {
    assert.ok(readJson(`[${'9'.repeat(1000)}]`).ok);
  });
  test('accepts exactly what JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        let parsed = true;
        try {
          JSON.parse(text);
        } catch {
          parsed = false;
        }
        assert.equal(readJson(text).ok, parsed, text);
      }),
      { numRuns: 500 },
    );
  });
});
