import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseKubeconfig } from '../../../src/kube/kubeconfig.js';

describe('which kubeconfig: the inventory\'s, else as kubectl', () => {
  const files = new Set(['/home/op/.kube/config', '/srv/b.kubeconfig']);
  const exists = (f: string) => files.has(f);
  test('cluster.kubernetes.kubeconfig wins, even when missing (the read then says so)', () => {
    assert.deepEqual(chooseKubeconfig({ configured: '/nope', env: { KUBECONFIG: '/srv/b.kubeconfig' }, home: '/home/op', exists }), { ok: true, path: '/nope', from: 'cluster.kubernetes.kubeconfig' });
  });
  test('$KUBECONFIG: its first existing file', () => {
    assert.deepEqual(chooseKubeconfig({ env: { KUBECONFIG: '/srv/a:/srv/b.kubeconfig' }, home: '/home/op', exists }), { ok: true, path: '/srv/b.kubeconfig', from: '$KUBECONFIG' });
    assert.deepEqual(chooseKubeconfig({ env: { KUBECONFIG: '/srv/a:/srv/c' }, home: '/home/op', exists }), {
      ok: false,
      error: 'no kubeconfig: none of the files in $KUBECONFIG exists (/srv/a:/srv/c); point $KUBECONFIG or cluster.kubernetes.kubeconfig at the cluster\'s admin kubeconfig',
    });
  });
  test('unset or empty $KUBECONFIG: ~/.kube/config', () => {
    assert.deepEqual(chooseKubeconfig({ env: { KUBECONFIG: '' }, home: '/home/op', exists }), { ok: true, path: '/home/op/.kube/config', from: '~/.kube/config' });
    assert.equal(chooseKubeconfig({ env: {}, home: '/home/none', exists }).ok, false);
  });
});
