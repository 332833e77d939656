// Which value of the flannel config key flannel reads, from what each keyspace answered. Pure.
import type { FlannelConfigFact, FlannelKeyRead } from '../facts/types.js';

// The value flannel would read, and where it was found; or why there is none.
export type Resolved =
  | { kind: 'found'; api: 'v2' | 'v3'; value: string; where: string; warning?: string }
  | { kind: 'missing'; message: string }
  | { kind: 'unreadable'; message: string };

const said = (api: string, r: FlannelKeyRead | undefined): string =>
  !r ? '' : !r.ok ? `${api}: ${r.error}` : r.found ? `${api}: found` : `${api}: not found`;

// auto prefers v2 when both hold the key: Container Linux ships flannel 0.11, which reads v2.
export function resolveConfig(fact: FlannelConfigFact): Resolved {
  const { v2, v3, key } = fact;
  const found2 = v2?.ok && v2.found ? v2.value : undefined;
  const found3 = v3?.ok && v3.found ? v3.value : undefined;
  const both = v2 !== undefined && v3 !== undefined;
  if (found2 !== undefined && found3 !== undefined) {
    if (found2 === found3) return { kind: 'found', api: 'v2', value: found2, where: `${key} in both the v2 and v3 keyspaces (same value)` };
    return {
      kind: 'found',
      api: 'v2',
      value: found2,
      where: `${key} in the v2 keyspace`,
      warning: `warning: the v3 keyspace holds a different value (${found3}); flannel ≤ 0.17 reads v2, ≥ 0.18 reads v3`,
    };
  }
  const other = (api: 'v2' | 'v3') => (api === 'v2' ? v3 : v2);
  for (const api of ['v2', 'v3'] as const) {
    const value = api === 'v2' ? found2 : found3;
    if (value === undefined) continue;
    const rest = other(api);
    const note = both && rest && !rest.ok ? `; the ${api === 'v2' ? 'v3' : 'v2'} keyspace could not be read (${rest.error})` : both ? ` (not in ${api === 'v2' ? 'v3' : 'v2'})` : '';
    return { kind: 'found', api, value, where: `${key} in the ${api} keyspace${note}` };
  }
  const failed = [v2, v3].filter((r): r is Extract<FlannelKeyRead, { ok: false }> => r !== undefined && !r.ok);
  const asked = [said('v2', v2), said('v3', v3)].filter(Boolean).join('; ');
  if (failed.length > 0) return { kind: 'unreadable', message: `could not read ${key}: ${asked}` };
  const spaces = both ? 'the v2 or the v3 keyspace' : v2 ? 'the v2 keyspace' : 'the v3 keyspace';
  return { kind: 'missing', message: `${key} is not in ${spaces}; write it with \`clusterctl flannel set --network CIDR\`` };
}
