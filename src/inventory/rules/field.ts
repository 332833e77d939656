// Checks of single values (addresses, networks, URLs, paths). Each returns the problem message
// or undefined; rules.ts decides where they apply.
import { broadcastOf, cidrContains, formatNetwork, hasHostBits, networkOf, parseCidr, parseIPv4 } from '../../util/ipv4.js';

export function checkAddress(value: string): string | undefined {
  return parseIPv4(value) === undefined ? `'${value}' is not an IPv4 address (e.g. 192.168.1.1)` : undefined;
}

// An interface address: host bits are expected, but it must not be the subnet's own
// network or broadcast address (except /31 and /32, which have neither).
export function checkHostCidr(value: string): string | undefined {
  const c = parseCidr(value);
  if (!c) return `'${value}' is not an IPv4 address with prefix (e.g. 192.168.1.10/24)`;
  if (c.prefix >= 31) return undefined;
  if (c.address === networkOf(c)) return `${value} is the network address of its subnet, not a host address`;
  if (c.address === broadcastOf(c)) return `${value} is the broadcast address of its subnet, not a host address`;
  return undefined;
}

// A network (route destination, overlay): host bits set are almost always a typo of the
// network, so name the corrected one.
export function checkNetworkCidr(value: string): string | undefined {
  const c = parseCidr(value);
  if (!c) {
    const hint = parseIPv4(value) === undefined ? '' : `; did you mean ${value}/32?`;
    return `'${value}' is not an IPv4 network with prefix (e.g. 10.45.0.0/16)${hint}`;
  }
  if (hasHostBits(c)) return `${value} has host bits set; did you mean ${formatNetwork(c)}?`;
  return undefined;
}

// A gateway must be reachable on-link, i.e. inside the subnet of the interface address.
export function checkGatewayInSubnet(gateway: string, address: string): string | undefined {
  const c = parseCidr(address);
  const gw = parseIPv4(gateway);
  if (!c || gw === undefined) return undefined; // reported by the format checks
  if (cidrContains(c, gw)) return undefined;
  return `${gateway} is outside ${formatNetwork(c)}, the subnet of address ${address}`;
}

// SSH target: DNS names and IPv6 literals are left to the resolver, but something that looks
// like a dotted quad must be one ("192.168.1.300" is a typo, not a hostname).
export function checkHost(value: string): string | undefined {
  if (!/^[\d.]+$/.test(value)) return undefined;
  return parseIPv4(value) === undefined ? `'${value}' is not a valid IPv4 address` : undefined;
}

export function checkEndpoint(value: string): string | undefined {
  // "127.0.0.1:2379" and "localhost:2379" are the usual slips: name the URL that was meant.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const hint = /^[\w.-]+(:\d+)?$/.test(value) ? `; did you mean http://${value}?` : '';
    return `'${value}' is not an http:// or https:// URL${hint}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `'${value}' is not a valid URL (e.g. http://127.0.0.1:2379)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `'${value}' must be an http:// or https:// URL`;
  return undefined;
}

// Only "~" and "~/…" are expanded; "~alice/…" would need a passwd lookup on this machine.
export function checkPath(value: string): string | undefined {
  if (value.startsWith('~') && value !== '~' && !value.startsWith('~/')) {
    return `'${value}': only ~ and ~/ are expanded; write another user's home as a full path`;
  }
  return undefined;
}
