import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseV2Health, parseV2Members, parseV3Health, parseV3Members } from '../../../src/etcdctl/cluster-parse.js';
import { etcdctlError, etcdctlMissing, isV2KeyNotFound, parseV3Get, v2Unserved, v2Value } from '../../../src/etcdctl/parse.js';
import { captured } from '../../fixtures/etcd/load.js';

// Every input here is real etcdctl 3.4.23 output against etcd 3.4.23 in the lab (capture.sh).
describe('etcdctl output and errors (captured)', () => {
  test('v2 get of a missing key: exit 4, "Error:  100: Key not found"', () => {
    const r = captured('v2-get-missing');
    assert.equal(r.code, 4);
    assert.equal(isV2KeyNotFound(r), true);
    assert.equal(isV2KeyNotFound(captured('v2-rm-missing')), true);
    assert.equal(isV2KeyNotFound(captured('v2-get-dir')), false); // "is a directory", exit 1
    assert.equal(isV2KeyNotFound(captured('v2-mkdir-exists')), false); // 105
  });

  test('v2 get prints the value and one newline; a value starting with "-" survives "--"', () => {
    assert.equal(v2Value(captured('v2-get').stdout), '-value-');
  });

  test('v3 get of a missing key: exit 0 and no kvs', () => {
    const r = captured('v3-get-missing');
    assert.equal(r.code, 0);
    assert.deepEqual(parseV3Get(r.stdout), { ok: true, kvs: [], count: 0 });
  });

  test('v3 -w json get decodes base64 keys and values', () => {
    assert.deepEqual(parseV3Get(captured('v3-get').stdout), { ok: true, kvs: [{ key: '/clusterctl-fixture/key', value: '-value-' }], count: 1 });
    assert.equal(parseV3Get('Error: x').ok, false);
  });

  test('unreachable endpoint, v3: the final line and the retry log\'s reason', () => {
    const r = captured('v3-get-unreachable');
    assert.equal(r.code, 1);
    assert.equal(etcdctlError(r), 'etcdctl exited 1: Error: context deadline exceeded (rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure)');
  });

  test('unreachable endpoint, v2: connection refused, exit 2', () => {
    const r = captured('v2-get-unreachable');
    assert.equal(r.code, 2);
    assert.match(etcdctlError(r), /^etcdctl exited 2: Error: {2}client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127\.0\.0\.1:2390: connect: connection refused/);
  });

  test('unknown command: v2 exit 3 "No help topic", v3 exit 1 "unknown command"', () => {
    assert.equal(etcdctlError(captured('v2-unknown-command')), "etcdctl exited 3: No help topic for 'frobnicate'");
    assert.match(etcdctlError(captured('v3-unknown-command')), /^etcdctl exited 1: Error: unknown command "frobnicate" for "etcdctl"/);
  });

  test('etcdctl not on the node: exit 127 from sh', () => {
    const r = captured('etcdctl-missing');
    assert.equal(etcdctlMissing(r), true);
    assert.match(etcdctlError(r), /^etcdctl not found/);
    assert.equal(etcdctlMissing(captured('v3-unknown-command')), false);
  });

  test('server without --enable-v2: v2 calls fail with a hint to use v3', () => {
    for (const name of ['v2off-ls-root', 'v2off-cluster-health', 'v2off-member-list']) {
      const r = captured(name);
      assert.equal(v2Unserved(r), true, name);
      assert.match(etcdctlError(r), /does not serve the v2 API/, name);
    }
    assert.equal(v2Unserved(captured('v2-get-unreachable')), false);
  });

  test('a timeout says how long and that etcdctl was stopped', () => {
    assert.equal(etcdctlError({ stdout: '', stderr: '', code: null, timedOut: true }, 3000), 'etcdctl did not finish within 3s and was stopped');
  });
});

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
