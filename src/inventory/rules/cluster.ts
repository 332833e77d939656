// Cluster rules an inventory can be checked against without SSH (`clusterctl lint`): what the
// loader checks per field, plus flannel's Network against every address the nodes are given,
// route gateways on-link, an etcd node for flannel to read its config from, and an etcd endpoint
// other than loopback for flannel on the nodes without etcd. Pure.
import type { Inventory } from '../types.js';
import type { RawProblem } from '../problems.js';
import { flannelEtcdReachRule } from './flannel-etcd.js';
import { cidrContains, cidrOverlap, formatNetwork, parseCidr, parseIPv4 } from '../../util/ipv4.js';

const overlaps = (network: string, text: string): string | undefined => {
  const c = parseCidr(text) ?? (parseIPv4(text) !== undefined ? parseCidr(`${text}/32`) : undefined);
  return c && cidrOverlap(network, c) ? formatNetwork(c) : undefined;
};

export function clusterRules(inv: Inventory): RawProblem[] {
  const out: RawProblem[] = [];
  const network = inv.cluster.flannel.network;
  const flannelOn = inv.cluster.flannel.enabled === true;
  const fl = network !== undefined && parseCidr(network) ? network : undefined;
  const clash = (path: (string | number)[], what: string, value: string | undefined) => {
    const range = fl && value !== undefined ? overlaps(fl, value) : undefined;
    if (range !== undefined) {
      out.push({ path, message: `${what} ${value} (${range}) overlaps the flannel Network ${fl} (cluster.flannel.network): traffic to it would go into the overlay, sshd's included` });
    }
  };
  inv.nodes.forEach((node, i) => {
    const net = node.network;
    if (!net) return;
    const at = (...rest: (string | number)[]) => ['nodes', i, 'network', ...rest];
    clash(at('address'), 'address', net.address);
    clash(at('gateway'), 'gateway', net.gateway);
    net.routes.forEach((r, j) => {
      clash(at('routes', j, 'destination'), 'route destination', r.destination);
      clash(at('routes', j, 'gateway'), 'route gateway', r.gateway);
      // A next hop must be reachable on the link, i.e. inside the node's own subnet.
      const subnet = parseCidr(net.address);
      if (subnet && parseIPv4(r.gateway) !== undefined && !cidrContains(subnet, r.gateway)) {
        out.push({ path: at('routes', j, 'gateway'), message: `${r.gateway} is not on-link: it is outside ${formatNetwork(subnet)}, the subnet of ${net.interface} (${net.address})` });
      }
    });
  });
  if (flannelOn && !inv.nodes.some((n) => n.roles.includes('etcd'))) {
    out.push({ path: ['nodes'], message: 'flannel reads its config from etcd, but no node has role etcd: add etcd to the roles of the etcd nodes' });
  }
  out.push(...flannelEtcdReachRule(inv));
  return out;
}
