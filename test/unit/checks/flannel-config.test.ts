import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flannelConfigCheck } from '../../../src/checks/flannel-config.js';
import { flannelInterfaceCheck } from '../../../src/checks/flannel-interface.js';
import { flannelLeaseCheck } from '../../../src/checks/flannel-lease.js';
import { flannelOverlapCheck } from '../../../src/checks/flannel-overlap.js';
import type { CheckContext } from '../../../src/checks/types.js';
import type { NodeFacts } from '../../../src/facts/types.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { facts, flannel as flannelSpec, node } from '../../fixtures/facts/builders.js';

const KEY = '/coreos.com/network/config';
const CONFIG = '{"Network": "10.1.0.0/16", "Backend": {"Type": "vxlan"}}';
const etcd = node({ name: 'e1', roles: ['etcd', 'master'] });
const w2 = node({ name: 'w2', host: '198.18.1.12', network: { interface: 'eth0', address: '198.18.1.12/24', gateway: '198.18.1.1', dns: [], routes: [] } });

// A node with flannel up: lease 10.1.I.1/24, flannel.1 holding 10.1.I.0/32.
function flannelFacts(i: number, over: Partial<NodeFacts> = {}): NodeFacts {
  const base = facts();
  return facts({
    addresses: [...(base.addresses ?? []), { ifname: 'flannel.1', family: 'inet', address: `10.1.${i}.0`, prefixlen: 32 }],
    links: [{ ifname: 'lo', flags: ['UP'], up: true }, { ifname: 'eth0', kind: 'veth', flags: ['UP'], up: true }, { ifname: 'flannel.1', kind: 'vxlan', flags: ['UP'], up: true, vxlanId: 1 }],
    subnetEnv: { present: true, vars: {}, network: '10.1.0.0/16', subnet: `10.1.${i}.1/24` },
    ...over,
  });
}

function context(nodes: NodeSpec[], all: NodeFacts[], flannel: Record<string, unknown> = { network: '10.1.0.0/16' }): CheckContext {
  return {
    inventory: { path: '/t/inventory.yaml', cluster: { etcd: { endpoints: ['http://127.0.0.1:2379'] }, flannel: flannelSpec({ enabled: true, ...flannel }) }, nodes },
    facts: new Map(nodes.map((n, i) => [n.name, all[i] ?? null])),
  };
}

const status = (rs: { status: string; message: string }[]) => rs.map((r) => `${r.status}: ${r.message}`);

describe('flannel.config', () => {
  const withConfig = (v2: NodeFacts['flannelConfig']) => flannelFacts(1, { flannelConfig: v2 });
  test('found in both keyspaces and valid: pass, saying where', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: true, value: CONFIG } });
    const [r] = flannelConfigCheck.run(etcd, f, context([etcd, w2], [f, flannelFacts(2)]));
    assert.equal(r?.status, 'pass');
    assert.equal(r?.message, `Network 10.1.0.0/16, SubnetLen 24, Backend vxlan — ${KEY} in both the v2 and v3 keyspaces (same value)`);
  });
  test('different values in v2 and v3: pass with a warning', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: true, value: '{"Network": "10.9.0.0/16"}' } });
    assert.match(flannelConfigCheck.run(etcd, f, context([etcd], [f]))[0]?.message ?? '', /; warning: the v3 keyspace holds a different value/);
  });
  test('missing: fail; unreadable: error; invalid: fail with every problem', () => {
    const missing = withConfig({ key: KEY, v2: { ok: true, found: false, value: '' }, v3: { ok: true, found: false, value: '' } });
    assert.equal(flannelConfigCheck.run(etcd, missing, context([etcd], [missing]))[0]?.status, 'fail');
    const down = withConfig({ key: KEY, v2: { ok: false, error: 'etcdctl exited 4: Error: client: etcd cluster is unavailable or misconfigured' } });
    assert.deepEqual(status(flannelConfigCheck.run(etcd, down, context([etcd], [down], { etcdApi: 'v2' }))), ['error: Could not check: could not read /coreos.com/network/config: v2: etcdctl exited 4: Error: client: etcd cluster is unavailable or misconfigured']);
    const wrong = withConfig({ key: KEY, v2: { ok: true, found: true, value: '{"Network": "10.2.0.0/16", "SubnetLen": 40}' } });
    const [r] = flannelConfigCheck.run(etcd, wrong, context([etcd], [wrong]));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /Network is 10\.2\.0\.0\/16, the inventory says 10\.1\.0\.0\/16 \(cluster\.flannel\.network\); SubnetLen 40 is over 30/);
  });
  test('reported on the etcd nodes only; without any etcd node, skipped with what to do', () => {
    assert.deepEqual(flannelConfigCheck.run(w2, flannelFacts(2), context([etcd, w2], [flannelFacts(1), flannelFacts(2)])), []);
    assert.match(flannelConfigCheck.run(w2, flannelFacts(2), context([w2], [flannelFacts(2)]))[0]?.message ?? '', /no etcd node in the inventory/);
  });
  test('flannel not described in the inventory: no flannel results at all', () => {
    const ctx = context([etcd], [flannelFacts(1)]);
    ctx.inventory.cluster.flannel = flannelSpec();
    for (const c of [flannelConfigCheck, flannelOverlapCheck, flannelLeaseCheck, flannelInterfaceCheck]) assert.deepEqual(c.run(etcd, flannelFacts(1), ctx), []);
  });
});

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

describe('flannel.overlap', () => {
  test('a host route inside Network fails, naming the node, the route and both ranges', () => {
    const f = flannelFacts(1, { routes: [...(facts().routes ?? []), { dst: '10.1.200.0/24', gateway: '198.18.1.254', dev: 'eth0' }] });
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
