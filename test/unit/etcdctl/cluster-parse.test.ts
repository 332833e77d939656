import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseV2Health, parseV2Members, parseV3Health, parseV3Members } from '../../../src/etcdctl/cluster-parse.js';
import { captured } from '../../fixtures/etcd/load.js';

describe('cluster views (captured)', () => {
  test('v3 member list: names, URLs, and 64-bit IDs in hex that match what v2 prints', () => {
    const v3 = parseV3Members(captured('c3-v3-member-list'));
    const v2 = parseV2Members(captured('c3-v2-member-list'));
    assert.ok(v3.ok && v2.ok);
    const byName = (ms: typeof v3.value) => ms.map((m) => `${m.name} ${m.id} ${m.peerURLs.join()} ${m.clientURLs.join()}`).sort();
    assert.deepEqual(byName(v3.value), byName(v2.value));
    assert.deepEqual(byName(v2.value), [
      'lab-node-1 8efe4c9bb7709987 http://198.18.1.11:2380 http://198.18.1.11:2379',
      'lab-node-2 138e19070a1276d9 http://198.18.1.12:2380 http://198.18.1.12:2379',
      'lab-node-3 b63f5a09eabcbcd3 http://198.18.1.13:2380 http://198.18.1.13:2379',
    ]);
  });

  test('v2 member list of an unstarted member has no name', () => {
    const r = parseV2Members({ stdout: 'a1b2[unstarted]: peerURLs=http://10.0.0.9:2380\n', stderr: '', code: 0, timedOut: false });
    assert.deepEqual(r, { ok: true, value: [{ id: 'a1b2', name: '', peerURLs: ['http://10.0.0.9:2380'], clientURLs: [] }] });
  });

  test('v3 endpoint health with a stopped member: exit 1, JSON still names each endpoint', () => {
    const r = parseV3Health(captured('c3-stopped-v3-endpoint-health'));
    assert.ok(r.ok);
    assert.deepEqual(r.value.filter((h) => !h.healthy), [{ endpoint: 'http://198.18.1.12:2379', healthy: false, error: 'context deadline exceeded' }]);
    assert.equal(r.value.filter((h) => h.healthy).length, 2);
  });

  test('v2 cluster-health with a stopped member: the unreachable member with the dial error', () => {
    const r = parseV2Health(captured('c3-stopped-v2-cluster-health'));
    assert.ok(r.ok);
    const bad = r.value.filter((h) => !h.healthy);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]?.endpoint, 'http://198.18.1.12:2379');
    assert.match(bad[0]?.error ?? '', /dial tcp 198\.18\.1\.12:2379: connect: connection refused/);
    assert.deepEqual(parseV2Health(captured('v2-cluster-health')), { ok: true, value: [{ endpoint: 'http://127.0.0.1:2379', healthy: true }] });
  });

  test('nothing answers: health and members are errors with etcdctl\'s words', () => {
    const h2 = parseV2Health(captured('v2-cluster-health-unreachable'));
    assert.ok(!h2.ok);
    assert.match(h2.error, /connection refused/);
    const h3 = parseV3Health(captured('v3-endpoint-health-unreachable'));
    assert.ok(h3.ok);
    assert.deepEqual(h3.value, [{ endpoint: 'http://127.0.0.1:2390', healthy: false, error: 'context deadline exceeded' }]);
  });
});
