// The config key against the keyspaces the cluster's flannels read (keyspace.ts): found in each
// of them, or missing from one, with where it is instead and what to do. Pure.
import type { EtcdApi } from './keyspace.js';

export type KeyRead = { ok: true; found: boolean; value: string } | { ok: false; error: string; unserved?: boolean };
export interface KeyReads {
  key: string;
  v2?: KeyRead; // absent: not asked
  v3?: KeyRead;
}

// A keyspace the cluster needs, and who reads it (for messages).
export interface Reader {
  api: EtcdApi;
  readers: string; // "lab-node-1, lab-node-2: flannel v0.11.0 (…) reads v2, being < 0.18"
}

export type KeyVerdict =
  | { kind: 'found'; api: EtcdApi; value: string; where: string; warnings: string[] }
  | { kind: 'missing'; message: string } // flannel cannot read its config: a failure
  | { kind: 'unreadable'; message: string }; // clusterctl could not tell: an error

const other = (api: EtcdApi): EtcdApi => (api === 'v2' ? 'v3' : 'v2');
const V2_HINT = 'start etcd with --enable-v2 (etcd 3.4 and 3.5; 3.6 has no v2), or run flannel ≥ 0.18 and set cluster.flannel.etcdApi: v3 (flannel-io/flannel#1057)';

// The setup guide's etcd 3.4+ without --enable-v2 answers v2 with 404s (etcdctl/parse.ts v2Unserved).
export const isUnserved = (r: KeyRead | undefined): boolean => r !== undefined && !r.ok && (r.unserved === true || /does not serve the v2 API/.test(r.error));

// JSON compared by value, so {"Network": "x"} and {"Network":"x"} are one config.
export function sameConfig(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// Where the key is in the keyspace nobody needed, for "it is in the v3 keyspace instead".
function instead(reads: KeyReads, api: EtcdApi): string {
  const r = reads[other(api)];
  if (r?.ok && r.found) return `; it is in the ${other(api)} keyspace (${r.value.slice(0, 200)}), which those flannels do not read`;
  if (r?.ok) return `, nor in the ${other(api)} keyspace`;
  return '';
}

export function keyVerdict(reads: KeyReads, needed: readonly Reader[]): KeyVerdict {
  const { key } = reads;
  const values: { api: EtcdApi; value: string }[] = [];
  const failures: string[] = [];
  for (const { api, readers } of needed) {
    const r = reads[api];
    if (!r) return { kind: 'unreadable', message: `the ${api} keyspace was not read (${readers})` };
    if (isUnserved(r)) {
      failures.push(`etcd does not serve the v2 API, and flannel reads ${key} from v2 (${readers})${instead(reads, api)}: ${V2_HINT}`);
      continue;
    }
    if (!r.ok) return { kind: 'unreadable', message: `could not read ${key} from the ${api} keyspace: ${r.error}` };
    if (!r.found) {
      failures.push(`${key} is not in the ${api} keyspace, which flannel reads (${readers})${instead(reads, api)}: write it with \`clusterctl flannel set --network CIDR\``);
      continue;
    }
    values.push({ api, value: r.value });
  }
  if (failures.length) return { kind: 'missing', message: failures.join('; ') };
  const [first, second] = values;
  if (!first) return { kind: 'unreadable', message: `no keyspace to read ${key} from` };
  if (second && !sameConfig(first.value, second.value)) {
    return { kind: 'missing', message: `the v2 and v3 keyspaces hold different values for ${key} and flannels of both kinds run: v2 ${first.value}; v3 ${second.value}; write one value to both with \`clusterctl flannel set\`` };
  }
  const readers = needed.map((n) => `${n.api}: ${n.readers}`).join('; ');
  const where = `${key} in the ${values.map((v) => v.api).join(' and ')} keyspace${values.length > 1 ? 's' : ''}, which flannel reads (${readers})`;
  const warnings: string[] = [];
  const rest = needed.length === 1 ? reads[other(first.api)] : undefined;
  if (rest?.ok && rest.found && !sameConfig(rest.value, first.value)) {
    warnings.push(`warning: the ${other(first.api)} keyspace holds a different value (${rest.value.slice(0, 200)}), which no flannel here reads; a flannel ${other(first.api) === 'v3' ? '≥ 0.18' : '≤ 0.17'} would`);
  }
  return { kind: 'found', api: first.api, value: first.value, where, warnings };
}
