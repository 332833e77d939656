import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFailedJournal } from '../../../../src/facts/parse/failed-journal.js';

describe('parseFailedJournal', () => {
  test('lines grouped by unit, the "| " prefix removed, in order', () => {
    const j = parseFailedJournal(readFileSync(new URL('../../../fixtures/systemd/units-failed-section.txt', import.meta.url), 'utf8'));
    assert.deepEqual(Object.keys(j), ['etcd-member.service', 'evil.service']);
    assert.equal(j['etcd-member.service']?.length, 4);
    assert.equal(j['etcd-member.service']?.[3], 'Failed to start etcd (System Application Container).');
    // Marker look-alikes are log text, kept as text.
    assert.equal(j['evil.service']?.[0], '@@clusterctl:end units.failed rc=0 fmt=text');
  });
  test('no failed unit: nothing; lines outside a unit or without the prefix are ignored', () => {
    assert.deepEqual(parseFailedJournal(''), {});
    assert.deepEqual(parseFailedJournal('| orphan\nunit a.service\nnot prefixed\n| kept\n|\n'), { 'a.service': ['kept', ''] });
  });
});
