import type { AddressFact } from '../values.js';
import { bad, excerpt, isObject, nonEmptyLines, ok, parseJsonArray, str } from './common.js';
import type { Parsed } from './common.js';

// Addresses from `ip -j addr show`. Entries missing a field are skipped, not fatal: some
// iproute2 releases print lifetime-only objects inside addr_info.
export function parseAddressesJson(body: string): Parsed<AddressFact[]> {
  const links = parseJsonArray(body);
  if (!links.ok) return links;
  const out: AddressFact[] = [];
  for (const link of links.value) {
    if (!isObject(link)) continue;
    const ifname = str(link, 'ifname');
    const infos = link['addr_info'];
    if (!ifname || !Array.isArray(infos)) continue;
    for (const info of infos) {
      if (!isObject(info)) continue;
      const family = info['family'];
      const address = str(info, 'local');
      const prefixlen = info['prefixlen'];
      if ((family !== 'inet' && family !== 'inet6') || !address) continue;
      if (typeof prefixlen !== 'number' || !Number.isInteger(prefixlen)) continue;
      out.push({ ifname, family, address, prefixlen });
    }
  }
  return ok(out);
}

// "3: eth0    inet 198.18.1.11/24 brd … scope global eth0\       valid_lft …"
// "2: eth0@if12    inet6 fe80::1/64 scope link \ …" (a veth in a container)
// "4: ppp0    inet 10.0.0.1 peer 10.0.0.2/32 scope global ppp0\ …" (point-to-point)
const LINE = /^\s*\d+:\s+(\S+)\s+(inet6?)\s+(\S+)(.*)$/;

// Addresses from `ip -o addr show`, the one-line format every iproute2 since 2.6 prints.
export function parseAddressesText(body: string): Parsed<AddressFact[]> {
  const out: AddressFact[] = [];
  const lines = nonEmptyLines(body);
  for (const line of lines) {
    const m = LINE.exec(line);
    if (!m) continue; // link-only lines, continuation lines
    const [, rawName = '', family, local = '', rest = ''] = m;
    const ifname = rawName.replace(/@.*$/, '');
    const [address = '', plen] = local.split('/');
    // A peer address carries the prefix; without either, it is a host address.
    const peerPlen = /\bpeer\s+\S+\/(\d+)/.exec(rest)?.[1];
    const full = family === 'inet6' ? 128 : 32;
    const prefixlen = Number(plen ?? peerPlen ?? full);
    if (!ifname || !address || !Number.isInteger(prefixlen)) continue;
    out.push({ ifname, family: family === 'inet6' ? 'inet6' : 'inet', address, prefixlen });
  }
  if (out.length === 0 && lines.length > 0) {
    return bad(`no address found in the output: "${excerpt(lines[0] ?? '')}"`);
  }
  return ok(out);
}
