// The units each node's config enables → cluster.services, per role: a unit every node enables
// goes under all, one that exactly the nodes of some roles enable under those roles. A unit that
// only some nodes of a role enable cannot be said in cluster.services: it becomes a note on those
// nodes. Lists equal to the inventory's defaults are left out, so a rendered inventory comes
// back as it was written. Pure.
import type { Role } from '../inventory/types.js';
import { ETCD_UNIT } from '../render/etcd.js';
import { FLANNEL_UNIT } from '../render/flannel.js';

export type ServiceLists = Partial<Record<'all' | Role, string[]>>;

export interface ServiceNode {
  roles: readonly Role[];
  enabled: readonly string[];
}

// master and worker before etcd: a Kubernetes unit on the one etcd-and-master node is a master's.
const ROLE_SETS: Role[][] = [['master'], ['worker'], ['master', 'worker'], ['etcd'], ['etcd', 'master'], ['etcd', 'worker']];
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function deriveServices(nodes: readonly ServiceNode[], flannelOn: boolean): { services?: ServiceLists; unexplained: Map<number, string[]> } {
  const lists: Record<'all' | Role, string[]> = { all: [], etcd: [], master: [], worker: [] };
  const unexplained = new Map<number, string[]>();
  const units = [...new Set(nodes.flatMap((n) => n.enabled))];
  for (const unit of units) {
    const having = new Set(nodes.flatMap((n, i) => (n.enabled.includes(unit) ? [i] : [])));
    const exactly = (set: Set<number>) => set.size === having.size && [...set].every((i) => having.has(i));
    const byRoles = (roles: Role[]) => new Set(nodes.flatMap((n, i) => (n.roles.some((r) => roles.includes(r)) ? [i] : [])));
    // etcd-member on the etcd nodes is the default even when every node is one.
    const roles = unit === ETCD_UNIT && exactly(byRoles(['etcd'])) ? ['etcd' as const] : exactly(new Set(nodes.map((_, i) => i))) ? undefined : ROLE_SETS.find((rs) => exactly(byRoles(rs)));
    if (roles === undefined && having.size === nodes.length) lists.all.push(unit);
    else if (roles) for (const r of roles) lists[r].push(unit);
    else for (const i of having) unexplained.set(i, [...(unexplained.get(i) ?? []), unit]);
  }
  // The defaults normalize fills in (inventory/normalize.ts).
  const defaults: Record<'all' | Role, string[]> = { all: flannelOn ? [FLANNEL_UNIT] : [], etcd: [ETCD_UNIT], master: [], worker: [] };
  // A role no node has: its list says nothing either way, so it keeps the default.
  const unused = (k: 'all' | Role) => k !== 'all' && !nodes.some((n) => n.roles.includes(k));
  const differing = (['all', 'etcd', 'master', 'worker'] as const).filter((k) => !unused(k) && !same(lists[k], defaults[k]));
  if (differing.length === 0) return { unexplained };
  return { services: Object.fromEntries(differing.map((k) => [k, lists[k]])) as ServiceLists, unexplained };
}
