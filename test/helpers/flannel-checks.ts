// Facts and context for the flannel.* checks: nodes with flannel up, a cluster with a flannel Network.
import type { CheckContext } from '../../src/checks/types.js';
import type { NodeFacts } from '../../src/facts/types.js';
import type { NodeSpec } from '../../src/inventory/types.js';
import { facts, flannel as flannelSpec, node } from '../fixtures/facts/builders.js';
import type { FactsInput } from '../fixtures/facts/builders.js';
import { buildClusterView } from '../../src/checks/cluster-view.js';
import { valueOf } from '../../src/facts/types.js';

export const KEY = '/coreos.com/network/config';
export const CONFIG = '{"Network": "10.1.0.0/16", "Backend": {"Type": "vxlan"}}';
export const etcd = node({ name: 'e1', roles: ['etcd', 'master'] });
export const w2 = node({ name: 'w2', host: '198.18.1.12', network: { interface: 'eth0', address: '198.18.1.12/24', gateway: '198.18.1.1', dns: [], routes: [] } });

// A node with flannel up: lease 10.1.I.1/24, flannel.1 holding 10.1.I.0/32.
export function flannelFacts(i: number, over: FactsInput = {}): NodeFacts {
  const base = facts();
  return facts({
    addresses: [...(valueOf(base.addresses) ?? []), { ifname: 'flannel.1', family: 'inet', address: `10.1.${i}.0`, prefixlen: 32 }],
    links: [{ ifname: 'lo', flags: ['UP'], up: true }, { ifname: 'eth0', kind: 'veth', flags: ['UP'], up: true }, { ifname: 'flannel.1', kind: 'vxlan', flags: ['UP'], up: true, vxlanId: 1 }],
    subnetEnv: { present: true, vars: {}, network: '10.1.0.0/16', subnet: `10.1.${i}.1/24` },
    ...over,
  });
}

export function context(nodes: NodeSpec[], all: NodeFacts[], flannel: Record<string, unknown> = { network: '10.1.0.0/16' }): CheckContext {
  const inventory = { path: '/t/inventory.yaml', cluster: { etcd: { endpoints: ['http://127.0.0.1:2379'] }, flannel: flannelSpec({ enabled: true, ...flannel }) }, nodes };
  return { inventory, cluster: buildClusterView(inventory, new Map(nodes.map((n, i) => [n.name, all[i] ?? null]))) };
}

export const status = (rs: { status: string; message: string }[]) => rs.map((r) => `${r.status}: ${r.message}`);
