// flannel.etcd-reach: can each node's flanneld reach the etcd endpoints it dials? A TCP connect to
// every endpoint at once (etcd-reach-script.ts), as the last part of the node's batch.
import type { Inventory, NodeSpec } from '../../inventory/types.js';
import { readFlanneldUnit, unitEtcdEndpoints } from '../parse/flanneld-unit.js';
import { valueOf } from '../../util/fact.js';
import type { EtcdReachFact } from '../values.js';
import type { ProbeFacts } from '../collectors/sections.js';
import type { Parts } from '../../util/frames.js';
import { parseReach, reachTargets } from './etcd-reach-script.js';
import type { ReachTarget } from './etcd-reach-script.js';

export interface FlannelEndpoints {
  endpoints: string[];
  from: string; // for messages: "FLANNELD_ETCD_ENDPOINTS in /etc/…/20-clct-flannel.conf"
}

// The endpoints a node's flanneld dials: what its unit names (FLANNELD_ETCD_ENDPOINTS or
// --etcd-endpoints), else what the inventory says for the node, else for the cluster.
export function flannelEtcdEndpoints(node: NodeSpec, inventory: Inventory, facts: Pick<ProbeFacts, 'flannelUnit'>): FlannelEndpoints {
  const unit = valueOf(facts.flannelUnit);
  const fromUnit = unit ? unitEtcdEndpoints(readFlanneldUnit(unit)) : undefined;
  if (fromUnit) return fromUnit;
  if (node.etcd?.endpoints?.length) return { endpoints: [...node.etcd.endpoints], from: `${node.name}'s etcd.endpoints in the inventory` };
  return { endpoints: [...inventory.cluster.etcd.endpoints], from: 'cluster.etcd.endpoints in the inventory' };
}

// What to connect to, and what cannot be tried (with why).
export interface ReachPlan extends FlannelEndpoints {
  targets: ReachTarget[];
  invalid: { endpoint: string; why: string }[];
}

export function planReach(node: NodeSpec, inventory: Inventory, facts: Pick<ProbeFacts, 'flannelUnit'>): ReachPlan {
  const ends = flannelEtcdEndpoints(node, inventory, facts);
  return { ...ends, ...reachTargets(ends.endpoints) };
}

// The reach parts of the batch (or why the batch could not run) as the fact.
export function readReach(plan: ReachPlan, parts: Parts | { error: string }): EtcdReachFact {
  const { from, endpoints, targets, invalid } = plan;
  if (!targets.length) return { ok: true, from, results: [], invalid };
  if ('error' in parts) return { ok: false, from, endpoints, error: `could not run the TCP check: ${parts.error}` };
  const r = parseReach(parts, targets);
  return r.ok ? { ok: true, from, results: r.results, invalid } : { ok: false, from, endpoints, error: r.error };
}
