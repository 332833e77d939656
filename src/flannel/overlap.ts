// Does the flannel Network clash with a node's own networks? If it does, traffic to that range
// (sshd's replies included) goes into the overlay and the node can no longer be managed. Pure.
import { valueOf } from '../facts/types.js';
import type { NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../inventory/types.js';
import { cidrContains, cidrOverlap, formatNetwork, parseCidr, parseIPv4 } from '../util/ipv4.js';

// One range a node uses, and where it comes from, for the message ("eth0 address 10.1.2.3/24").
export interface HostRange {
  what: string;
  range: string; // canonical CIDR; a single address is /32
}

export interface Clash extends HostRange {
  network: string;
}

const asRange = (text: string): string | undefined => {
  const c = parseCidr(text) ?? (parseIPv4(text) === undefined ? undefined : parseCidr(`${text}/32`));
  return c ? formatNetwork(c) : undefined;
};

// flanneld's own devices carry addresses inside Network by design.
export const isFlannelDevice = (ifname: string | undefined): boolean => ifname !== undefined && /^flannel[.0-9]/.test(ifname);

function push(out: HostRange[], what: string, text: string | undefined): void {
  const range = text === undefined ? undefined : asRange(text);
  if (range !== undefined && !out.some((r) => r.what === what && r.range === range)) out.push({ what, range });
}

// The ranges the inventory gives a node: its subnet, gateway, static route destinations and gateways.
export function inventoryRanges(node: NodeSpec): HostRange[] {
  const out: HostRange[] = [];
  const net = node.network;
  if (!net) return out;
  push(out, `${net.interface} address ${net.address} (inventory)`, net.address);
  push(out, 'gateway (inventory)', net.gateway);
  for (const r of net.routes) {
    push(out, `route ${r.destination} (inventory)`, r.destination);
    push(out, `route ${r.destination} gateway ${r.gateway} (inventory)`, r.gateway);
  }
  return out;
}

// The ranges a node actually uses, from its facts. Left out: flannel's devices, and addresses and
// routes inside the node's own lease (docker0/cni0 hold it); with host-gw, flannel's routes to
// other nodes' leases (one SubnetLen block inside Network each).
export function factRanges(facts: NodeFacts, flannel: { network: string; subnetLen?: number; backendType?: string }): HostRange[] {
  const out: HostRange[] = [];
  const lease = valueOf(facts.subnetEnv)?.subnet;
  const ownLease = (range: string) => lease !== undefined && parseCidr(lease) !== undefined && cidrOverlap(lease, range) && (parseCidr(range)?.prefix ?? 0) >= (parseCidr(lease)?.prefix ?? 33);
  for (const a of valueOf(facts.addresses) ?? []) {
    if (a.family !== 'inet' || isFlannelDevice(a.ifname)) continue;
    const cidr = `${a.address}/${a.prefixlen}`;
    if (!ownLease(asRange(cidr) ?? '')) push(out, `${a.ifname} address ${cidr}`, cidr);
  }
  for (const r of valueOf(facts.routes) ?? []) {
    if (isFlannelDevice(r.dev)) continue;
    if (r.dst === 'default') {
      if (r.gateway) push(out, `default gateway ${r.gateway}`, r.gateway);
      continue;
    }
    const range = asRange(r.dst);
    if (range === undefined || ownLease(range)) continue;
    const c = parseCidr(range);
    const hostGw = flannel.backendType === 'host-gw' && c?.prefix === (flannel.subnetLen ?? 24) && cidrContains(flannel.network, c.address);
    if (hostGw) continue;
    const via = r.gateway ? ` via ${r.gateway}` : '';
    push(out, `route ${r.dst}${via}${r.dev ? ` dev ${r.dev}` : ''}`, r.dst);
    if (r.gateway) push(out, `route ${r.dst} gateway ${r.gateway}`, r.gateway);
  }
  return out;
}

// Every range that shares an address with `network`.
export function clashes(network: string, ranges: readonly HostRange[]): Clash[] {
  if (!parseCidr(network)) return [];
  return ranges.filter((r) => cidrOverlap(network, r.range)).map((r) => ({ ...r, network }));
}

export const describeClash = (c: Clash): string => `${c.what} (${c.range}) overlaps flannel Network ${c.network}`;
