// IPv4 addresses and CIDRs as the inventory and the nodes write them. ip-cidr parses and validates
// the text; what it lacks stays here: plain 32-bit numbers for the arithmetic the checks do
// (network, broadcast, host bits: ip-cidr's isValidCIDR('10.1.2.3/16') is true), containment on
// those numbers, and the overlap of two ranges. IPv4 only: ip-cidr also takes IPv6, which no
// field does. docs/architecture.md says why containment does not go through ip-cidr.
import IPCIDR from 'ip-cidr';

export interface Cidr {
  address: number; // as written, host bits included (unsigned 32-bit)
  prefix: number; // 0..32
}

// ip-cidr reads a prefix as one or two digits, so "/00" and "/07" pass it; written prefixes are
// canonical here, like the octets (ip-cidr refuses "010": it reads as octal to some tools).
const PREFIX = /^(3[0-2]|[12]?\d)$/;

// ip-cidr's parse of "a.b.c.d" or "a.b.c.d/n" (it throws on anything else), IPv4 only.
function parseV4(text: string): IPCIDR.Address | undefined {
  if (text.includes(':')) return undefined; // IPv6, or IPv4-mapped IPv6 (ip-cidr unwraps it)
  try {
    const a = IPCIDR.createAddress(text);
    return a.v4 ? a : undefined;
  } catch {
    return undefined;
  }
}

const toNumber = (octets: readonly string[]): number => octets.reduce((acc, p) => ((acc << 8) | Number(p)) >>> 0, 0);

// Dotted-quad → unsigned 32-bit number, or undefined if `text` is not exactly an IPv4 address.
export function parseIPv4(text: string): number | undefined {
  if (text.includes('/')) return undefined; // ip-cidr takes an address with a prefix as an address
  const a = parseV4(text);
  return a === undefined ? undefined : toNumber(a.parsedAddress);
}

export function formatIPv4(value: number): string {
  const v = value >>> 0;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

// "a.b.c.d/n" → Cidr, or undefined. The prefix must be written (a bare address is not a CIDR).
// (This is IPCIDR.isValidCIDR with the stricter prefix, parsing once instead of twice.)
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0 || !PREFIX.test(text.slice(slash + 1))) return undefined;
  const a = parseV4(text);
  return a === undefined ? undefined : { address: toNumber(a.parsedAddress), prefix: a.subnetMask };
}

// Netmask for a prefix length. `<< 32` is `<< 0` in JS, hence the special case for /0.
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkOf(c: Cidr): number {
  return (c.address & prefixMask(c.prefix)) >>> 0;
}

export function broadcastOf(c: Cidr): number {
  return (networkOf(c) | ~prefixMask(c.prefix)) >>> 0;
}

export function hasHostBits(c: Cidr): boolean {
  return networkOf(c) !== c.address;
}

// The canonical network form, e.g. 10.1.2.3/16 → "10.1.0.0/16".
export function formatNetwork(c: Cidr): string {
  return `${formatIPv4(networkOf(c))}/${c.prefix}`;
}

function toCidr(c: Cidr | string): Cidr {
  if (typeof c !== 'string') return c;
  const parsed = parseCidr(c);
  if (!parsed) throw new TypeError(`not an IPv4 CIDR: ${c}`);
  return parsed;
}

function toAddress(a: number | string): number {
  if (typeof a === 'number') return a >>> 0;
  const parsed = parseIPv4(a);
  if (parsed === undefined) throw new TypeError(`not an IPv4 address: ${a}`);
  return parsed;
}

// Is `address` inside the subnet of `cidr`? Strings must already be valid (throws TypeError if not).
export function cidrContains(cidr: Cidr | string, address: number | string): boolean {
  const c = toCidr(cidr);
  return ((toAddress(address) & prefixMask(c.prefix)) >>> 0) === networkOf(c);
}

// Do two subnets share any address? ip-cidr has no overlap test. Aligned blocks either nest or are
// disjoint, so it is enough to compare both networks under the shorter (wider) prefix.
export function cidrOverlap(a: Cidr | string, b: Cidr | string): boolean {
  const ca = toCidr(a);
  const cb = toCidr(b);
  const mask = prefixMask(Math.min(ca.prefix, cb.prefix));
  return ((ca.address & mask) >>> 0) === ((cb.address & mask) >>> 0);
}
