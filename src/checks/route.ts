import { everyNode } from './applies.js';
import { withPrefix } from '../facts/parse/routes.js';
import type { RouteFact } from '../facts/types.js';
import type { Check, CheckResult } from './types.js';
import { factError, NO_NETWORK, result } from './result.js';

const describe = (r: RouteFact): string =>
  [r.gateway ? `via ${r.gateway}` : 'with no gateway', r.dev && `dev ${r.dev}`].filter(Boolean).join(' ');

// Static routes from the inventory: one result per route, so the report names each one.
export const routeCheck: Check = {
  id: 'net.route',
  scope: 'node',
  appliesTo: everyNode,
  run(node, facts) {
    const id = 'net.route';
    const net = node.network;
    if (!net) return [result(id, 'skip', null, null, NO_NETWORK)];
    if (net.routes.length === 0) return [result(id, 'skip', null, null, 'no routes in the inventory for this node')];
    const fact = facts.routes;
    return net.routes.map((spec): CheckResult => {
      const dst = withPrefix(spec.destination);
      const want = `${dst} via ${spec.gateway}`;
      if (!('ok' in fact)) return factError(id, fact, want);
      const routes = fact.ok;
      const found = routes.filter((r) => r.dst === dst);
      const actual = found.map((r) => `${dst} ${describe(r)}`).join(', ');
      if (found.some((r) => r.gateway === spec.gateway)) return result(id, 'pass', want, actual, `route ${want}`);
      if (found.length === 0) return result(id, 'fail', want, 'none', `no route to ${dst}`);
      return result(id, 'fail', want, actual, `route to ${dst} goes ${found.map(describe).join(', ')}, expected via ${spec.gateway}`);
    });
  },
};
