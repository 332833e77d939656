import { flannelNodes } from './applies.js';
import type { ReachResult } from '../facts/gatherers/etcd-reach-script.js';
import { isLoopbackUrl } from '../inventory/rules/flannel-etcd.js';
import { factError, list, result } from './result.js';
import type { Check } from './types.js';

// What to do about one endpoint that does not answer, by why.
function hint(r: ReachResult, node: string, etcdNode: boolean): string {
  if (isLoopbackUrl(r.endpoint) && !etcdNode) return `${r.endpoint} is ${node}'s own loopback, and ${node} runs no etcd: list the etcd node's address instead, with etcd listening there (listen_client_urls)`;
  if (r.errno === 'ECONNREFUSED') return 'nothing listens there: make etcd listen on that address (listen_client_urls), not only on 127.0.0.1';
  if (r.errno?.startsWith('EAI_')) return `the name does not resolve on ${node}`;
  return `check the route and any firewall between ${node} and that address`;
}

// Can this node's flanneld reach etcd? A TCP connect from the node to each endpoint it dials
// (its unit's, else the inventory's). None answering is a failure (flanneld cannot start); some
// not answering is a warning (its etcd client moves on to the next).
export const flannelEtcdReachCheck: Check = {
  id: 'flannel.etcd-reach',
  scope: 'node',
  appliesTo: flannelNodes,
  needs: ['etcdReach'],
  run(node, facts, ctx) {
    const id = 'flannel.etcd-reach';
    if (!ctx.inventory.cluster.flannel.enabled) return [];
    const want = 'every etcd endpoint flanneld dials accepts TCP from this node';
    if (!('ok' in facts.etcdReach)) return [factError(id, facts.etcdReach, want)];
    const f = facts.etcdReach.ok;
    if (!f.ok) return [result(id, 'error', want, null, `Could not check ${list(f.endpoints)} (${f.from}): ${f.error}`)];
    const etcdNode = node.roles.includes('etcd');
    const down = f.results.filter((r) => !r.ok);
    const up = f.results.filter((r) => r.ok);
    const said = (r: ReachResult) => `${node.name} cannot reach etcd at ${r.endpoint} (${r.errno}: ${r.reason}): ${hint(r, node.name, etcdNode)}`;
    const invalid = f.invalid.map((i) => `${i.endpoint}: ${i.why}`);
    const actual = [...up.map((r) => `${r.endpoint} ok`), ...down.map((r) => `${r.endpoint} ${r.errno}`), ...f.invalid.map((i) => `${i.endpoint} not tried`)].join(', ') || 'no endpoint';
    if (!up.length) {
      const why = [...down.map(said), ...invalid].join('; ') || 'no endpoint to dial';
      return [result(id, 'fail', want, actual, `${why} (endpoints from ${f.from})`)];
    }
    const ok = `${list(up.map((r) => r.endpoint))} accept${up.length === 1 ? 's' : ''} TCP from ${node.name} (endpoints from ${f.from})`;
    if (!down.length && !invalid.length) return [result(id, 'pass', want, actual, ok)];
    return [result(id, 'pass', want, actual, `warning: ${[...down.map(said), ...invalid].join('; ')}; flanneld's etcd client moves on to the endpoints that answer — ${ok}`)];
  },
};
