// The etcd cluster across the configs: every member of every initial cluster defined by some
// file (a member is known by where it peers, then by name), one initial cluster, unique member
// names; and the endpoints the inventory's cluster.etcd.endpoints gets. Pure.
import type { ImportedNode } from './node.js';
import type { ImportProblem } from './problem.js';
import { agreed, at } from './agree.js';

// `partial`: some files could not be read, so a member no file defines may be in one of them.
export function etcdProblems(nodes: readonly ImportedNode[], problems: ImportProblem[], partial: boolean): void {
  const members = nodes.filter((n) => n.etcd);
  for (const n of members) {
    for (const m of n.etcd?.initialCluster ?? []) {
      const byName = members.find((x) => (x.etcd?.name ?? x.name) === m.name && x.etcd?.name !== undefined);
      const byUrl = members.find((x) => x.etcd?.peerUrls.includes(m.url));
      if (!byName && !byUrl) {
        if (partial) continue;
        problems.push({ ...at(n), message: `the initial cluster names member ${m.name} (${m.url}), which no imported file defines: import every etcd node's config together, or correct initial_cluster` });
      } else if (byName && !byName.etcd?.peerUrls.includes(m.url)) {
        problems.push({ ...at(n), message: `the initial cluster has ${m.name} at ${m.url}, but ${byName.file} has member ${m.name} peer at ${byName.etcd?.peerUrls.join(',') || 'no initial_advertise_peer_urls'}` });
      }
    }
  }
  agreed(members, (n) => n.etcd?.initialCluster, 'the etcd initial cluster', problems, (v) => v.map((m) => `${m.name}=${m.url}`).sort().join(','));
  const names = new Map<string, ImportedNode>();
  for (const n of members) {
    const name = n.etcd?.name;
    if (name === undefined) continue;
    const owner = names.get(name);
    if (owner) problems.push({ ...at(n), message: `etcd member name ${name} is also the member name in ${owner.file}` });
    else names.set(name, n);
  }
}

// The endpoints most flanneld units dial (first seen wins a tie), else the members' client URLs.
export function clusterEndpoints(nodes: readonly ImportedNode[]): string[] | undefined {
  const counts = new Map<string, { list: string[]; count: number }>();
  for (const n of nodes) {
    const e = n.flannel?.endpoints;
    if (!e) continue;
    const k = e.join(',');
    counts.set(k, { list: e, count: (counts.get(k)?.count ?? 0) + 1 });
  }
  const best = [...counts.values()].reduce<{ list: string[]; count: number } | undefined>((a, b) => (!a || b.count > a.count ? b : a), undefined);
  if (best) return best.list;
  const advertised = [...new Set(nodes.flatMap((n) => n.etcd?.advertiseClientUrls ?? []))];
  return advertised.length ? advertised : undefined;
}

