// flannel.etcd-reach: can each node's flanneld reach the etcd endpoints it dials? One exec per
// flannel node: a TCP connect to every endpoint at once (etcd-reach-script.ts).
import type { Inventory, NodeSpec } from '../../inventory/types.js';
import { readFlanneldUnit, unitEtcdEndpoints } from '../parse/flanneld-unit.js';
import type { EtcdReachFact, Gatherer, NodeFacts } from '../types.js';
import { CONNECT_TIMEOUT_S, parseReach, reachScript, reachTargets } from './etcd-reach-script.js';

export interface FlannelEndpoints {
  endpoints: string[];
  from: string; // for messages: "FLANNELD_ETCD_ENDPOINTS in /etc/…/20-clct-flannel.conf"
}

// The endpoints a node's flanneld dials: what its unit names (FLANNELD_ETCD_ENDPOINTS or
// --etcd-endpoints), else what the inventory says for the node, else for the cluster.
export function flannelEtcdEndpoints(node: NodeSpec, inventory: Inventory, facts: Pick<NodeFacts, 'flannelUnit'>): FlannelEndpoints {
  const fromUnit = facts.flannelUnit ? unitEtcdEndpoints(readFlanneldUnit(facts.flannelUnit)) : undefined;
  if (fromUnit) return fromUnit;
  if (node.etcd?.endpoints?.length) return { endpoints: [...node.etcd.endpoints], from: `${node.name}'s etcd.endpoints in the inventory` };
  return { endpoints: [...inventory.cluster.etcd.endpoints], from: 'cluster.etcd.endpoints in the inventory' };
}

export async function gatherEtcdReach(t: Parameters<Gatherer['gather']>[0], node: NodeSpec, inventory: Inventory, timeoutMs: number, facts: NodeFacts): Promise<EtcdReachFact> {
  const { endpoints, from } = flannelEtcdEndpoints(node, inventory, facts);
  const { targets, invalid } = reachTargets(endpoints);
  if (!targets.length) return { ok: true, from, results: [], invalid };
  let out;
  try {
    out = await t.exec(reachScript(targets), { timeoutMs: Math.min(timeoutMs, (CONNECT_TIMEOUT_S + 3) * 1000) });
  } catch (err) {
    return { ok: false, from, endpoints, error: `could not run the TCP check: ${(err as Error).message}` };
  }
  const r = parseReach(out.stdout, targets);
  return r.ok ? { ok: true, from, results: r.results, invalid } : { ok: false, from, endpoints, error: r.error };
}

export const etcdReachGatherer: Gatherer = {
  name: 'flannel.etcd-reach',
  applies: (_node, inventory) => inventory.cluster.flannel.enabled,
  async gather(t, node, inventory, timeoutMs, facts) {
    facts.etcdReach = await gatherEtcdReach(t, node, inventory, timeoutMs, facts);
  },
};
