import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNode, checkUnknownNodes, readyHint } from '../../../src/checks/kube-node.js';
import { apiFailed, apiRead, expectOf, masterOf } from '../../fixtures/kube/builders.js';
import type { NodeJson } from '../../fixtures/kube/builders.js';

const named = (nodes: NodeJson[], name: string): NodeJson => {
  const n = nodes.find((x) => x.metadata.name === name);
  assert.ok(n, name);
  return n;
};

describe('kube.node (from the API)', () => {
  test('Ready, InternalIP as the inventory says, kubelet within the skew: pass naming both sides', () => {
    assert.deepEqual(checkNode(masterOf(), apiRead()), [
      {
        id: 'kube.node',
        status: 'pass',
        expected: 'Node m1 Ready, InternalIP 198.18.0.11, kubelet v1.18 to v1.20.x',
        actual: 'Ready=True (KubeletReady: kubelet is posting ready status), InternalIP 198.18.0.11, kubelet v1.20.2',
        message: 'Node m1 is Ready at 198.18.0.11, kubelet v1.20.2 (apiserver v1.20.2)',
      },
    ]);
  });

  test('NotReady for want of a CNI config: reason, message and the fix (flannel\'s conflist)', () => {
    const [r] = checkNode(expectOf(), apiRead());
    assert.equal(r?.status, 'fail');
    assert.equal(
      r?.message,
      'Node w1: Ready=False (KubeletNotReady: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized): the container runtime finds no CNI config: flannel\'s is /etc/cni/net.d/10-flannel.conflist (see kube.cni)',
    );
  });

  test('registered under another name: no such Node; the kubelet\'s --hostname-override and the Node it made are named', () => {
    const read = apiRead((nodes) => (named(nodes, 'w1').metadata.name = 'worker-1'));
    const kubelet = { ok: { argv: ['kubelet', '--hostname-override=Worker-1'], from: '/proc/8/cmdline' } };
    assert.deepEqual(checkNode(expectOf(), read, kubelet), [
      {
        id: 'kube.node',
        status: 'fail',
        expected: 'Node w1 Ready, InternalIP 198.18.0.21, kubelet v1.18 to v1.20.x',
        actual: 'no such Node',
        message: 'the API has no Node named w1 (Nodes: m1, worker-1); its kubelet runs with --hostname-override=Worker-1 and Node worker-1 exists: fix the flag, or set nodes[].kubernetes.nodeName to that name',
      },
    ]);
    assert.equal(
      checkNode(expectOf(), read)[0]?.message,
      'the API has no Node named w1 (Nodes: m1, worker-1): is the kubelet on w1 running and registered under another name? (set nodes[].kubernetes.nodeName to the name it registers)',
    );
  });

  test('a wrong --node-ip: InternalIP differs from the inventory address; both named, with the flag', () => {
    const read = apiRead((nodes) => {
      const m1 = named(nodes, 'm1');
      m1.status.addresses = [{ type: 'InternalIP', address: '198.18.0.99' }, { type: 'Hostname', address: 'm1' }];
    });
    const [r] = checkNode(masterOf(), read, { ok: { argv: ['kubelet', '--node-ip=198.18.0.99'], from: 'x' } });
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, 'Ready=True (KubeletReady: kubelet is posting ready status), InternalIP 198.18.0.99, kubelet v1.20.2');
    assert.equal(r?.message, "Node m1: InternalIP is 198.18.0.99, the inventory's network.address is 198.18.0.11: the kubelet runs with --node-ip=198.18.0.99; start it with --node-ip=198.18.0.11");
  });

  test('kubelet older than the skew allows; Ready=Unknown names the kubelet; no Ready condition yet', () => {
    const read = apiRead((nodes) => {
      const m1 = named(nodes, 'm1');
      m1.status.nodeInfo.kubeletVersion = 'v1.17.4';
      m1.status.conditions = [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }];
      named(nodes, 'w1').status.conditions = [];
    });
    assert.equal(
      checkNode(masterOf(), read)[0]?.message,
      'Node m1: Ready=Unknown (NodeStatusUnknown: Kubelet stopped posting node status.): the kubelet stopped reporting: is it running, and can it reach the API? (kube.kubelet); kubelet v1.17.4 is 3 minor versions older than the apiserver v1.20.2: at most 2 are supported; upgrade the kubelet',
    );
    assert.equal(checkNode(expectOf(), read)[0]?.message, 'Node w1: no Ready condition: the kubelet has not reported its status yet');
  });

  test('no inventory address to compare (host is a DNS name, no network): InternalIP not judged', () => {
    const e = masterOf();
    delete e.address;
    const [r] = checkNode(e, apiRead());
    assert.equal(r?.status, 'pass');
    assert.equal(r?.expected, 'Node m1 Ready, kubelet v1.18 to v1.20.x');
  });

  test('the API could not be read: one error naming the kubeconfig and what to do', () => {
    assert.deepEqual(checkNode(expectOf(), apiFailed), [
      { id: 'kube.node', status: 'error', expected: null, actual: null, message: `Could not check: the Kubernetes API could not be read: ${apiFailed.ok ? '' : apiFailed.error}` },
    ]);
  });

  test('readyHint without flannel, and for a runtime that does not answer', () => {
    assert.equal(readyHint({ status: 'False', message: 'network plugin is not ready: cni config uninitialized' }, false), 'the container runtime finds no CNI config in /etc/cni/net.d (see kube.cni)');
    assert.match(readyHint({ status: 'False', message: 'PLEG is not healthy: pleg was last seen active 3m0s ago' }, true), /containerd/);
  });
});

describe('kube.nodes: Nodes the API knows that the inventory does not', () => {
  test('reported once, by name; none: pass', () => {
    assert.deepEqual(checkUnknownNodes([masterOf(), expectOf()], apiRead()), [
      { id: 'kube.nodes', status: 'pass', expected: "only the inventory's Nodes (2)", actual: '2 Nodes', message: 'every Node the API knows at https://198.18.0.11:6443 is in the inventory' },
    ]);
    assert.deepEqual(checkUnknownNodes([masterOf()], apiRead()), [
      {
        id: 'kube.nodes',
        status: 'fail',
        expected: "only the inventory's Nodes (1)",
        actual: '2 Nodes',
        message: 'the API at https://198.18.0.11:6443 knows a Node the inventory does not: w1; add it to the inventory (or set kubernetes.nodeName), or `kubectl delete node` what is gone',
      },
    ]);
    assert.equal(checkUnknownNodes([], apiFailed)[0]?.status, 'error');
  });
});
