import { flannelNodes } from './applies.js';
import { viewOf } from './cluster-view.js';
import { clashes, describeClash, factRanges, inventoryRanges } from '../flannel/overlap.js';
import type { Check } from './types.js';
import { factError, result } from './result.js';

// The setup guide's warning: a flannel Network that overlaps a host network takes sshd's traffic into
// the overlay. Compares Network with what the node has and with what the inventory gives it.
export const flannelOverlapCheck: Check = {
  id: 'flannel.overlap',
  scope: 'cluster',
  appliesTo: flannelNodes,
  run(node, facts, ctx) {
    const id = 'flannel.overlap';
    if (!ctx.inventory.cluster.flannel.enabled) return [];
    const fl = viewOf(ctx).flannel;
    const networks = [...new Set([fl.network, ctx.inventory.cluster.flannel.network].filter((n): n is string => n !== undefined))];
    if (networks.length === 0) return [result(id, 'skip', null, null, 'no flannel Network known: the config key is not readable and cluster.flannel.network is not set')];
    const want = `${networks.join(', ')} apart from every host network of ${node.name}`;
    if (!('ok' in facts.addresses)) return [factError(id, facts.addresses, want)];
    if (!('ok' in facts.routes)) return [factError(id, facts.routes, want)];
    const found = networks.flatMap((network) => {
      const ranges = [...factRanges(facts, { ...fl, network }), ...inventoryRanges(node)];
      return clashes(network, ranges);
    });
    if (found.length === 0) {
      const n = new Set([...factRanges(facts, { ...fl, network: networks[0] ?? '' }), ...inventoryRanges(node)].map((r) => r.range)).size;
      return [result(id, 'pass', want, 'no overlap', `${networks.join(', ')} overlaps none of ${n} host ranges of ${node.name}`)];
    }
    const actual = found.map((c) => `${c.what} (${c.range})`).join(', ');
    return [result(id, 'fail', want, actual, `${node.name}: ${found.map(describeClash).join('; ')}`)];
  },
};
