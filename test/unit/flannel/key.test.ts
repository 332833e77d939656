import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/flannel/key.js';

describe('resolveConfig: where the key was found', () => {
  const key = '/coreos.com/network/config';
  const v = '{"Network": "10.1.0.0/16"}';
  test('both keyspaces, same value', () => {
    const r = resolveConfig({ key, v2: { ok: true, found: true, value: v }, v3: { ok: true, found: true, value: v } });
    assert.deepEqual(r, { kind: 'found', api: 'v2', value: v, where: `${key} in both the v2 and v3 keyspaces (same value)` });
  });
  test('both, different values: v2 counts (flannel 0.11), with a warning naming the v3 value', () => {
    const r = resolveConfig({ key, v2: { ok: true, found: true, value: v }, v3: { ok: true, found: true, value: '{"Network": "10.9.0.0/16"}' } });
    assert.equal(r.kind === 'found' && r.api, 'v2');
    assert.match(r.kind === 'found' ? (r.warning ?? '') : '', /^warning: the v3 keyspace holds a different value \(\{"Network": "10\.9\.0\.0\/16"\}\)/);
  });
  test('only v3 (flannel >= 0.18), and v2 unreadable: found, with a note', () => {
    const r = resolveConfig({ key, v2: { ok: false, error: 'etcdctl exited 1: Error: client: etcd cluster is unavailable' }, v3: { ok: true, found: true, value: v } });
    assert.equal(r.kind === 'found' && r.api, 'v3');
    assert.match(r.kind === 'found' ? r.where : '', /in the v3 keyspace; the v2 keyspace could not be read \(etcdctl exited 1/);
  });
  test('missing everywhere asked: missing, with the command to fix it', () => {
    assert.deepEqual(resolveConfig({ key, v2: { ok: true, found: false, value: '' } }), { kind: 'missing', message: `${key} is not in the v2 keyspace; write it with \`clusterctl flannel set --network CIDR\`` });
  });
  test('not found in one, unreadable in the other: cannot tell', () => {
    const r = resolveConfig({ key, v2: { ok: true, found: false, value: '' }, v3: { ok: false, error: 'etcdctl exited 1: context deadline exceeded' } });
    assert.equal(r.kind, 'unreadable');
  });
});
