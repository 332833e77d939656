// Who reads the flannel config key from which keyspace, across the cluster: each flannel node's
// decision (keyspace.ts) from the evidence its probe found. Pure.
import { parseFlannelVersion, readFlanneldUnit, unitFlannelVersion } from '../facts/parse/flanneld-unit.js';
import type { FlannelVersion } from '../facts/parse/flanneld-unit.js';
import { valueOf } from '../facts/types.js';
import type { FlannelConfigFact, NodeFacts } from '../facts/types.js';
import type { Inventory } from '../inventory/types.js';
import { decideKeyspace, groupByKeyspace } from './keyspace.js';
import type { EtcdApi, KeyspaceDecision, NodeDecision } from './keyspace.js';
import type { Reader } from './key-verdict.js';

// The flannel a node runs: its flanneld.service says (the flannel-wrapper's image tag), else the
// flanneld on its PATH.
export function nodeFlannelVersion(facts: Pick<NodeFacts, 'flannelUnit' | 'flanneldVersion'>): FlannelVersion | undefined {
  const unit = valueOf(facts.flannelUnit);
  const fromUnit = unit ? unitFlannelVersion(readFlanneldUnit(unit)) : undefined;
  if (fromUnit) return fromUnit;
  const onPath = valueOf(facts.flanneldVersion);
  return onPath ? parseFlannelVersion(onPath, `\`flanneld --version\` on PATH says ${onPath}`) : undefined;
}

export const nodeKeyspace = (inventory: Inventory, facts: Pick<NodeFacts, 'flannelUnit' | 'flanneldVersion'>): KeyspaceDecision =>
  decideKeyspace(inventory.cluster.flannel.etcdApi, nodeFlannelVersion(facts));

export interface ClusterReaders {
  readers: Reader[]; // the keyspaces some flannel reads, v2 first
  decisions: NodeDecision[];
  warnings: string[]; // etcdApi overriding what a node's flannel reads
}

// Every flannel node whose facts were gathered (flannel runs on every node of a flannel cluster).
// Worked out once per run (checks/cluster-view.ts), not once per node and check.
export function clusterReaders(inventory: Inventory, facts: ReadonlyMap<string, NodeFacts | null>): ClusterReaders {
  const decisions: NodeDecision[] = [];
  for (const n of inventory.nodes) {
    const f = facts.get(n.name);
    if (f) decisions.push({ node: n.name, decision: nodeKeyspace(inventory, f) });
  }
  const groups = groupByKeyspace(decisions);
  const readers = [...groups].map(([api, g]): Reader => ({ api, readers: g.reasons }));
  const byWarning = new Map<string, string[]>();
  for (const d of decisions) if (d.decision.warning) byWarning.set(d.decision.warning, [...(byWarning.get(d.decision.warning) ?? []), d.node]);
  const warnings = [...byWarning].map(([w, nodes]) => `warning: ${nodes.join(', ')}: ${w}`);
  return { readers, decisions, warnings };
}

// The key as some etcd node read it, in one keyspace: null when that keyspace answered "not set",
// undefined when no node could read it.
export function keyIn(inventory: Inventory, facts: ReadonlyMap<string, NodeFacts | null>, api: EtcdApi): { value: string | null; fact: FlannelConfigFact } | undefined {
  for (const n of inventory.nodes) {
    const fact = valueOf(facts.get(n.name)?.flannelConfig);
    const r = fact?.[api];
    if (fact && r?.ok) return { value: r.found ? r.value : null, fact };
  }
  return undefined;
}
