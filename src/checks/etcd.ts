// etcd.health and etcd.members: what an etcd node's etcdctl says about the cluster, against the
// inventory's etcd nodes. Pure: the facts come from facts/gatherers/etcd.ts.
import { etcdRole } from './applies.js';
import type { EtcdFacts } from '../facts/types.js';
import type { NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../inventory/types.js';
import { etcdctlNotFound } from '../etcdctl/messages.js';
import { addressesOf, describeMatch, describeMember, matchMembers } from './etcd-identity.js';
import { factError, list, result } from './result.js';
import type { Check, CheckContext, CheckResult } from './types.js';

// The etcd facts, or the result to report when there are none usable. Only etcd nodes get etcd
// checks at all (appliesTo).
function usable(id: string, node: NodeSpec, facts: NodeFacts): EtcdFacts | CheckResult {
  const f = facts.etcd;
  if (!('ok' in f)) return factError(id, f, null);
  const e = f.ok;
  if (!e.etcdctl) return result(id, 'error', null, null, etcdctlNotFound(node.name, node.user));
  if (e.blocked) return result(id, 'error', null, null, `Could not check: ${e.blocked}`);
  return e;
}
const isResult = (x: EtcdFacts | CheckResult): x is CheckResult => 'status' in x;

export const etcdHealthCheck: Check = {
  id: 'etcd.health',
  scope: 'node',
  appliesTo: etcdRole,
  needs: ['etcd'],
  run(node, facts) {
    const e = usable(this.id, node, facts);
    if (isResult(e)) return [e];
    const how = e.healthFrom ?? (e.api === 'v2' ? 'v2 cluster-health' : 'v3 endpoint health');
    if (!e.health) return [result(this.id, 'fail', 'every endpoint healthy', null, `etcd does not answer: ${e.healthError ?? 'no health result'}`)];
    const bad = e.health.filter((h) => !h.healthy);
    const all = `${e.health.length} endpoint${e.health.length === 1 ? '' : 's'}`;
    if (!bad.length) return [result(this.id, 'pass', 'every endpoint healthy', `${all} healthy`, `${all} healthy (${how}: ${list(e.health.map((h) => h.endpoint))})`)];
    const named = bad.map((h) => `${h.endpoint}${h.error ? ` (${h.error})` : ''}`);
    return [result(this.id, 'fail', 'every endpoint healthy', `${bad.length} of ${all} unhealthy`, `unhealthy (${how}): ${named.join('; ')}`)];
  },
};

export const etcdMembersCheck: Check = {
  id: 'etcd.members',
  scope: 'node',
  appliesTo: etcdRole,
  needs: ['etcd'],
  run(node: NodeSpec, facts: NodeFacts, ctx: CheckContext) {
    const e = usable(this.id, node, facts);
    if (isResult(e)) return [e];
    const expectedNodes = ctx.inventory.nodes.filter((n) => n.roles.includes('etcd'));
    const expected = list(expectedNodes.map((n) => n.name));
    if (!e.members) return [result(this.id, 'fail', expected, null, `member list could not be read: ${e.membersError ?? 'no answer'}`)];
    const actual = list(e.members.map((m) => m.name || `${m.id} (unstarted)`).sort());
    // Members are matched to nodes by where they peer, then by name (etcd-identity.ts).
    const id = matchMembers(expectedNodes, e.members);
    const problems = [...id.problems];
    for (const n of id.unmatched) problems.push(`${n.name} has no member: none peers at its address ${list(addressesOf(n))}${n.etcd?.name ? ` or is named ${n.etcd.name}` : ` or is named ${list([...new Set([n.name, n.hostname])])}`}`);
    for (const m of id.strangers) problems.push(`unexpected member ${describeMember(m)} peering at ${list(m.peerURLs)}: no etcd node of the inventory has that address`);
    // The node's own member must also answer: a stopped member stays in the list.
    const own = id.matches.find((m) => m.node.name === node.name)?.member;
    const ownDown = own && e.health?.filter((h) => own.clientURLs.includes(h.endpoint) && !h.healthy);
    if (own && ownDown?.length) problems.push(`${node.name}'s own member ${describeMember(own)} does not answer at ${list(ownDown.map((h) => h.endpoint))}${ownDown[0]?.error ? ` (${ownDown[0].error})` : ''}`);
    const count = `${e.members.length} member${e.members.length === 1 ? '' : 's'}`;
    if (!problems.length) return [result(this.id, 'pass', expected, actual, `${count} as in the inventory (${e.api}): ${id.matches.map(describeMatch).join('; ')}`)];
    return [result(this.id, 'fail', expected, actual, `${count}, expected ${expectedNodes.length}: ${problems.join('; ')}`)];
  },
};
