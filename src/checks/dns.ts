import type { Check } from './types.js';
import { factError, list, NO_NETWORK, result } from './result.js';

// Nameservers in /etc/resolv.conf, in the inventory's order: the resolver asks them in order,
// so a right set in the wrong order still sends queries to the wrong server first.
export const dnsCheck: Check = {
  id: 'net.dns',
  run(node, facts) {
    const id = 'net.dns';
    const net = node.network;
    if (!net) return [result(id, 'skip', null, null, NO_NETWORK)];
    if (net.dns.length === 0) return [result(id, 'skip', null, null, 'no dns servers in the inventory for this node')];
    const want = list(net.dns);
    if (!facts.resolv) return [factError(id, facts, 'resolv', want)];

    const got = facts.resolv.nameservers;
    const actual = list(got);
    if (got.length === net.dns.length && got.every((ns, i) => ns === net.dns[i])) {
      return [result(id, 'pass', want, actual, `nameservers ${actual}`)];
    }
    if (got.length === 0) {
      return [result(id, 'fail', want, actual, `no nameserver in /etc/resolv.conf, expected ${want}`)];
    }
    const missing = net.dns.filter((ns) => !got.includes(ns));
    const extra = got.filter((ns) => !net.dns.includes(ns));
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${list(missing)}`);
    if (extra.length) parts.push(`unexpected ${list(extra)}`);
    const why = parts.length ? parts.join('; ') : 'same nameservers in a different order';
    return [result(id, 'fail', want, actual, `/etc/resolv.conf has ${actual}: ${why} (expected ${want})`)];
  },
};
