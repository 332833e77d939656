import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flannelEtcdReachRule, isLoopbackUrl } from '../../../../src/inventory/rules/flannel-etcd.js';
import type { Inventory, NodeSpec } from '../../../../src/inventory/types.js';
import { flannel, inventory, node } from '../../../fixtures/facts/builders.js';

const inv = (endpoints: string[], nodes: NodeSpec[], enabled = true): Inventory => inventory(nodes, { etcd: { endpoints }, flannel: flannel({ enabled }) });
const etcd = node({ name: 'app-etcd-1', roles: ['etcd', 'master'] });
const worker = (i: number, over: Partial<NodeSpec> = {}) => node({ name: `app-worker-${i}`, host: `10.0.0.${20 + i}`, roles: ['worker'], ...over });

describe('lint: flannel workers and loopback etcd', () => {
  test('inventory.example.yaml as it was: loopback cluster endpoints, two flannel workers → one problem each', () => {
    const p = flannelEtcdReachRule(inv(['http://127.0.0.1:2379'], [etcd, worker(1), worker(2)]));
    assert.deepEqual(p.map((x) => x.path), [['nodes', 1], ['nodes', 2]]);
    assert.match(p[0]?.message ?? '', /^app-worker-1 runs flannel but no etcd, and every etcd endpoint it would use is loopback \(http:\/\/127\.0\.0\.1:2379 from cluster\.etcd\.endpoints\): its flanneld cannot reach etcd\. Make etcd listen on the etcd node's address/);
  });
  test('loopback URLs', () => {
    assert.deepEqual(['http://127.0.0.1:2379', 'http://127.8.0.1', 'http://localhost:2379', 'http://[::1]:2379', 'http://10.0.0.1:2379', 'nonsense'].map(isLoopbackUrl), [true, true, true, true, false, false]);
  });
  test('a worker\'s own loopback endpoints are reported at that field', () => {
    const p = flannelEtcdReachRule(inv(['http://10.0.0.10:2379'], [etcd, worker(1, { etcd: { endpoints: ['http://localhost:2379', 'http://[::1]:2379'] } })]));
    assert.deepEqual(p.map((x) => x.path), [['nodes', 1, 'etcd', 'endpoints']]);
  });
  test('no problem: reachable endpoints, an etcd node on loopback, one non-loopback endpoint, flannel off', () => {
    assert.deepEqual(flannelEtcdReachRule(inv(['http://10.0.0.10:2379'], [etcd, worker(1)])), []);
    assert.deepEqual(flannelEtcdReachRule(inv(['http://127.0.0.1:2379'], [etcd])), []);
    assert.deepEqual(flannelEtcdReachRule(inv(['http://127.0.0.1:2379', 'http://10.0.0.10:2379'], [etcd, worker(1)])), []);
    assert.deepEqual(flannelEtcdReachRule(inv(['http://127.0.0.1:2379'], [etcd, worker(1)], false)), []);
  });
});

