import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { etcdSwap, swapCall, swapCommand } from '../../../src/etcdctl/swap.js';
import { isLeaseNotFound, isV2CompareFailed, parseLeaseGrant, parseV3Txn } from '../../../src/etcdctl/parse.js';
import { fakeEtcd, shellWords } from '../../fixtures/etcd/fake-etcd.js';

const access = { endpoints: ['http://127.0.0.1:2379'] };
const K = '/coreos.com/network/config';

describe('compare-and-swap commands (etcdctl 3.4.23)', () => {
  test('v2: set --swap-with-value=OLD when the key held OLD, mk when it was absent; none for an empty OLD', () => {
    assert.deepEqual(swapCall('v2', K, { found: true, value: 'old' }, { found: true, value: 'new' }), { args: ['set', '--swap-with-value=old', '--', K, 'new'] });
    assert.deepEqual(swapCall('v2', K, { found: false }, { found: true, value: 'new' }), { args: ['mk', '--', K, 'new'] });
    assert.deepEqual(swapCall('v2', K, { found: true, value: 'new' }, { found: false }), { args: ['rm', '--with-value=new', '--', K] });
    // etcdctl's --swap-with-value '' means "no compare": it would overwrite anything.
    assert.equal(swapCall('v2', K, { found: true, value: '' }, { found: true, value: 'new' }), undefined);
  });

  test('v3: one txn: compare the value (or create revision 0), put, else read the key', () => {
    assert.deepEqual(swapCall('v3', K, { found: true, value: 'old' }, { found: true, value: 'new' }), {
      args: ['-w', 'json', 'txn'],
      input: [`value("${K}") = "old"`, '', `put -- "${K}" "new"`, '', `get -- "${K}"`, ''],
    });
    assert.deepEqual(swapCall('v3', K, { found: false }, { found: true, value: 'new' })?.input?.[0], `create("${K}") = "0"`);
    assert.deepEqual(swapCall('v3', K, { found: true, value: 'new' }, { found: false })?.input?.[2], `del -- "${K}"`);
  });

  // On the lab's etcd 3.4.23, `value("/t/k") = "a\"b\\c\nd\te é"` (JSON.stringify's quoting) matched
  // the value a"b\c<newline>d<tab>e é, and `put -- "/t/new" "-x"` wrote -x.
  test('a hostile value read from etcd stays one quoted string on one line of the txn, and one shell word', () => {
    const evil = 'a") = "x"\nput -- "/other" "pwned\' $(id) `id` \\';
    const c = swapCall('v3', K, { found: true, value: evil }, { found: true, value: '{"Network":"10.2.0.0/16"}' });
    assert.equal(c?.input?.[0], `value("${K}") = ${JSON.stringify(evil)}`);
    assert.ok(c?.input?.every((l) => !l.includes('\n')));
    const cmd = swapCommand(access, 'v3', K, { found: true, value: evil }, { found: true, value: 'v' }, 5000) ?? '';
    const words = shellWords(cmd);
    assert.deepEqual(words.slice(0, 8), ['printf', '%s\\n', `value("${K}") = ${JSON.stringify(evil)}`, '', `put -- "${K}" "v"`, '', `get -- "${K}"`, '']);
    assert.equal(words[8], '|');
  });

  test('against a fake etcd: the swap goes through when the key holds what was read, is a conflict (with what it holds now) when not', async () => {
    for (const api of ['v2', 'v3'] as const) {
      const f = fakeEtcd();
      (api === 'v2' ? f.v2 : f.v3).set(K, 'theirs');
      assert.deepEqual(await etcdSwap(f, access, api, K, { found: true, value: 'old' }, 'new', 5000), { ok: false, conflict: true, now: { found: true, value: 'theirs' } });
      assert.deepEqual(await etcdSwap(f, access, api, K, { found: false }, 'new', 5000), { ok: false, conflict: true, now: { found: true, value: 'theirs' } });
      assert.equal((api === 'v2' ? f.v2 : f.v3).get(K), 'theirs');
      assert.deepEqual(await etcdSwap(f, access, api, K, { found: true, value: 'theirs' }, 'new', 5000), { ok: true });
      assert.equal((api === 'v2' ? f.v2 : f.v3).get(K), 'new');
      (api === 'v2' ? f.v2 : f.v3).delete(K);
      assert.deepEqual(await etcdSwap(f, access, api, K, { found: true, value: 'new' }, 'newer', 5000), { ok: false, conflict: true, now: { found: false } });
    }
  });

  test('v2 with an empty value read: refused before any write, saying why', async () => {
    const f = fakeEtcd();
    f.v2.set(K, '');
    const r = await etcdSwap(f, access, 'v2', K, { found: true, value: '' }, 'new', 5000);
    assert.equal(r.ok, false);
    assert.match(!r.ok && !r.conflict ? r.error : '', /holds an empty value in the v2 keyspace, which etcdctl cannot compare against/);
    assert.deepEqual(f.calls, []);
  });
});

