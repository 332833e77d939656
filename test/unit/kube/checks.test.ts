import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KUBE_CHECKS, kubeNodeChecks } from '../../../src/kube/checks.js';
import { apiFailed, apiRead, evidenceOf, expectOf, masterOf } from '../../fixtures/kube/builders.js';

const flannel = { network: '10.1.0.0/16', source: 'cluster.flannel.network' };
const now = new Date('2027-01-01T00:00:00Z');

describe('every kube.* check of a node', () => {
  test('a healthy master: every check it applies to, in order, all passing', () => {
    const results = kubeNodeChecks({ expect: masterOf(), evidence: evidenceOf({ kubeSubnetMgr: { ok: true }, flannelLease: { ok: '10.1.11.1/24' } }), api: apiRead(), flannel, now });
    assert.deepEqual(results.map((r) => `${r.id} ${r.status}`), ['kube.apiserver pass', 'kube.apiserver pass', 'kube.kubelet pass', 'kube.node pass', 'kube.podcidr pass', 'kube.cni pass', 'kube.certs skip']);
    const ids = [...new Set(results.map((r) => r.id))];
    assert.deepEqual(ids, KUBE_CHECKS.filter((c) => c.applies(masterOf())).map((c) => c.id), 'KUBE_CHECKS says which apply');
  });

  test('the API unread: each API check one error with the reason; the node-side checks still judge', () => {
    const results = kubeNodeChecks({ expect: expectOf(), evidence: evidenceOf(), api: apiFailed, flannel, now });
    assert.deepEqual(results.map((r) => `${r.id} ${r.status}`), ['kube.kubelet pass', 'kube.node error', 'kube.podcidr error', 'kube.cni pass', 'kube.certs skip']);
    const apiIds = new Set(KUBE_CHECKS.filter((c) => c.api).map((c) => c.id));
    for (const r of results.filter((x) => apiIds.has(x.id))) assert.match(r.message, /^Could not check: the Kubernetes API could not be read: nothing answers at https:\/\/198\.18\.0\.11:6443 .*\/home\/op\/\.kube\/config/);
  });
});
