// IPv4 arithmetic on plain 32-bit unsigned numbers. ip-cidr has no overlap test and goes through
// BigInt and IPv6-capable parsing; the inventory only deals in IPv4, so a few lines do it exactly.

export interface Cidr {
  address: number; // as written, host bits included (unsigned 32-bit)
  prefix: number; // 0..32
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/; // no leading zeros: "010" reads as octal to some tools

// Dotted-quad → unsigned 32-bit number, or undefined if `text` is not exactly an IPv4 address.
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => ((acc << 8) | Number(p)) >>> 0, 0);
}

export function formatIPv4(value: number): string {
  const v = value >>> 0;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

// "a.b.c.d/n" → Cidr, or undefined. The prefix must be written (a bare address is not a CIDR).
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(3[0-2]|[12]?\d)$/.exec(text);
  if (!m) return undefined;
  const address = parseIPv4(m[1] ?? '');
  return address === undefined ? undefined : { address, prefix: Number(m[2]) };
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

// Do two subnets share any address? Aligned blocks either nest or are disjoint, so it is enough
// to compare both networks under the shorter (wider) prefix.
export function cidrOverlap(a: Cidr | string, b: Cidr | string): boolean {
  const ca = toCidr(a);
  const cb = toCidr(b);
  const mask = prefixMask(Math.min(ca.prefix, cb.prefix));
  return ((ca.address & mask) >>> 0) === ((cb.address & mask) >>> 0);
}
