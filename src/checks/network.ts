import { everyNode } from './applies.js';
import type { AddressFact } from '../facts/types.js';
import type { Check } from './types.js';
import { factError, list, NO_NETWORK, result } from './result.js';

const cidr = (a: AddressFact): string => `${a.address}/${a.prefixlen}`;
const sameIp = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

// The node's own address, on the interface and with the prefix the inventory gives.
export const addressCheck: Check = {
  id: 'net.address',
  scope: 'node',
  appliesTo: everyNode,
  run(node, facts) {
    const id = 'net.address';
    const net = node.network;
    if (!net) return [result(id, 'skip', null, null, NO_NETWORK)];
    const [ip = '', plen = ''] = net.address.split('/');
    const want = `${net.address} on ${net.interface}`;
    if (!('ok' in facts.addresses)) return [factError(id, facts.addresses, want)];
    const addresses = facts.addresses.ok;
    const matches = addresses.filter((a) => sameIp(a.address, ip));
    const exact = matches.find((a) => a.ifname === net.interface && String(a.prefixlen) === plen);
    if (exact) return [result(id, 'pass', want, want, want)];
    if (matches.length > 0) {
      const found = matches.map((a) => `${cidr(a)} on ${a.ifname}`).join(', ');
      const said = matches.map((a) => `${cidr(a)} found on ${a.ifname}`).join(', ');
      const onIface = matches.some((a) => a.ifname === net.interface);
      const why = onIface ? `expected /${plen}` : `expected on ${net.interface}`;
      return [result(id, 'fail', want, found, `${said}, ${why}`)];
    }
    const there = addresses.filter((a) => a.ifname === net.interface && a.family === 'inet').map(cidr);
    const has = there.length ? `${net.interface} has ${there.join(', ')}` : `${net.interface} has no IPv4 address`;
    return [result(id, 'fail', want, there.length ? there.join(', ') : 'none', `${ip} is not on this node; ${has}`)];
  },
};

// The default route: where traffic to the rest of the world (and the registry) goes.
export const gatewayCheck: Check = {
  id: 'net.gateway',
  scope: 'node',
  appliesTo: everyNode,
  run(node, facts) {
    const id = 'net.gateway';
    const net = node.network;
    if (!net) return [result(id, 'skip', null, null, NO_NETWORK)];
    if (!net.gateway) return [result(id, 'skip', null, null, 'no gateway in the inventory for this node')];
    const want = `via ${net.gateway} dev ${net.interface}`;
    if (!('ok' in facts.routes)) return [factError(id, facts.routes, want)];
    const defaults = facts.routes.ok.filter((r) => r.dst === 'default');
    if (defaults.length === 0) return [result(id, 'fail', want, 'none', 'no default route')];
    const actual = defaults
      .map((r) => [r.gateway ? `via ${r.gateway}` : 'no gateway', r.dev && `dev ${r.dev}`].filter(Boolean).join(' '))
      .join(', ');
    const viaGw = defaults.filter((r) => r.gateway !== undefined && sameIp(r.gateway, net.gateway ?? ''));
    // A route with no dev printed is fine: the kernel picks the device from the gateway.
    if (viaGw.some((r) => r.dev === undefined || r.dev === net.interface)) {
      return [result(id, 'pass', want, actual, `default route ${want}`)];
    }
    if (viaGw.length > 0) {
      const devs = list(viaGw.map((r) => r.dev ?? '?'));
      return [result(id, 'fail', want, actual, `default route via ${net.gateway} uses dev ${devs}, expected ${net.interface}`)];
    }
    return [result(id, 'fail', want, actual, `default route goes ${actual}, expected ${want}`)];
  },
};
