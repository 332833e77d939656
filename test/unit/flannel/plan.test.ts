import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { apisToWrite } from '../../../src/flannel/plan.js';

describe('resolveConfig: where the key was found', () => {
  const key = '/coreos.com/network/config';
  const v = '{"Network": "10.1.0.0/16"}';
  test('apisToWrite: the configured keyspace, or for auto every one that answered', () => {
    const read = { key, v2: { ok: false as const, error: 'x' }, v3: { ok: true as const, found: false, value: '' } };
    assert.deepEqual(apisToWrite('v2', read), ['v2']);
    assert.deepEqual(apisToWrite('auto', read), ['v3']);
    assert.deepEqual(apisToWrite('auto', { key, v2: { ok: true, found: true, value: v }, v3: { ok: true, found: false, value: '' } }), ['v2', 'v3']);
    assert.deepEqual(apisToWrite('auto', { key }), []);
  });
});
