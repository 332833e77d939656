import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIgnitionResult } from '../../../../src/facts/parse/ignition-result.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/systemd/${name}`, import.meta.url), 'utf8');

describe('parseIgnitionResult', () => {
  test('a config applied', () => {
    assert.deepEqual(parseIgnitionResult(fixture('ignition-result-flatcar.json')), {
      ok: true,
      value: { userConfigProvided: true, provisioningDate: '2024-05-01T10:00:00Z', provisioningBootId: '0c5f6d0a-7c4e-4f39-9d6e-1b1b5c3f9e2a' },
    });
  });
  test('what Debian\'s ignition 2.14 wrote when it ran with no config', () => {
    const p = parseIgnitionResult(fixture('ignition-result-no-config.json'));
    assert.ok(p.ok);
    assert.equal(p.value.userConfigProvided, false);
  });
  test('not JSON, not an object, or no userConfigProvided: unreadable, with the reason', () => {
    assert.match(String(!parseIgnitionResult('{"x":').ok && (parseIgnitionResult('{"x":') as { error: string }).error), /^not valid JSON/);
    assert.deepEqual(parseIgnitionResult('[]'), { ok: false, error: 'JSON is not an object' });
    assert.deepEqual(parseIgnitionResult('{"userConfigProvided":"yes"}'), { ok: false, error: 'userConfigProvided is missing or not true/false' });
  });
});
