import type { LinkFact } from '../values.js';
import { bad, excerpt, isObject, nonEmptyLines, ok, parseJsonArray, str } from './common.js';
import type { Parsed } from './common.js';

// Links from `ip -j -d link show`: the kind (vxlan, veth, bridge …) sits in linkinfo.info_kind,
// the VXLAN id in linkinfo.info_data.id.
export function parseLinksJson(body: string): Parsed<LinkFact[]> {
  const arr = parseJsonArray(body);
  if (!arr.ok) return arr;
  const out: LinkFact[] = [];
  for (const l of arr.value) {
    if (!isObject(l)) continue;
    const ifname = str(l, 'ifname');
    if (!ifname) continue;
    const flags = Array.isArray(l.flags) ? l.flags.filter((f): f is string => typeof f === 'string') : [];
    const link: LinkFact = { ifname, flags, up: flags.includes('UP') };
    const operstate = str(l, 'operstate');
    if (operstate) link.operstate = operstate;
    const info = isObject(l.linkinfo) ? l.linkinfo : undefined;
    const kind = info && str(info, 'info_kind');
    if (kind) link.kind = kind;
    const data = info && isObject(info.info_data) ? info.info_data : undefined;
    if (kind === 'vxlan' && data && typeof data.id === 'number') link.vxlanId = data.id;
    out.push(link);
  }
  return ok(out);
}

// "5: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT …"
// "2: eth0@if14: <…> …" (a veth: the peer after @ is not part of the name)
const HEAD = /^\d+:\s+([^:\s@]+)(?:@\S+)?:\s+<([^>]*)>(.*)$/;
// Detail lines under it: "    vxlan id 1 local 10.0.0.1 dev eth0 …", "    tun type tun …", "    veth …"
const KIND = /^\s+(vxlan|tun|veth|bridge|bond|vlan|macvlan|ipip|gre|dummy|wireguard)\b(.*)$/;

// Links from `ip -d link show`, for iproute2 without -j (Container Linux before 1745).
export function parseLinksText(body: string): Parsed<LinkFact[]> {
  const out: LinkFact[] = [];
  const lines = nonEmptyLines(body);
  for (const line of lines) {
    const head = HEAD.exec(line);
    if (head) {
      const flags = (head[2] ?? '').split(',').filter(Boolean);
      const link: LinkFact = { ifname: head[1] ?? '', flags, up: flags.includes('UP') };
      const state = /\bstate (\S+)/.exec(head[3] ?? '')?.[1];
      if (state) link.operstate = state;
      out.push(link);
      continue;
    }
    const last = out.at(-1);
    const kind = KIND.exec(line);
    if (!last || !kind || last.kind) continue;
    last.kind = kind[1] ?? '';
    const id = /\bid (\d+)/.exec(kind[2] ?? '')?.[1];
    if (last.kind === 'vxlan' && id) last.vxlanId = Number(id);
  }
  if (out.length === 0 && lines.length > 0) return bad(`no link found in the output: "${excerpt(lines[0] ?? '')}"`);
  return ok(out);
}
