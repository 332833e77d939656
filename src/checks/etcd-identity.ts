// Which etcd member is which node's. A member's identity is where it peers more than its name:
// the setup guide names its member app-etcd-1 on a machine named otherwise, and Container Linux
// names it after the machine-id by default (ETCD_NAME=%m). So: a member whose peer URL host is the
// node's host or network address; else, for a lone member peering on loopback, the lone etcd
// node; else a member named as the node pins it (etcd.name), is named, or is hostnamed. Pure.
import type { EtcdMember } from '../etcdctl/cluster-parse.js';
import type { NodeSpec } from '../inventory/types.js';

export type MatchedBy = 'peer' | 'loopback' | 'name';

export interface MemberMatch {
  node: NodeSpec;
  member: EtcdMember;
  by: MatchedBy;
}

export interface Identity {
  matches: MemberMatch[];
  unmatched: NodeSpec[]; // etcd nodes with no member
  strangers: EtcdMember[]; // members no etcd node claims
  problems: string[]; // a pinned name that differs, a member that peers elsewhere
}

export const hostOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return null;
  }
};
export const isLoopback = (host: string): boolean => /^(127\.|localhost$|::1$)/.test(host);

// The addresses a member of this node may advertise: the inventory's host and network address.
export function addressesOf(node: NodeSpec): string[] {
  const out = [node.host.toLowerCase()];
  const a = node.network?.address.split('/')[0];
  if (a && !out.includes(a)) out.push(a);
  return out;
}

// "app-etcd-1 (f4aab1…)": the name and enough of the ID to tell two members apart.
export const describeMember = (m: EtcdMember): string => `${m.name || '(unstarted)'} (${m.id.length > 6 ? `${m.id.slice(0, 6)}…` : m.id})`;

const pinned = (n: NodeSpec): string | undefined => n.etcd?.name;
const names = (n: NodeSpec): string[] => [...new Set([pinned(n), n.name, n.hostname].filter((x): x is string => Boolean(x)))];

export function matchMembers(nodes: readonly NodeSpec[], members: readonly EtcdMember[]): Identity {
  const free = new Set(members);
  const matches: MemberMatch[] = [];
  const problems: string[] = [];
  const take = (node: NodeSpec, member: EtcdMember, by: MatchedBy) => {
    matches.push({ node, member, by });
    free.delete(member);
  };
  const rest: NodeSpec[] = [];
  for (const node of nodes) {
    const want = addressesOf(node);
    const peering = [...free].filter((m) => m.peerURLs.some((u) => want.includes(hostOf(u) ?? '')));
    const [first, second] = peering;
    if (!first) {
      rest.push(node);
      continue;
    }
    // Two members peering at one address cannot both be this node's: prefer the one named as it.
    const member = second ? (peering.find((m) => names(node).includes(m.name)) ?? first) : first;
    if (second) problems.push(`${peering.length} members peer at ${node.name}'s address ${want.join(', ')}: ${peering.map(describeMember).join(', ')}`);
    take(node, member, 'peer');
  }
  const lone = nodes.length === 1 && members.length === 1 ? members[0] : undefined;
  const unmatched: NodeSpec[] = [];
  for (const node of rest) {
    if (lone && free.has(lone) && lone.peerURLs.length > 0 && lone.peerURLs.every((u) => isLoopback(hostOf(u) ?? ''))) {
      take(node, lone, 'loopback');
      continue;
    }
    const named = names(node).map((n) => [...free].find((m) => m.name === n)).find((m) => m !== undefined);
    if (!named) {
      unmatched.push(node);
      continue;
    }
    take(node, named, 'name');
    // Found by name, so it does not peer at the node's address: in a cluster, peers must reach it.
    problems.push(`${node.name}'s member is ${describeMember(named)} by name, but it peers at ${named.peerURLs.join(', ') || 'no URL'}, not at ${node.name}'s address ${addressesOf(node).join(', ')}`);
  }
  for (const { node, member } of matches) {
    const pin = pinned(node);
    if (pin !== undefined && member.name !== '' && member.name !== pin) {
      problems.push(`${node.name}'s member is ${describeMember(member)}, but the inventory pins etcd.name ${pin}: correct nodes[].etcd.name, or the member's name (ETCD_NAME) if ${pin} is meant`);
    }
  }
  return { matches, unmatched, strangers: [...free], problems };
}

// How a match was made, for the pass message: "lab-node-1's member is app-etcd-1 (8e9e05…), peering at its address".
export function describeMatch(m: MemberMatch): string {
  const how = m.by === 'peer' ? 'peering at its address' : m.by === 'loopback' ? 'the lone member, peering on loopback' : 'by name';
  return `${m.node.name}'s member is ${describeMember(m.member)}, ${how}`;
}
