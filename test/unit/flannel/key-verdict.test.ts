import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isUnserved, keyVerdict, sameConfig } from '../../../src/flannel/key-verdict.js';
import type { Reader } from '../../../src/flannel/key-verdict.js';

const KEY = '/coreos.com/network/config';
const CFG = '{"Network": "10.1.0.0/16"}';
const v2: Reader = { api: 'v2', readers: 'n1, n2: flannel v0.11.0 (…) reads v2, being < 0.18' };
const v3: Reader = { api: 'v3', readers: 'n3: flannel v0.22.3 (…) reads v3, being ≥ 0.18' };
const found = (value = CFG) => ({ ok: true as const, found: true, value });
const none = { ok: true as const, found: false, value: '' };
const UNSERVED = { ok: false as const, error: 'etcdctl exited 4: Error: response is invalid json (the server does not serve the v2 API: etcd >= 3.4 needs --enable-v2, 3.6 has no v2; use the v3 API)' };

describe('the key against the keyspaces flannel reads', () => {
  test('found where flannel reads it: where and who', () => {
    const r = keyVerdict({ key: KEY, v2: found(), v3: none }, [v2]);
    assert.equal(r.kind, 'found');
    assert.equal(r.kind === 'found' && r.where, `${KEY} in the v2 keyspace, which flannel reads (v2: ${v2.readers})`);
    assert.deepEqual(r.kind === 'found' && r.warnings, []);
  });
  test('flannel-io/flannel#1057: only in v3, flannel 0.11 reads v2 → missing, says where it is and what to do', () => {
    const r = keyVerdict({ key: KEY, v2: none, v3: found() }, [v2]);
    assert.equal(r.kind, 'missing');
    assert.match(r.kind === 'missing' ? r.message : '', /is not in the v2 keyspace, which flannel reads \(n1, n2: .*\); it is in the v3 keyspace \(\{"Network": "10\.1\.0\.0\/16"\}\), which those flannels do not read: write it with `clusterctl flannel set --network CIDR`/);
  });
  test('v2 not served (etcd 3.4+ without --enable-v2) while flannel reads v2 → missing with the --enable-v2 hint', () => {
    const r = keyVerdict({ key: KEY, v2: UNSERVED, v3: found() }, [v2]);
    assert.equal(r.kind, 'missing');
    assert.match(r.kind === 'missing' ? r.message : '', /etcd does not serve the v2 API, and flannel reads .* from v2 .*; it is in the v3 keyspace .*: start etcd with --enable-v2/);
    assert.ok(isUnserved({ ok: false, error: 'x', unserved: true }));
  });
  test('missing everywhere says so; another error is unreadable', () => {
    const r = keyVerdict({ key: KEY, v2: none, v3: none }, [v2]);
    assert.match(r.kind === 'missing' ? r.message : '', /not in the v2 keyspace.*, nor in the v3 keyspace: write it/);
    assert.equal(keyVerdict({ key: KEY, v2: { ok: false, error: 'etcdctl exited 4: connection refused' }, v3: found() }, [v2]).kind, 'unreadable');
    assert.equal(keyVerdict({ key: KEY, v3: found() }, [v2]).kind, 'unreadable');
  });
  test('flannels of both kinds: both keyspaces needed; different values fail; equal JSON passes', () => {
    assert.equal(keyVerdict({ key: KEY, v2: found(), v3: found('{"Network":"10.1.0.0/16"}') }, [v2, v3]).kind, 'found');
    const r = keyVerdict({ key: KEY, v2: found(), v3: found('{"Network": "10.9.0.0/16"}') }, [v2, v3]);
    assert.match(r.kind === 'missing' ? r.message : '', /the v2 and v3 keyspaces hold different values/);
    assert.equal(keyVerdict({ key: KEY, v2: found(), v3: none }, [v2, v3]).kind, 'missing');
  });
  test('a stale copy in the keyspace nobody reads is a warning', () => {
    const r = keyVerdict({ key: KEY, v2: found(), v3: found('{"Network": "10.9.0.0/16"}') }, [v2]);
    assert.match(r.kind === 'found' ? (r.warnings[0] ?? '') : '', /^warning: the v3 keyspace holds a different value .* which no flannel here reads; a flannel ≥ 0\.18 would/);
  });
  test('sameConfig compares JSON by value', () => {
    assert.ok(sameConfig('{"Network": "a", "Backend": {"Type": "vxlan"}}', '{"Backend":{"Type":"vxlan"},"Network":"a"}'));
    assert.ok(!sameConfig('{"Network": "a"}', '{"Network": "b"}'));
    assert.ok(!sameConfig('not json', 'not  json'));
  });
});
