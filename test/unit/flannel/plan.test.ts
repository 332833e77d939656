import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { planWrites } from '../../../src/flannel/plan.js';

describe('planWrites: the keyspaces flannel set writes', () => {
  const key = '/coreos.com/network/config';
  const v = '{"Network": "10.1.0.0/16"}';
  test('every keyspace a flannel reads, plus one that already holds the key', () => {
    const v2 = { api: 'v2' as const, readers: 'e1: …' };
    const v3 = { api: 'v3' as const, readers: 'w2: …' };
    const none = { ok: true as const, found: false, value: '' };
    const has = { ok: true as const, found: true, value: v };
    assert.deepEqual(planWrites([v2], { key, v2: none, v3: none }), { ok: true, apis: ['v2'], why: ['v2: flannel reads it (e1: …)'] });
    assert.deepEqual(planWrites([v2], { key, v2: has, v3: has }), { ok: true, apis: ['v2', 'v3'], why: ['v2: flannel reads it (e1: …)', 'v3: it holds the key already, and would otherwise keep the old value'] });
    const both = planWrites([v2, v3], { key, v2: none, v3: none });
    assert.deepEqual(both.ok ? both.apis : null, ['v2', 'v3']);
  });
  test('refused when a keyspace flannel reads cannot be written: v2 not served, or unreadable', () => {
    const v2 = { api: 'v2' as const, readers: 'e1: flannel v0.11.0 …' };
    const r = planWrites([v2], { key, v2: { ok: false, error: 'etcdctl exited 4: Error: response is invalid json', unserved: true }, v3: { ok: true, found: true, value: v } });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.refused, /^flannel reads the v2 keyspace \(e1: flannel v0\.11\.0 …\), but etcd does not serve v2: start etcd with --enable-v2/);
    const down = planWrites([v2], { key, v2: { ok: false, error: 'etcdctl exited 4: connection refused' } });
    assert.match(down.ok ? '' : down.refused, /could not be read: etcdctl exited 4: connection refused/);
  });
});
