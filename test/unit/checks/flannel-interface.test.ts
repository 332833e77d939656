import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flannelInterfaceCheck } from '../../../src/checks/flannel-interface.js';
import { KEY, context, etcd, flannelFacts, status } from '../../helpers/flannel-checks.js';

describe('flannel.lease (cross-node) and flannel.interface', () => {
  test('interface: missing, down, address outside the lease, a udp backend wants flannel0', () => {
    const cfg = (type: string) => ({ key: KEY, v2: { ok: true as const, found: true, value: `{"Network": "10.1.0.0/16", "Backend": {"Type": "${type}"}}` } });
    const gone = flannelFacts(1, { links: [] });
    assert.match(flannelInterfaceCheck.run(etcd, gone, context([etcd], [gone]))[0]?.message ?? '', /^no flannel\.1 \(vxlan\) nor flannel0 \(udp\) on e1/);
    const down = flannelFacts(1, { links: [{ ifname: 'flannel.1', kind: 'vxlan', flags: [], up: false }], flannelConfig: cfg('vxlan') });
    assert.equal(flannelInterfaceCheck.run(etcd, down, context([etcd], [down]))[0]?.message, 'flannel.1 is down');
    const moved = flannelFacts(1, { subnetEnv: { present: true, vars: {}, network: '10.1.0.0/16', subnet: '10.1.9.1/24' } });
    assert.equal(flannelInterfaceCheck.run(etcd, moved, context([etcd], [moved]))[0]?.message, 'flannel.1 holds 10.1.1.0/32, outside the lease 10.1.9.1/24');
    const udp = flannelFacts(1, { flannelConfig: cfg('udp') });
    assert.match(flannelInterfaceCheck.run(etcd, udp, context([etcd], [udp]))[0]?.message ?? '', /^no flannel0 on e1: flanneld has not set up its udp backend/);
    const hostgw = flannelFacts(1, { flannelConfig: cfg('host-gw') });
    assert.deepEqual(status(flannelInterfaceCheck.run(etcd, hostgw, context([etcd], [hostgw]))), ['skip: backend host-gw uses no flannel device']);
  });
});
