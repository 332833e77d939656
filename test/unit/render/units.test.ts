import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeUnits } from '../../../src/render/units.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';

const inv = inventoryOf(THREE_ETCD);
const names = (n: string, i = inv) => nodeUnits(i.nodes.find((x) => x.name === n) ?? assert.fail(n), i).map((u) => `${u.name}${u.enabled ? '' : ' (disabled)'}${u.dropins.map((d) => ` +${d.name}`).join('')}`);

describe('units per role', () => {
  test('etcd-member on etcd nodes, flanneld everywhere flannel runs, then cluster.services per role, each once', () => {
    assert.deepEqual(names('e1'), ['etcd-member.service', 'flanneld.service +50-network-config.conf', 'kubelet.service']);
    assert.deepEqual(names('e2'), ['etcd-member.service', 'flanneld.service +50-network-config.conf']);
    assert.deepEqual(names('w1'), ['flanneld.service +50-network-config.conf']);
  });
  test('flannel off: no flanneld; etcd nodes still run etcd-member', () => {
    const off = inventoryOf(THREE_ETCD.replace('  flannel:\n', '  flannel:\n    enabled: false\n').replace('    configDropin: true\n', ''));
    assert.deepEqual(names('e2', off), ['etcd-member.service']);
    assert.deepEqual(names('w1', off), []);
  });
});
