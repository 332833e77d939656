import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flannelEtcdReachCheck } from '../../../src/checks/flannel-etcd-reach.js';
import type { EtcdReachFact } from '../../../src/facts/types.js';
import { facts, flannel, inventory, node } from '../../fixtures/facts/builders.js';

const worker = node({ name: 'node2', host: '198.18.1.12' });
const etcdNode = node({ name: 'node1', roles: ['etcd'] });
const ctx = { inventory: inventory([etcdNode, worker], { flannel: flannel({ enabled: true }) }), facts: new Map() };
const ok = (endpoint: string) => ({ endpoint, host: new URL(endpoint).hostname, port: Number(new URL(endpoint).port), ok: true });
const down = (endpoint: string, errno: string, reason: string) => ({ ...ok(endpoint), ok: false, errno, reason });
const run = (r: EtcdReachFact, n = worker) => flannelEtcdReachCheck.run(n, facts({ etcdReach: r }), ctx);
const from = 'cluster.etcd.endpoints in the inventory';

describe('flannel.etcd-reach', () => {
  test('every endpoint answers: pass, naming them and where they came from', () => {
    const [r] = run({ ok: true, from, results: [ok('http://198.18.1.11:2379')], invalid: [] });
    assert.deepEqual([r?.status, r?.message, r?.actual], ['pass', `http://198.18.1.11:2379 accepts TCP from node2 (endpoints from ${from})`, 'http://198.18.1.11:2379 ok']);
  });
  test('the setup guide on a worker: loopback refused → fail naming node, endpoint, errno and what to do', () => {
    const [r] = run({ ok: true, from, results: [down('http://127.0.0.1:2379', 'ECONNREFUSED', 'connect: Connection refused')], invalid: [] });
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, `node2 cannot reach etcd at http://127.0.0.1:2379 (ECONNREFUSED: connect: Connection refused): http://127.0.0.1:2379 is node2's own loopback, and node2 runs no etcd: list the etcd node's address instead, with etcd listening there (listen_client_urls) (endpoints from ${from})`);
  });
  test('etcd listening on loopback only: refused at the node address says so', () => {
    const [r] = run({ ok: true, from, results: [down('http://198.18.1.11:2379', 'ECONNREFUSED', 'connect: Connection refused')], invalid: [] });
    assert.match(r?.message ?? '', /nothing listens there: make etcd listen on that address \(listen_client_urls\), not only on 127\.0\.0\.1/);
    const [u] = run({ ok: true, from, results: [down('http://198.18.1.11:2379', 'EHOSTUNREACH', 'connect: No route to host')], invalid: [] });
    assert.match(u?.message ?? '', /\(EHOSTUNREACH: connect: No route to host\): check the route and any firewall between node2 and that address/);
  });
  test('one of two answers: pass led by a warning (flanneld\'s client moves on)', () => {
    const [r] = run({ ok: true, from, results: [down('http://198.18.1.13:2379', 'ETIMEDOUT', 'no answer within 2s'), ok('http://198.18.1.11:2379')], invalid: [] });
    assert.equal(r?.status, 'pass');
    assert.match(r?.message ?? '', /^warning: node2 cannot reach etcd at http:\/\/198\.18\.1\.13:2379 \(ETIMEDOUT: no answer within 2s\)/);
  });
  test('nothing to dial, the check could not run, not gathered', () => {
    assert.equal(run({ ok: true, from, results: [], invalid: [{ endpoint: 'unix:///x', why: 'unix:// is not a TCP endpoint' }] })[0]?.status, 'fail');
    assert.deepEqual(run({ ok: false, from, endpoints: ['http://198.18.1.11:2379'], error: 'bash not found on the node' }).map((r) => r.status), ['error']);
    assert.equal(flannelEtcdReachCheck.run(worker, facts(), ctx)[0]?.status, 'error');
  });
});
