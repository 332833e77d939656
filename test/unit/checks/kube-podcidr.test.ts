import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPodCidr } from '../../../src/checks/kube-podcidr.js';
import { apiFailed, apiRead, evidenceOf, expectOf, masterOf } from '../../fixtures/kube/builders.js';

const flannel = { network: '10.1.0.0/16', source: 'the config key (read on m1)' };
const subnetMgr = (lease: string) => evidenceOf({ kubeSubnetMgr: { ok: true }, flannelLease: { ok: lease } });

describe('kube.podcidr', () => {
  test('inside flannel\'s Network and equal to the lease with --kube-subnet-mgr', () => {
    assert.deepEqual(checkPodCidr(masterOf(), apiRead(), flannel, subnetMgr('10.1.11.1/24')), [
      {
        id: 'kube.podcidr',
        status: 'pass',
        expected: 'a podCIDR inside 10.1.0.0/16 (the config key (read on m1)), equal to the flannel lease',
        actual: 'podCIDR 10.1.11.0/24, flannel lease 10.1.11.1/24',
        message: 'podCIDR 10.1.11.0/24, flannel lease 10.1.11.1/24, inside 10.1.0.0/16',
      },
    ]);
  });
  test('outside the Network; another lease than the podCIDR', () => {
    const [out] = checkPodCidr(masterOf(), apiRead(), { network: '10.2.0.0/16', source: 'cluster.flannel.network' }, evidenceOf());
    assert.equal(out?.message, "Node m1: podCIDR 10.1.11.0/24 is outside flannel's Network 10.2.0.0/16 (cluster.flannel.network): the controller-manager's --cluster-cidr differs from it");
    const [lease] = checkPodCidr(masterOf(), apiRead(), flannel, subnetMgr('10.1.12.1/24'));
    assert.equal(lease?.status, 'fail');
    assert.equal(lease?.message, "Node m1: flannel's lease 10.1.12.1/24 is not the podCIDR 10.1.11.0/24, though flanneld runs with --kube-subnet-mgr: restart flanneld");
  });
  test('no podCIDR: a failure with --kube-subnet-mgr (the fix named), else a skip', () => {
    assert.equal(checkPodCidr(expectOf(), apiRead(), flannel, subnetMgr('10.1.21.1/24'))[0]?.message, 'Node w1 has no podCIDR, and flanneld takes its lease from it (--kube-subnet-mgr): start kube-controller-manager with --allocate-node-cidrs --cluster-cidr=10.1.0.0/16');
    assert.equal(checkPodCidr(expectOf(), apiRead(), flannel, evidenceOf())[0]?.status, 'skip');
  });
  test('no flannel: no result; flannel Network unknown: skip; API unread: error; no Node: skip', () => {
    assert.deepEqual(checkPodCidr(expectOf({ flannel: false }), apiRead(), flannel, evidenceOf()), []);
    assert.equal(checkPodCidr(expectOf(), apiRead(), undefined, evidenceOf())[0]?.status, 'skip');
    assert.equal(checkPodCidr(expectOf(), apiFailed, flannel, evidenceOf())[0]?.status, 'error');
    assert.equal(checkPodCidr(expectOf({ nodeName: 'w9' }), apiRead(), flannel, evidenceOf())[0]?.message, 'no Node w9 in the API (kube.node says why)');
  });
});
