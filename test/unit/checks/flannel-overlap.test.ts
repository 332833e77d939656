import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flannelOverlapCheck } from '../../../src/checks/flannel-overlap.js';
import { facts } from '../../fixtures/facts/builders.js';
import { valueOf } from '../../../src/facts/types.js';
import { KEY, context, etcd, flannelFacts } from '../../helpers/flannel-checks.js';

describe('flannel.overlap', () => {
  test('a host route inside Network fails, naming the node, the route and both ranges', () => {
    const f = flannelFacts(1, { routes: [...(valueOf(facts().routes) ?? []), { dst: '10.1.200.0/24', gateway: '198.18.1.254', dev: 'eth0' }] });
    const [r] = flannelOverlapCheck.run(etcd, f, context([etcd], [f]));
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, 'e1: route 10.1.200.0/24 via 198.18.1.254 dev eth0 (10.1.200.0/24) overlaps flannel Network 10.1.0.0/16');
  });
  test('the inventory\'s Network is checked too when the key says another', () => {
    const f = flannelFacts(1, { flannelConfig: { key: KEY, v2: { ok: true, found: true, value: '{"Network": "10.1.0.0/16"}' } } });
    const [r] = flannelOverlapCheck.run(etcd, f, context([etcd], [f], { network: '198.18.0.0/16' }));
    assert.match(r?.message ?? '', /eth0 address 198\.18\.1\.11\/24 \(198\.18\.1\.0\/24\) overlaps flannel Network 198\.18\.0\.0\/16/);
  });
  test('healthy: pass', () => {
    assert.equal(flannelOverlapCheck.run(etcd, flannelFacts(1), context([etcd], [flannelFacts(1)]))[0]?.status, 'pass');
  });
});
