import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCni } from '../../../src/checks/kube-cni.js';
import { parseCniConfig } from '../../../src/kube/cni.js';
import { evidenceOf, expectOf } from '../../fixtures/kube/builders.js';

describe('kube.cni', () => {
  test('flannel\'s conflist present: pass', () => {
    assert.deepEqual(checkCni(expectOf(), evidenceOf()), [
      { id: 'kube.cni', status: 'pass', expected: 'a CNI config with the flannel plugin (/etc/cni/net.d/10-flannel.conflist)', actual: '/etc/cni/net.d/10-flannel.conflist (cbr0: flannel, portmap)', message: '/etc/cni/net.d/10-flannel.conflist (cbr0: flannel, portmap)' },
    ]);
  });
  test('missing: fail with what it causes and the fix', () => {
    const [r] = checkCni(expectOf(), evidenceOf({ cni: parseCniConfig('', null) }));
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, 'no CNI config on w1: /etc/cni/net.d holds no *.conf, *.conflist or *.json file, so the Node stays NotReady ("cni plugin not initialized"); flannel writes /etc/cni/net.d/10-flannel.conflist (its install-cni step, or render\'s file)');
  });
  test('another config sorts first: the runtime uses it, not flannel\'s', () => {
    const cni = parseCniConfig('05-bridge.conf\n10-flannel.conflist\n', '{"name":"podman","type":"bridge"}');
    const [r] = checkCni(expectOf(), evidenceOf({ cni }));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /^the runtime uses \/etc\/cni\/net.d\/05-bridge.conf \(plugins bridge\), which is not flannel's; .*ignored after it: \/etc\/cni\/net.d\/10-flannel.conflist$/);
    assert.equal(checkCni(expectOf({ flannel: false }), evidenceOf({ cni }))[0]?.status, 'pass');
  });
  test('an unloadable config fails', () => {
    assert.equal(checkCni(expectOf(), evidenceOf({ cni: parseCniConfig('10-flannel.conflist\n', '{') }))[0]?.status, 'fail');
  });
});
