import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyBlockScalars } from '../../../src/import/indent.js';

describe('emptyBlockScalars', () => {
  test("the setup guide's networkd snippet: the lines sit at the indentation of contents:", () => {
    const text = 'networkd:\n  units:\n    - name: 10-static.network\n      contents: |\n      [Match]\n      Name=eth0\n\n      [Network]\n      Address=192.168.1.10/24\n';
    assert.deepEqual(emptyBlockScalars(text), [{ key: 'contents', line: 4, column: 7, firstLine: 5, endLine: 9 }]);
  });
  test('properly indented, or an intentionally empty block followed by the next key: nothing', () => {
    assert.deepEqual(emptyBlockScalars('a:\n  contents: |\n    [Match]\n    Name=eth0\n'), []);
    assert.deepEqual(emptyBlockScalars('units:\n  - name: x\n    contents: |\n  - name: y\n    contents: ""\n'), []);
    assert.deepEqual(emptyBlockScalars('a:\n  inline: >-\n  b: 1\n'), []);
  });
});
