// The pure parts of `flannel set`: which nodes the new Network clashes with, and which keyspaces
// to write so every flannel of the cluster reads the new value.
import type { FlannelConfigFact, NodeFacts } from '../facts/types.js';
import { isUnserved } from './key-verdict.js';
import type { Reader } from './key-verdict.js';
import type { EtcdApi } from './keyspace.js';
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

export type WritePlan = { ok: true; apis: EtcdApi[]; why: string[] } | { ok: false; refused: string };

// The keyspaces to write: each one a flannel of the cluster reads (keyspace.ts), plus any other
// that already holds the key, so the copies stay one value. Refused, before anything is written,
// when a keyspace flannel reads cannot be written: v2 not served (etcd ≥ 3.4 without --enable-v2),
// or not readable at all.
export function planWrites(readers: readonly Reader[], old: FlannelConfigFact): WritePlan {
  const why: string[] = [];
  for (const { api, readers: who } of readers) {
    const r = old[api];
    if (isUnserved(r)) {
      return { ok: false, refused: `flannel reads the v2 keyspace (${who}), but etcd does not serve v2: start etcd with --enable-v2 (etcd 3.4 and 3.5; 3.6 has no v2), or run flannel ≥ 0.18 and set cluster.flannel.etcdApi: v3 (flannel-io/flannel#1057)` };
    }
    if (!r?.ok) return { ok: false, refused: `the ${api} keyspace, which flannel reads (${who}), could not be read: ${r ? r.error : 'not asked'}` };
    why.push(`${api}: flannel reads it (${who})`);
  }
  const apis = readers.map((r) => r.api);
  for (const api of ['v2', 'v3'] as const) {
    const r = old[api];
    if (!apis.includes(api) && r?.ok && r.found) {
      apis.push(api);
      why.push(`${api}: it holds the key already, and would otherwise keep the old value`);
    }
  }
  return { ok: true, apis: apis.sort(), why };
}
