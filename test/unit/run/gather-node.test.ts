import type { Check } from '../../../src/checks/types.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectorsFor } from '../../../src/run/gather-node.js';

describe('--only / --skip selection', () => {
  test('a planned collector asks only when a selected check needs its fact', () => {
    const names = (sel: Parameters<typeof collectorsFor>[0]) => collectorsFor(sel).map((c) => c.fact);
    assert.deepEqual(names({}), ['etcd', 'flannelConfig', 'etcdReach', 'etcdctlVersion', 'provisioned', 'kube']);
    assert.deepEqual(names({ only: ['ignition.files'] }), ['provisioned']);
    assert.deepEqual(names({ only: ['kube.node'] }), [], 'kube.node reads the API, not the node');
    assert.deepEqual(names({ only: ['kube.kubelet'] }), ['kube']);
    assert.deepEqual(names({ only: ['net'] }), []);
    assert.deepEqual(names({ only: ['etcd.members'] }), ['etcd']);
    assert.deepEqual(names({ skip: ['etcd', 'ignition', 'kube'] }), ['flannelConfig', 'etcdReach', 'etcdctlVersion']);
    assert.deepEqual(names({ skip: ['etcd.health', 'ignition', 'kube'] }), ['etcd', 'flannelConfig', 'etcdReach', 'etcdctlVersion']);
    assert.deepEqual(names({ only: ['flannel'] }), ['flannelConfig', 'etcdReach', 'etcdctlVersion']);
    // flannel.dropin reads the key too (to compare the drop-in's value with it), and etcdctl's version
    assert.deepEqual(names({ skip: ['flannel.config'] }), ['etcd', 'flannelConfig', 'etcdReach', 'etcdctlVersion', 'provisioned', 'kube']);
    assert.deepEqual(names({ skip: ['flannel.config', 'flannel.dropin', 'flannel.etcd-reach'] }), ['etcd', 'provisioned', 'kube']);
    assert.deepEqual(names({ only: ['flannel.etcd-reach'] }), ['etcdReach']);
    assert.deepEqual(names({ only: ['flannel.dropin'] }), ['flannelConfig', 'etcdctlVersion']);
    // what a check declares is what runs: a check needing nothing needs no planned collector
    const custom: Check[] = [{ id: 'x.one', scope: 'node', appliesTo: () => true, needs: ['etcd'], run: () => [] }, { id: 'x.two', scope: 'node', appliesTo: () => true, run: () => [] }];
    assert.deepEqual(collectorsFor({ only: ['x.two'] }, custom).map((c) => c.fact), []);
    assert.deepEqual(collectorsFor({ only: ['x'] }, custom).map((c) => c.fact), ['etcd']);
  });
});
