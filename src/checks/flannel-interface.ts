import { flannelNodes } from './applies.js';
import { valueOf } from '../facts/types.js';
import { viewOf } from './cluster-view.js';
import { cidrContains, parseCidr } from '../util/ipv4.js';
import type { Check } from './types.js';
import { factError, result } from './result.js';

// The device each backend makes: vxlan → flannel.1 (kind vxlan), udp → flannel0 (a tun).
const DEVICES: Record<string, { ifname: string; kind: string }> = { vxlan: { ifname: 'flannel.1', kind: 'vxlan' }, udp: { ifname: 'flannel0', kind: 'tun' } };

// flanneld came up: its device exists, is up, and holds an address inside the node's lease.
export const flannelInterfaceCheck: Check = {
  id: 'flannel.interface',
  scope: 'cluster',
  appliesTo: flannelNodes,
  run(node, facts, ctx) {
    const id = 'flannel.interface';
    if (!ctx.inventory.cluster.flannel.enabled) return [];
    const backend = viewOf(ctx).flannel.backendType;
    if (backend !== undefined && !DEVICES[backend]) return [result(id, 'skip', null, null, `backend ${backend} uses no flannel device`)];
    if (!('ok' in facts.links)) return [factError(id, facts.links, 'flannel.1 or flannel0 up')];
    if (!('ok' in facts.addresses)) return [factError(id, facts.addresses, 'flannel.1 or flannel0 up')];
    const links = facts.links.ok;
    const addresses = facts.addresses.ok;
    // Backend unknown (config unreadable): whichever flannel device exists.
    const dev = backend ? DEVICES[backend] : Object.values(DEVICES).find((d) => links.some((l) => l.ifname === d.ifname));
    const lease = valueOf(facts.subnetEnv)?.subnet;
    const want = `${dev?.ifname ?? 'flannel.1 or flannel0'} up${lease ? ` with an address in ${lease}` : ''}`;
    const link = dev && links.find((l) => l.ifname === dev.ifname);
    if (!dev || !link) {
      const names = dev ? dev.ifname : 'flannel.1 (vxlan) nor flannel0 (udp)';
      return [result(id, 'fail', want, 'missing', `no ${names} on ${node.name}: flanneld has not set up its ${backend ?? ''} backend`.replace('  ', ' '))];
    }
    const addrs = addresses.filter((a) => a.ifname === dev.ifname && a.family === 'inet').map((a) => `${a.address}/${a.prefixlen}`);
    const actual = `${dev.ifname}${link.kind ? ` (${link.kind})` : ''} ${link.up ? 'up' : 'down'}, ${addrs.length ? addrs.join(', ') : 'no IPv4 address'}`;
    const problems: string[] = [];
    if (link.kind && link.kind !== dev.kind) problems.push(`${dev.ifname} is a ${link.kind} device, ${backend ?? 'its'} backend makes a ${dev.kind}`);
    if (!link.up) problems.push(`${dev.ifname} is down`);
    if (addrs.length === 0) problems.push(`${dev.ifname} has no IPv4 address`);
    else if (lease && parseCidr(lease) && !addrs.some((a) => cidrContains(lease, a.split('/')[0] ?? ''))) problems.push(`${dev.ifname} holds ${addrs.join(', ')}, outside the lease ${lease}`);
    if (problems.length) return [result(id, 'fail', want, actual, problems.join('; '))];
    return [result(id, 'pass', want, actual, `${actual}${lease ? ` inside lease ${lease}` : ' (no lease to compare the address with)'}`)];
  },
};
