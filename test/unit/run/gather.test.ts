import type { Check } from '../../../src/checks/types.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gatherersFor } from '../../../src/run/gather.js';

describe('--only / --skip selection', () => {
  test('a gatherer runs only when a selected check needs its facts', () => {
    const names = (sel: Parameters<typeof gatherersFor>[0]) => gatherersFor(sel).map((g) => g.name);
    assert.deepEqual(names({}), ['etcd', 'flannel.config', 'flannel.etcd-reach', 'etcdctl.version', 'provisioned', 'kube']);
    assert.deepEqual(names({ only: ['ignition.files'] }), ['provisioned']);
    assert.deepEqual(names({ only: ['kube.node'] }), [], 'kube.node reads the API, not the node');
    assert.deepEqual(names({ only: ['kube.kubelet'] }), ['kube']);
    assert.deepEqual(names({ only: ['net'] }), []);
    assert.deepEqual(names({ only: ['etcd.members'] }), ['etcd']);
    assert.deepEqual(names({ skip: ['etcd', 'ignition', 'kube'] }), ['flannel.config', 'flannel.etcd-reach', 'etcdctl.version']);
    assert.deepEqual(names({ skip: ['etcd.health', 'ignition', 'kube'] }), ['etcd', 'flannel.config', 'flannel.etcd-reach', 'etcdctl.version']);
    assert.deepEqual(names({ only: ['flannel'] }), ['flannel.config', 'flannel.etcd-reach', 'etcdctl.version']);
    // flannel.dropin reads the key too (to compare the drop-in's value with it), and etcdctl's version
    assert.deepEqual(names({ skip: ['flannel.config'] }), ['etcd', 'flannel.config', 'flannel.etcd-reach', 'etcdctl.version', 'provisioned', 'kube']);
    assert.deepEqual(names({ skip: ['flannel.config', 'flannel.dropin', 'flannel.etcd-reach'] }), ['etcd', 'provisioned', 'kube']);
    assert.deepEqual(names({ only: ['flannel.etcd-reach'] }), ['flannel.etcd-reach']);
    assert.deepEqual(names({ only: ['flannel.dropin'] }), ['flannel.config', 'etcdctl.version']);
    // what a check declares is what runs: a check needing nothing needs no gatherer
    const custom: Check[] = [{ id: 'x.one', scope: 'node', appliesTo: () => true, needs: ['etcd'], run: () => [] }, { id: 'x.two', scope: 'node', appliesTo: () => true, run: () => [] }];
    assert.deepEqual(gatherersFor({ only: ['x.two'] }, custom).map((g) => g.name), []);
    assert.deepEqual(gatherersFor({ only: ['x'] }, custom).map((g) => g.name), ['etcd']);
  });
});
