import { everyNode } from './applies.js';
import type { Check } from './types.js';
import { factError, list, NO_NETWORK, result } from './result.js';

export const RESOLVED_STUB = '127.0.0.53';
const RESOLVED_FILE = '/run/systemd/resolve/resolv.conf';

// Nameservers in /etc/resolv.conf, in the inventory's order: the resolver asks them in order,
// so a right set in the wrong order still sends queries to the wrong server first. When
// /etc/resolv.conf is systemd-resolved's stub, the servers that count are the ones resolved
// forwards to, which it lists in /run/systemd/resolve/resolv.conf.
export const dnsCheck: Check = {
  id: 'net.dns',
  scope: 'node',
  appliesTo: everyNode,
  run(node, facts) {
    const id = 'net.dns';
    const net = node.network;
    if (!net) return [result(id, 'skip', null, null, NO_NETWORK)];
    if (net.dns.length === 0) return [result(id, 'skip', null, null, 'no dns servers in the inventory for this node')];
    const want = list(net.dns);
    if (!('ok' in facts.resolv)) return [factError(id, facts.resolv, want)];

    let file = '/etc/resolv.conf';
    let via = '';
    let got = facts.resolv.ok.nameservers;
    const stub = got.length === 1 && got[0] === RESOLVED_STUB && !net.dns.includes(RESOLVED_STUB);
    if (stub) {
      const resolved = facts.resolvResolved;
      if ('error' in resolved) return [factError(id, resolved, want)];
      if ('absent' in resolved) {
        return [result(id, 'fail', want, RESOLVED_STUB, `/etc/resolv.conf points at systemd-resolved's stub ${RESOLVED_STUB}, but ${RESOLVED_FILE} does not exist: is systemd-resolved running? (expected ${want})`)];
      }
      file = RESOLVED_FILE;
      via = ` (systemd-resolved: /etc/resolv.conf is its stub ${RESOLVED_STUB}; servers read from ${RESOLVED_FILE})`;
      got = resolved.ok.nameservers;
    }
    const actual = list(got);
    if (got.length === net.dns.length && got.every((ns, i) => ns === net.dns[i])) {
      return [result(id, 'pass', want, actual, `nameservers ${actual}${via}`)];
    }
    if (got.length === 0) {
      return [result(id, 'fail', want, actual, `no nameserver in ${file}, expected ${want}${via}`)];
    }
    const missing = net.dns.filter((ns) => !got.includes(ns));
    const extra = got.filter((ns) => !net.dns.includes(ns));
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${list(missing)}`);
    if (extra.length) parts.push(`unexpected ${list(extra)}`);
    const why = parts.length ? parts.join('; ') : 'same nameservers in a different order';
    return [result(id, 'fail', want, actual, `${file} has ${actual}: ${why} (expected ${want})${via}`)];
  },
};
