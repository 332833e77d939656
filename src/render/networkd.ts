import type { NetworkSpec } from '../inventory/types.js';
import type { NamedText } from './model.js';
import { unitFile } from './systemd-text.js';

export const STATIC_NETWORK_UNIT = '10-static.network';

// The setup guide's static network: [Match] the interface, [Network] the address, gateway and
// DNS servers in order, IPv6AcceptRA (no unless the inventory asks: where no IPv6 router answers,
// networkd waits for one and network-online.target comes ~12 s late), one [Route] per static route. Values passed the inventory's address
// rules, so each is a bare IPv4 address, CIDR or interface name.
export function staticNetwork(net: NetworkSpec): NamedText {
  const network = [
    `Address=${net.address}`,
    ...(net.gateway === undefined ? [] : [`Gateway=${net.gateway}`]),
    ...net.dns.map((d) => `DNS=${d}`),
    `IPv6AcceptRA=${net.ipv6AcceptRA === true ? 'yes' : 'no'}`,
  ];
  const sections = [
    { name: 'Match', lines: [`Name=${net.interface}`] },
    { name: 'Network', lines: network },
    ...net.routes.map((r) => ({ name: 'Route', lines: [`Gateway=${r.gateway}`, `Destination=${r.destination}`] })),
  ];
  return { name: STATIC_NETWORK_UNIT, contents: unitFile(sections) };
}
