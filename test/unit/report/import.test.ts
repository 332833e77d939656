import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importRefusal, importWarnings, importWritten } from '../../../src/report/import.js';
import { importConfigs } from '../../../src/import/import.js';

// Config files are the user's, but a downloaded config can carry terminal controls like any text.
describe("import's messages on a terminal", () => {
  test('a hostname, a file name and a warning with terminal controls are shown escaped, never emitted', () => {
    const evil = '\x1b]0;pwned\x07\x1b[2J';
    const r = importConfigs([{ path: `n${evil}.ign`, text: JSON.stringify({ ignition: { version: '3.3.0' }, storage: { files: [{ path: '/etc/hostname', contents: { source: `data:,${encodeURIComponent(`a ${evil}`)}` } }] } }) }]);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const out = importRefusal(r.problems) + importWarnings([`flannel: ${evil}`]) + importWritten(`out${evil}.yaml`, 1, 1);
    assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(out, /\\x1b\]0;pwned\\x07/);
    assert.match(out, /^import: nothing written\n/);
  });
});
