import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeExpect } from '../../../src/kube/expect.js';
import { parseInventory } from '../../../src/inventory/load.js';

describe('kubeExpect: from the inventory', () => {
  const inv = parseInventory(
    `cluster:
  etcd: {endpoints: [http://198.18.0.11:2379]}
  flannel: {network: 10.1.0.0/16}
  kubernetes: {}
nodes:
  - {name: e1, host: 198.18.0.10, roles: [etcd]}
  - {name: m1, host: 198.18.0.11, roles: [etcd, master], etcd: {endpoints: [http://127.0.0.1:2379]}}
  - {name: W1, host: w1.lab, roles: [worker], network: {interface: eth0, address: 198.18.0.21/24}}
  - {name: w2, host: w2.lab, roles: [worker], kubernetes: {nodeName: worker-2}}
`,
    '/inv/inventory.yaml',
    { home: '/home/op' },
  );
  const [e1, m1, w1, w2] = inv.nodes.map((n) => kubeExpect(n, inv));
  test('no expectations for an etcd-only node', () => assert.equal(e1, undefined));
  test('a master: its own etcd view, its host as address', () => {
    assert.deepEqual(m1, { name: 'm1', nodeName: 'm1', master: true, worker: false, address: '198.18.0.11', addressFrom: 'host', etcdEndpoints: ['http://127.0.0.1:2379'], etcdFrom: 'nodes[].etcd.endpoints', flannel: true });
  });
  test('workers: network.address wins over a DNS host; no address when neither is one; nodeName', () => {
    assert.equal(w1?.nodeName, 'w1');
    assert.equal(w1?.address, '198.18.0.21');
    assert.equal(w1?.addressFrom, 'network.address');
    assert.equal(w2?.nodeName, 'worker-2');
    assert.equal(w2?.address, undefined);
  });
});
