// Pure readers of etcdctl's cluster views: endpoint health and member list, both APIs.
import type { EtcdctlOutput } from './parse.js';
import { etcdctlError } from './parse.js';

export interface EndpointHealth {
  endpoint: string; // client URL, or "member ID" where v2 names no URL
  healthy: boolean;
  error?: string;
}

export interface EtcdMember {
  id: string; // hex, as etcdctl v2 and etcd's logs print it
  name: string; // '' for a member added but not started
  peerURLs: string[];
  clientURLs: string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

// v3 `-w json endpoint health`: a JSON array on stdout, printed even when some are unhealthy (exit 1).
export function parseV3Health(r: EtcdctlOutput): Parsed<EndpointHealth[]> {
  const line = r.stdout.split('\n').find((l) => l.trim().startsWith('['));
  if (!line) return { ok: false, error: etcdctlError(r) };
  try {
    const arr = JSON.parse(line) as { endpoint?: string; health?: boolean; error?: string }[];
    return { ok: true, value: arr.map((e) => ({ endpoint: e.endpoint ?? '?', healthy: e.health === true, ...(e.error ? { error: e.error } : {}) })) };
  } catch {
    return { ok: false, error: `endpoint health printed something that is not JSON: ${line.slice(0, 200)}` };
  }
}

// v2 `cluster-health`: "member ID is healthy: got healthy result from URL", "… is unreachable: [URLs]
// are all unreachable", "… is unhealthy: got unhealthy result from URL"; detail lines before them.
export function parseV2Health(r: EtcdctlOutput): Parsed<EndpointHealth[]> {
  const out: EndpointHealth[] = [];
  const details = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const d = /^failed to check the health of member (\w+) on (\S+): (.*)$/.exec(line);
    if (d) details.set(d[1] ?? '', d[3] ?? '');
    const m = /^member (\w+) is (healthy|unhealthy|unreachable): (.*)$/.exec(line);
    if (!m) continue;
    const [, id = '', state, rest = ''] = m;
    const url = /from (\S+)$/.exec(rest)?.[1] ?? /^\[([^\]\s]+)/.exec(rest)?.[1] ?? `member ${id}`;
    const error = state === 'healthy' ? undefined : (details.get(id) ?? rest);
    out.push({ endpoint: url, healthy: state === 'healthy', ...(error ? { error } : {}) });
  }
  if (!out.length) return { ok: false, error: etcdctlError(r) };
  return { ok: true, value: out };
}

// v3 `-w json member list`. IDs are 64-bit: JSON.parse would round them, so they are read as text.
export function parseV3Members(r: EtcdctlOutput): Parsed<EtcdMember[]> {
  if (r.code !== 0) return { ok: false, error: etcdctlError(r) };
  try {
    const j = JSON.parse(r.stdout) as { members?: { name?: string; peerURLs?: string[]; clientURLs?: string[] }[] };
    const ids = [...r.stdout.matchAll(/"ID":(\d+)/g)].map((m) => BigInt(m[1] ?? '0').toString(16));
    const members = (j.members ?? []).map((m, i) => ({ id: ids[i] ?? '?', name: m.name ?? '', peerURLs: m.peerURLs ?? [], clientURLs: m.clientURLs ?? [] }));
    return { ok: true, value: members };
  } catch {
    return { ok: false, error: `member list printed something that is not JSON: ${r.stdout.slice(0, 200)}` };
  }
}

// v2 `member list`: "ID: name=N peerURLs=A,B clientURLs=C isLeader=false"; "ID[unstarted]: peerURLs=A".
export function parseV2Members(r: EtcdctlOutput): Parsed<EtcdMember[]> {
  if (r.code !== 0) return { ok: false, error: etcdctlError(r) };
  const members: EtcdMember[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+)(?:\[unstarted\])?:\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S*)`).exec(m[2] ?? '')?.[1] ?? '';
    const urls = (k: string) => field(k).split(',').filter(Boolean);
    members.push({ id: m[1] ?? '', name: field('name'), peerURLs: urls('peerURLs'), clientURLs: urls('clientURLs') });
  }
  return { ok: true, value: members };
}