describe('readers of etcdctl 3.4.23 output (captured on the lab etcd)', () => {
  test('txn -w json: succeeded, or (omitted) not, with the key-values of the failure get', () => {
    const ok = '{"header":{"cluster_id":2114434677455118789,"member_id":3311891801008284487,"revision":2,"raft_term":2},"succeeded":true,"responses":[{"Response":{"ResponsePut":{"header":{"revision":2}}}}]}\n';
    assert.deepEqual(parseV3Txn(ok), { ok: true, succeeded: true, kvs: [] });
    const no = '{"header":{"cluster_id":2114434677455118789,"member_id":3311891801008284487,"revision":3,"raft_term":2}}\n';
    assert.deepEqual(parseV3Txn(no), { ok: true, succeeded: false, kvs: [] });
    // A failed compare with `get` as the failure request: what the key holds now.
    const read = '{"header":{"cluster_id":2114434677455118789,"member_id":3311891801008284487,"revision":3,"raft_term":2},"responses":[{"Response":{"ResponseRange":{"header":{"revision":3},"kvs":[{"key":"L3Qvaw==","create_revision":2,"mod_revision":3,"version":2,"value":"eyJOZXR3b3JrIjoiMTAuMC4wLjAvOCJ9"}],"count":1}}}]}\n';
    assert.deepEqual(parseV3Txn(read), { ok: true, succeeded: false, kvs: [{ key: '/t/k', value: '{"Network":"10.0.0.0/8"}' }] });
    assert.equal(parseV3Txn('FAILURE\n').ok, false);
  });

  test('lease grant, lease revoke of a lease that is gone, v2 compare refusals', () => {
    assert.equal(parseLeaseGrant('lease 2347a245a9798d06 granted with TTL(60s)\n'), '2347a245a9798d06');
    assert.equal(parseLeaseGrant('lease $(id) granted with TTL(60s)\n'), undefined);
    const gone = '{"level":"warn","msg":"retrying of unary invoker failed","error":"rpc error: code = NotFound desc = etcdserver: requested lease not found"}\nError: failed to revoke lease (etcdserver: requested lease not found)\n';
    assert.equal(isLeaseNotFound({ stdout: '', stderr: gone, code: 1, timedOut: false }), true);
    for (const stderr of ['Error:  101: Compare failed ([nope != v]) [5]\n', 'Error:  105: Key already exists (/d/k) [6]\n', 'Error:  100: Key not found (/d/k) [6]\n']) {
      assert.equal(isV2CompareFailed({ stdout: '', stderr, code: 4, timedOut: false }), true, stderr);
    }
    assert.equal(isV2CompareFailed({ stdout: '', stderr: 'Error:  client: etcd cluster is unavailable or misconfigured\n', code: 4, timedOut: false }), false);
  });
});
