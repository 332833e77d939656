import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPath } from '../../../src/inventory/problems.js';
import { renderProblems } from '../../../src/render/validate.js';
import { inventoryOf, KUBERNETES } from '../../fixtures/render/inventories.js';

const problems = (text: string) => renderProblems(inventoryOf(text)).map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('what render needs of cluster.kubernetes', () => {
  test('a renderable Kubernetes inventory has no problems', () => {
    assert.deepEqual(problems(KUBERNETES), []);
  });
  test('no master: nothing for the kubelets to talk to', () => {
    assert.deepEqual(problems(KUBERNETES.replace('roles: [etcd, master]', 'roles: [etcd, worker]')), [
      'cluster.kubernetes: render writes kube-apiserver on master nodes and points every kubelet at the first one, but no node has the master role',
    ]);
  });
  test('a service range that is not a CIDR', () => {
    assert.deepEqual(problems(KUBERNETES.replace('serviceClusterIpRange: 198.19.64.0/24', 'serviceClusterIpRange: 198.19.64.0')), [
      "cluster.kubernetes.serviceClusterIpRange: '198.19.64.0' is not an IPv4 CIDR (e.g. 10.3.0.0/24)",
    ]);
  });
  test('a kubelet node with no IP address for --node-ip', () => {
    assert.deepEqual(problems(KUBERNETES.replace('host: 198.18.1.13', 'host: w2.lab.test')), [
      "nodes[2].host: the kubelet's --node-ip (and a master's --advertise-address) is an IP address, and w2 has none: give it network.address (or an IPv4 host)",
    ]);
  });
});
