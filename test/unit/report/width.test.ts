import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellWidth, fitLine, lineWidth } from '../../../src/report/width.js';

describe('a live line in the cells it takes', () => {
  test('colours take no cells; wide characters two; combining marks none', () => {
    assert.equal(lineWidth('\x1b[32m✔\x1b[39m node-1'), 8);
    assert.equal(lineWidth('节点-1'), 6);
    assert.equal(cellWidth('🚀'), 2);
    assert.equal(lineWidth('e\u0301'), 1);
  });

  test('a line that fits is kept as it is', () => {
    assert.equal(fitLine('\x1b[1mnode-1\x1b[22m (198.18.1.11)', 20), '\x1b[1mnode-1\x1b[22m (198.18.1.11)');
  });

  test('a line too wide is cut with "…", its colours reset; a wide character is not split', () => {
    assert.equal(fitLine('\x1b[2mabcdefghij\x1b[22m', 6), '\x1b[2mabcde…\x1b[0m');
    assert.equal(fitLine('ab节点节点', 6), 'ab节…');
    assert.equal(fitLine('abcdefghij', 6), 'abcde…');
  });
});
