import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS } from '../../../src/checks/index.js';
import { kubeNodeSide } from '../../../src/checks/kube-scope.js';
import { kubeCniCheck } from '../../../src/checks/kube-cni.js';
import { API_CHECKS } from '../../../src/run/cluster-inputs.js';
import { errorFact, okFact } from '../../../src/facts/types.js';
import { evidenceOf } from '../../fixtures/kube/builders.js';
import { facts, node, ctx } from '../../fixtures/facts/builders.js';

describe('kube.* checks are ordinary checks', () => {
  test('the API read is a need the checks declare: exactly the three that read it', () => {
    assert.deepEqual(API_CHECKS, ['kube.node', 'kube.podcidr', 'kube.nodes']);
    assert.deepEqual(CHECKS.filter((c) => c.id.startsWith('kube.') && c.scope === 'node').map((c) => c.id), ['kube.apiserver', 'kube.kubelet', 'kube.cni', 'kube.certs']);
    for (const c of CHECKS.filter((x) => x.scope === 'node' && x.id.startsWith('kube.'))) assert.deepEqual(c.needs, ['kube'], c.id);
  });

  test('a node-side check without its evidence says why, in the one "could not check" form', () => {
    const results = kubeCniCheck.run(node(), facts({ kube: errorFact('kube: could not be gathered: timed out') }), ctx());
    assert.deepEqual(results, [{ id: 'kube.cni', status: 'error', expected: null, actual: null, message: 'Could not check: kube: could not be gathered: timed out' }]);
  });

  test('a node-side check gets the node\'s evidence and expectation', () => {
    let seen: unknown;
    const check = kubeNodeSide('kube.test', () => true, (_e, ev) => {
      seen = ev;
      return [];
    });
    const ev = evidenceOf();
    check.run(node(), facts({ kube: okFact(ev) }), ctx());
    assert.equal(seen, ev);
  });
});
