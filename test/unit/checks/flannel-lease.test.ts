import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flannelInterfaceCheck } from '../../../src/checks/flannel-interface.js';
import { flannelLeaseCheck } from '../../../src/checks/flannel-lease.js';
import type { NodeFacts } from '../../../src/facts/types.js';
import { context, etcd, flannelFacts, status, w2 } from '../../helpers/flannel-checks.js';

describe('flannel.lease (cross-node) and flannel.interface', () => {
  test('healthy: pass with the lease', () => {
    const all = [flannelFacts(1), flannelFacts(2)];
    const ctx = context([etcd, w2], all);
    assert.deepEqual(status(flannelLeaseCheck.run(w2, all[1] as NodeFacts, ctx)), ['pass: lease 10.1.2.1/24 inside 10.1.0.0/16']);
    assert.deepEqual(status(flannelInterfaceCheck.run(w2, all[1] as NodeFacts, ctx)), ['pass: flannel.1 (vxlan) up, 10.1.2.0/32 inside lease 10.1.2.1/24']);
  });
  test('two nodes with one lease: both fail, each naming the other', () => {
    const all = [flannelFacts(1), flannelFacts(1)];
    const ctx = context([etcd, w2], all);
    assert.match(flannelLeaseCheck.run(etcd, all[0] as NodeFacts, ctx)[0]?.message ?? '', /lease 10\.1\.1\.0\/24 is also held by w2 \(10\.1\.1\.1\/24\): e1 and w2 share one subnet/);
    assert.match(flannelLeaseCheck.run(w2, all[1] as NodeFacts, ctx)[0]?.message ?? '', /also held by e1/);
  });
  test('lease outside Network, wrong FLANNEL_NETWORK, wrong SubnetLen, no file', () => {
    const out = flannelFacts(1, { subnetEnv: { present: true, vars: {}, network: '10.9.0.0/16', subnet: '10.9.1.1/26' } });
    const [r] = flannelLeaseCheck.run(etcd, out, context([etcd], [out], { network: '10.1.0.0/16', subnetLen: 24 }));
    assert.equal(r?.message, 'FLANNEL_NETWORK is 10.9.0.0/16, cluster.flannel.network says 10.1.0.0/16; lease 10.9.1.0/26 is outside Network 10.1.0.0/16; lease 10.9.1.0/26 is a /26, SubnetLen is 24');
    const none = flannelFacts(1, { subnetEnv: { present: false } });
    assert.match(flannelLeaseCheck.run(etcd, none, context([etcd], [none]))[0]?.message ?? '', /^no \/run\/flannel\/subnet\.env: flanneld has not taken a lease/);
  });
});
