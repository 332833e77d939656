import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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
