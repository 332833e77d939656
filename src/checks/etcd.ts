// etcd.health and etcd.members: what an etcd node's etcdctl says about the cluster, against the
// inventory's etcd nodes. Pure: the facts come from facts/gatherers/etcd.ts.
import type { EtcdMember } from '../etcdctl/cluster-parse.js';
import type { EtcdFacts } from '../facts/types.js';
import type { NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../inventory/types.js';
import { etcdctlNotFound } from '../etcdctl/messages.js';
import { list, result } from './result.js';
import type { Check, CheckContext, CheckResult } from './types.js';

// The result when there are no usable etcd facts, or null when there are. Only etcd nodes get
// etcd checks at all (like flannel.* without a flannel section): the caller returns [] for others.
function missing(id: string, node: NodeSpec, facts: NodeFacts): CheckResult | null {
  const e = facts.etcd;
  if (!e) {
    const why = facts.problems.find((p) => p.startsWith('etcd:')) ?? 'etcd facts were not gathered';
    return result(id, 'error', null, null, `Could not check: ${why}`);
  }
  if (!e.etcdctl) return result(id, 'error', null, null, etcdctlNotFound(node.name, node.user));
  if (e.blocked) return result(id, 'error', null, null, `Could not check: ${e.blocked}`);
  return null;
}

export const etcdHealthCheck: Check = {
  id: 'etcd.health',
  needs: ['etcd'],
  run(node, facts) {
    if (!node.roles.includes('etcd')) return [];
    const early = missing(this.id, node, facts);
    if (early) return [early];
    const e = facts.etcd as EtcdFacts;
    const how = e.api === 'v2' ? 'v2 cluster-health' : 'v3 endpoint health';
    if (!e.health) return [result(this.id, 'fail', 'every endpoint healthy', null, `etcd does not answer: ${e.healthError ?? 'no health result'}`)];
    const bad = e.health.filter((h) => !h.healthy);
    const all = `${e.health.length} endpoint${e.health.length === 1 ? '' : 's'}`;
    if (!bad.length) return [result(this.id, 'pass', 'every endpoint healthy', `${all} healthy`, `${all} healthy (${how}: ${list(e.health.map((h) => h.endpoint))})`)];
    const named = bad.map((h) => `${h.endpoint}${h.error ? ` (${h.error})` : ''}`);
    return [result(this.id, 'fail', 'every endpoint healthy', `${bad.length} of ${all} unhealthy`, `unhealthy (${how}): ${named.join('; ')}`)];
  },
};

const hostOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
};
const LOOPBACK = /^(127\.|localhost$|::1$)/;

// The addresses a member of this node may advertise: the inventory's host and network address.
function addressesOf(node: NodeSpec): string[] {
  return [node.host, ...(node.network ? [node.network.address.split('/')[0] ?? ''] : [])];
}

function findMember(node: NodeSpec, members: EtcdMember[]): EtcdMember | undefined {
  return members.find((m) => m.name === node.name || m.name === node.hostname);
}

export const etcdMembersCheck: Check = {
  id: 'etcd.members',
  needs: ['etcd'],
  run(node: NodeSpec, facts: NodeFacts, ctx: CheckContext) {
    if (!node.roles.includes('etcd')) return [];
    const early = missing(this.id, node, facts);
    if (early) return [early];
    const e = facts.etcd as EtcdFacts;
    const expectedNodes = ctx.inventory.nodes.filter((n) => n.roles.includes('etcd'));
    const expected = list(expectedNodes.map((n) => n.name));
    if (!e.members) return [result(this.id, 'fail', expected, null, `member list could not be read: ${e.membersError ?? 'no answer'}`)];
    const actual = list(e.members.map((m) => m.name || `${m.id} (unstarted)`).sort());
    const problems: string[] = [];
    // A lone member may peer on loopback (the setup guide's single etcd); in a cluster peers must be reachable.
    const single = expectedNodes.length === 1;
    for (const n of expectedNodes) {
      const m = findMember(n, e.members);
      if (!m) {
        problems.push(`${n.name} is not a member`);
        continue;
      }
      const want = addressesOf(n);
      const hosts = m.peerURLs.map(hostOf);
      if (!hosts.some((h) => h !== null && (want.includes(h) || (single && LOOPBACK.test(h)))))
        problems.push(`member ${m.name} peers at ${list(m.peerURLs)}, not at ${n.name}'s address ${list([...new Set(want)])}`);
    }
    for (const m of e.members) {
      if (!expectedNodes.some((n) => findMember(n, [m]))) problems.push(`unexpected member ${m.name || '(unstarted)'} ${m.id} peering at ${list(m.peerURLs)}`);
    }
    // The node's own member must also answer: a stopped member stays in the list.
    const own = findMember(node, e.members);
    const ownDown = own && e.health?.filter((h) => own.clientURLs.includes(h.endpoint) && !h.healthy);
    if (ownDown?.length) problems.push(`${node.name}'s own member does not answer at ${list(ownDown.map((h) => h.endpoint))}${ownDown[0]?.error ? ` (${ownDown[0].error})` : ''}`);
    const count = `${e.members.length} member${e.members.length === 1 ? '' : 's'}`;
    if (!problems.length) return [result(this.id, 'pass', expected, actual, `${count} as in the inventory (${e.api}): ${actual}`)];
    return [result(this.id, 'fail', expected, actual, `${count}, expected ${expectedNodes.length}: ${problems.join('; ')}`)];
  },
};
