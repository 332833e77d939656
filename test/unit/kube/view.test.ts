import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clusterView, nodeView } from '../../../src/kube/view.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/kube/${name}`, import.meta.url)), 'utf8'));

describe('KubeClusterView from a v1.20 NodeList and /version', () => {
  const view = clusterView({ kubeconfig: '/k', server: 'https://198.18.0.11:6443', nodeList: fixture('nodes-v1.20.json'), version: fixture('version-v1.20.json') });
  test('nodes by name: Ready, InternalIP, kubelet version, podCIDR, flannel annotations only', () => {
    assert.deepEqual(view.version, { gitVersion: 'v1.20.2' });
    assert.deepEqual(view.nodes.get('m1'), {
      name: 'm1',
      ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      internalIPs: ['198.18.0.11'],
      hostnameAddress: 'm1',
      kubeletVersion: 'v1.20.2',
      podCIDR: '10.1.11.0/24',
      annotations: {
        'flannel.alpha.coreos.com/backend-data': '{"VtepMAC":"7a:1c:3e:52:0b:11"}',
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
        'flannel.alpha.coreos.com/public-ip': '198.18.0.11',
      },
    });
  });
  test('a NotReady node keeps its reason and message; no podCIDR is absent', () => {
    const w1 = view.nodes.get('w1');
    assert.deepEqual(w1?.ready, {
      status: 'False',
      reason: 'KubeletNotReady',
      message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    });
    assert.equal(w1?.podCIDR, undefined);
  });
  test('hostile or odd input: no name, no conditions, wrong types — never throws', () => {
    assert.equal(nodeView({ metadata: {} }), undefined);
    assert.equal(nodeView(null), undefined);
    assert.deepEqual(nodeView({ metadata: { name: 'x', annotations: { 'flannel.alpha.coreos.com/public-ip': 7 } }, status: { addresses: 'no', conditions: [{ type: 'Ready' }] } }), {
      name: 'x',
      ready: { status: 'Unknown' },
      internalIPs: [],
      annotations: {},
    });
    const long = nodeView({ metadata: { name: 'x' }, status: { conditions: [{ type: 'Ready', status: 'False', message: 'm'.repeat(5000) }] } });
    assert.equal(long?.ready?.message?.length, 401, 'a condition message is bounded');
    const empty = clusterView({ kubeconfig: '/k', server: 's', nodeList: 'garbage', version: 42 });
    assert.equal(empty.nodes.size, 0);
    assert.equal(empty.version, null);
  });
});
