import type { RouteFact } from '../values.js';
import { bad, excerpt, isObject, nonEmptyLines, ok, parseJsonArray, str, strOrNum } from './common.js';
import type { Parsed } from './common.js';

// The kernel prints host routes without a prefix; facts always carry one.
export function withPrefix(dst: string): string {
  if (dst === 'default' || dst.includes('/')) return dst;
  return `${dst}/${dst.includes(':') ? 128 : 32}`;
}

function looksLikeDst(dst: string): boolean {
  return dst === 'default' || /^[0-9a-fA-F:.]+(\/\d+)?$/.test(dst);
}

// Blackhole/unreachable routes are kept (with no gateway and no dev): a check that finds one
// for an expected destination should say so rather than call the route missing.
function fromJson(obj: Record<string, unknown>): RouteFact | null {
  const dst = str(obj, 'dst');
  if (!dst || !looksLikeDst(dst)) return null;
  const route: RouteFact = { dst: withPrefix(dst) };
  // A multipath route has no gateway of its own; the first nexthop stands for it.
  const hops = obj['nexthops'];
  const hop = Array.isArray(hops) && isObject(hops[0]) ? hops[0] : {};
  const gateway = str(obj, 'gateway') ?? str(hop, 'gateway');
  const dev = str(obj, 'dev') ?? str(hop, 'dev');
  const protocol = strOrNum(obj, 'protocol');
  const scope = strOrNum(obj, 'scope');
  if (gateway) route.gateway = gateway;
  if (dev) route.dev = dev;
  // `ip -d` (the probe's one `ip -b` run) names the defaults plain `ip route` leaves out: a route
  // reads the same either way.
  if (protocol && protocol !== 'boot') route.protocol = protocol;
  if (scope && scope !== 'global') route.scope = scope;
  return route;
}

// Routes from `ip -j route show`.
export function parseRoutesJson(body: string): Parsed<RouteFact[]> {
  const arr = parseJsonArray(body);
  if (!arr.ok) return arr;
  return ok(arr.value.flatMap((r) => (isObject(r) ? (fromJson(r) ?? []) : [])));
}

const TYPES = new Set([
  'unicast', 'local', 'broadcast', 'multicast', 'anycast',
  'blackhole', 'unreachable', 'prohibit', 'throw', 'nat',
]);

// Reads `via`, `dev`, `proto`, `scope` wherever they are; other keys are irrelevant here.
function fillFrom(tokens: string[], route: RouteFact): void {
  for (let i = 0; i < tokens.length - 1; i++) {
    const key = tokens[i];
    let value = tokens[i + 1] ?? '';
    // iproute2 ≥ 4.16 may write "via inet6 fe80::1" for a gateway of another family.
    if (key === 'via' && (value === 'inet' || value === 'inet6')) value = tokens[i + 2] ?? '';
    if (key === 'via' && !route.gateway && value) route.gateway = value;
    else if (key === 'dev' && !route.dev) route.dev = value;
    else if (key === 'proto' && !route.protocol) route.protocol = value;
    else if (key === 'scope' && !route.scope) route.scope = value;
  }
}

// Routes from `ip route show`, in both the old (double-spaced, 3.x/4.x) and new layouts.
// Multipath continuation lines ("\tnexthop via … dev …") complete the route above them.
export function parseRoutesText(body: string): Parsed<RouteFact[]> {
  const out: RouteFact[] = [];
  const lines = nonEmptyLines(body);
  let unknown: string | undefined;
  for (const line of lines) {
    const tokens = line.trim().split(/\s+/);
    const last = out.at(-1);
    if (tokens[0] === 'nexthop') {
      if (last) fillFrom(tokens, last);
      continue;
    }
    if (TYPES.has(tokens[0] ?? '')) tokens.shift();
    const dst = tokens.shift() ?? '';
    if (!looksLikeDst(dst)) {
      unknown ??= line;
      continue;
    }
    const route: RouteFact = { dst: withPrefix(dst) };
    fillFrom(tokens, route);
    out.push(route);
  }
  if (out.length === 0 && unknown !== undefined) {
    return bad(`no route found in the output: "${excerpt(unknown)}"`);
  }
  return ok(out);
}
