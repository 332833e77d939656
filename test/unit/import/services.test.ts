import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveServices } from '../../../src/import/services.js';

describe('deriveServices', () => {
  test("the defaults (flanneld everywhere, etcd-member on etcd nodes) are left out, even on one node", () => {
    assert.deepEqual(deriveServices([{ roles: ['etcd'], enabled: ['etcd-member.service', 'flanneld.service'] }], true).services, undefined);
    assert.deepEqual(deriveServices([{ roles: ['etcd'], enabled: ['etcd-member.service'] }, { roles: ['worker'], enabled: [] }], false).services, undefined);
  });
  test('a unit of every node → all; of exactly some roles\' nodes → those roles', () => {
    const r = deriveServices(
      [
        { roles: ['etcd', 'master'], enabled: ['etcd-member.service', 'flanneld.service', 'kube-apiserver.service', 'docker.service'] },
        { roles: ['worker'], enabled: ['flanneld.service', 'kubelet.service', 'docker.service'] },
        { roles: ['worker'], enabled: ['flanneld.service', 'kubelet.service', 'docker.service'] },
      ],
      true,
    );
    assert.deepEqual(r.services, { all: ['flanneld.service', 'docker.service'], master: ['kube-apiserver.service'], worker: ['kubelet.service'] });
    assert.equal(r.unexplained.size, 0);
  });
  test('a unit on only some nodes of a role cannot be said: a note for those nodes; flanneld missing somewhere: all written', () => {
    const r = deriveServices([{ roles: ['worker'], enabled: ['flanneld.service', 'x.service'] }, { roles: ['worker'], enabled: [] }], true);
    assert.deepEqual([...r.unexplained], [[0, ['flanneld.service', 'x.service']]]);
    assert.deepEqual(r.services, { all: [] });
  });
});
