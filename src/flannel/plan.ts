// The pure parts of `flannel set`: which nodes the new Network clashes with, and which keyspaces
// to write so flannel reads the new value.
import type { FlannelConfigFact, FlannelKeyRead, NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../inventory/types.js';
import type { Clash } from './overlap.js';
import { clashes, factRanges, inventoryRanges } from './overlap.js';

export interface NodeClash {
  node: string;
  clash: Clash;
}

// Every clash of `network` with a node's actual ranges (facts) and its inventory ranges.
export function clashesAcross(network: string, nodes: readonly { node: NodeSpec; facts: NodeFacts }[], subnetLen?: number, backendType?: string): NodeClash[] {
  return nodes.flatMap(({ node, facts }) => {
    const ranges = [...factRanges(facts, { network, ...(subnetLen ? { subnetLen } : {}), ...(backendType ? { backendType } : {}) }), ...inventoryRanges(node)];
    return clashes(network, ranges).map((clash) => ({ node: node.name, clash }));
  });
}

// v2 or v3 as configured; for auto, every keyspace that answered (so whichever flannel version
// runs finds the same value). None answered: nothing can be written.
export function apisToWrite(etcdApi: 'auto' | 'v2' | 'v3', read: FlannelConfigFact): ('v2' | 'v3')[] {
  if (etcdApi !== 'auto') return [etcdApi];
  const answered = (r: FlannelKeyRead | undefined) => r !== undefined && r.ok;
  return (['v2', 'v3'] as const).filter((api) => answered(read[api]));
}
