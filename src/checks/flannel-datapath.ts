import { flannelNodes } from './applies.js';
import { viewOf } from './cluster-view.js';
import type { Check } from './types.js';
import { result } from './result.js';

// Packets cross between nodes over flannel, at flannel's MTU: echoes to k peers' flannel
// addresses, sent in the cluster phase (run/datapath.ts) and judged together
// (flannel-datapath-blame.ts); this reads the verdict for the node.
export const flannelDatapathCheck: Check = {
  id: 'flannel.datapath',
  scope: 'cluster',
  appliesTo: flannelNodes,
  run(node, _facts, ctx) {
    const id = 'flannel.datapath';
    if (!ctx.inventory.cluster.flannel.enabled) return [];
    const v = viewOf(ctx).datapath?.get(node.name);
    if (!v) return [result(id, 'skip', null, null, 'not tested: the echoes were not sent in this run')];
    return [result(id, v.status, v.expected, v.actual, v.message)];
  },
};
