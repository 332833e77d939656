import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseUnitFiles } from '../../../../src/facts/parse/unit-files.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/systemd/${name}`, import.meta.url), 'utf8');

describe('parseUnitFiles', () => {
  test('systemd 252, captured here: unit, state and vendor preset ("-": none)', () => {
    const p = parseUnitFiles(fixture('list-unit-files-debian12.txt'));
    assert.ok(p.ok);
    assert.equal(p.value.length, fixture('list-unit-files-debian12.txt').trim().split('\n').length);
    assert.deepEqual(p.value.find((u) => u.unit === 'console-getty.service'), { unit: 'console-getty.service', state: 'disabled', preset: 'disabled' });
    assert.deepEqual(p.value.find((u) => u.unit === 'apt-daily.service'), { unit: 'apt-daily.service', state: 'static' });
    assert.ok(p.value.some((u) => u.unit === 'container-getty@.service'), 'templates are listed');
  });
  test('Flatcar layout: enabled-runtime and masked states', () => {
    const p = parseUnitFiles(fixture('list-unit-files-flatcar.txt'));
    assert.ok(p.ok);
    assert.deepEqual(p.value.find((u) => u.unit === 'flanneld.service'), { unit: 'flanneld.service', state: 'enabled-runtime', preset: 'disabled' });
    assert.equal(p.value.find((u) => u.unit === 'locksmithd.service')?.state, 'masked');
  });
  test('Container Linux (systemd 241): two columns, no preset', () => {
    const p = parseUnitFiles(fixture('list-unit-files-container-linux.txt'));
    assert.ok(p.ok);
    assert.deepEqual(p.value[1], { unit: 'etcd-member.service', state: 'enabled' });
  });
  test('empty output is no unit file; output with no unit line is unreadable', () => {
    assert.deepEqual(parseUnitFiles(''), { ok: true, value: [] });
    const p = parseUnitFiles('Failed to connect to bus: No such file or directory\n');
    assert.equal(p.ok, false);
  });
});
