import { flannelNodes } from './applies.js';
import { viewOf } from './cluster-view.js';
import { cidrContains, formatNetwork, parseCidr } from '../util/ipv4.js';
import type { Check } from './types.js';
import { factError, result } from './result.js';

// flanneld's lease (/run/flannel/subnet.env): inside Network, of SubnetLen, held by this node only.
export const flannelLeaseCheck: Check = {
  id: 'flannel.lease',
  scope: 'cluster',
  appliesTo: flannelNodes,
  run(node, facts, ctx) {
    const id = 'flannel.lease';
    if (!ctx.inventory.cluster.flannel.enabled) return [];
    const view = viewOf(ctx);
    const fl = view.flannel;
    const want = [fl.network ? `a /${fl.subnetLen ?? '?'} inside ${fl.network}` : 'a lease', 'held by no other node'].join(', ');
    const f = facts.subnetEnv;
    if ('error' in f) return [factError(id, f, want)];
    if ('absent' in f) return [result(id, 'fail', want, 'no /run/flannel/subnet.env', 'no /run/flannel/subnet.env: flanneld has not taken a lease on this node (is flanneld running? see `journalctl -u flanneld`)')];
    const env = f.ok;
    const actual = `FLANNEL_NETWORK=${env.network ?? '(unset)'} FLANNEL_SUBNET=${env.subnet ?? '(unset)'}`;
    const problems: string[] = [];
    const network = fl.network ?? env.network;
    if (fl.network && env.network !== fl.network) problems.push(`FLANNEL_NETWORK is ${env.network ?? 'unset'}, ${fl.source} says ${fl.network}`);
    const subnet = env.subnet ? parseCidr(env.subnet) : undefined;
    if (!subnet) problems.push(`FLANNEL_SUBNET ${env.subnet ?? 'is unset'}${env.subnet ? ' is not an IPv4 CIDR' : ''}`);
    else {
      const block = formatNetwork(subnet);
      if (network && parseCidr(network) && (!cidrContains(network, subnet.address) || subnet.prefix < (parseCidr(network)?.prefix ?? 0))) {
        problems.push(`lease ${block} is outside Network ${network}`);
      }
      if (fl.subnetLen !== undefined && subnet.prefix !== fl.subnetLen) problems.push(`lease ${block} is a /${subnet.prefix}, SubnetLen is ${fl.subnetLen}`);
      for (const o of view.sharedLeases.get(node.name) ?? []) problems.push(`lease ${block} is also held by ${o.node} (${o.subnet}): ${node.name} and ${o.node} share one subnet`);
    }
    if (problems.length) return [result(id, 'fail', want, actual, problems.join('; '))];
    return [result(id, 'pass', want, actual, `lease ${env.subnet} inside ${network ?? '(no Network known)'}`)];
  },
};
