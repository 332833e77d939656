// A networkd .network unit → the inventory's network: [Match] Name=, [Network] Address=,
// Gateway=, DNS= in order, IPv6AcceptRA=, each [Route]'s Destination= and Gateway= (a [Route]
// with a Gateway= and no Destination= is the default route). Pure.
import type { NetworkSpec } from '../inventory/types.js';
import { parseCidr, parseIPv4 } from '../util/ipv4.js';
import { entriesOf } from './unit-text.js';

export type NetworkRead = { kind: 'static'; network: NetworkSpec; notes: string[] } | { kind: 'none'; why: string } | { kind: 'bad'; problems: string[] };

const TRUE = /^(yes|true|1|on|ipv6)$/i;

// Each [Route] section's entries on their own (two routes must not run into one).
function routeSections(contents: string): { key: string; value: string }[][] {
  const chunks = contents.split(/^(?=[ \t]*\[)/m);
  return chunks.filter((c) => /^[ \t]*\[Route\][ \t]*$/m.test(c.split('\n')[0] ?? '')).map((c) => entriesOf('/etc/systemd/network/route.conf', c));
}

export function readNetworkUnit(name: string, contents: string): NetworkRead {
  if (contents.trim() === '') return { kind: 'bad', problems: [`${name} is empty: give the unit's [Match] and [Network] sections (under contents: | , indented more than contents:)`] };
  const entries = entriesOf(`/etc/systemd/network/${name}`, contents);
  const get = (section: string, key: string) => entries.filter((e) => e.section === section && e.key === key).map((e) => e.value);
  const names = get('Match', 'Name').flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const addresses = [...get('Network', 'Address'), ...get('Address', 'Address')].flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const v4 = addresses.filter((a) => parseCidr(a) !== undefined || parseIPv4(a) !== undefined);
  if (v4.length === 0) return { kind: 'none', why: addresses.length ? `${name} has no IPv4 Address= (${addresses.join(', ')})` : `${name} has no static Address=${get('Network', 'DHCP').length ? ` (DHCP=${get('Network', 'DHCP').join(' ')})` : ''}` };
  const problems: string[] = [];
  const notes: string[] = [];
  const iface = names[0];
  if (iface === undefined) problems.push(`${name} has an Address= but no [Match] Name=: the inventory needs the interface name`);
  else if (names.length > 1 || /[*?[\]!]/.test(iface)) problems.push(`${name} matches ${names.join(' ')}, a pattern or several names: the inventory holds one interface name; write [Match] Name=eth0 (the real name)`);
  const address = v4[0] as string;
  if (parseCidr(address) === undefined) problems.push(`${name}: Address=${address} has no prefix length (e.g. ${address}/24): networkd then assumes /32`);
  if (v4.length > 1) notes.push(`${name} also gives ${v4.slice(1).join(', ')}; the inventory holds the first address only`);
  const routes: NetworkSpec['routes'] = [];
  let routeGateway: string | undefined;
  for (const s of routeSections(contents)) {
    const gw = s.find((e) => e.key === 'Gateway')?.value;
    const dest = s.find((e) => e.key === 'Destination')?.value;
    if (dest === undefined || /^(0\.0\.0\.0\/0|default)$/.test(dest)) routeGateway ??= gw;
    else if (gw !== undefined) routes.push({ destination: dest, gateway: gw });
  }
  const gateway = get('Network', 'Gateway').find((g) => parseIPv4(g) !== undefined) ?? routeGateway;
  const dns = get('Network', 'DNS').flatMap((v) => v.split(/\s+/)).filter((d) => d !== '' && parseIPv4(d) !== undefined);
  const ra = get('Network', 'IPv6AcceptRA').at(-1);
  if (problems.length) return { kind: 'bad', problems };
  return {
    kind: 'static',
    network: { interface: iface as string, address, ...(gateway === undefined ? {} : { gateway }), dns, routes, ...(ra !== undefined && TRUE.test(ra) ? { ipv6AcceptRA: true } : {}) },
    notes,
  };
}
