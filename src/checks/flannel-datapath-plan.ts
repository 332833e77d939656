// Who pings whom for flannel.datapath: the nodes whose lease and device are in place, in
// inventory order on a ring, each pinging the k after it, so every node is pinged by the k before
// it. Deterministic (the same inventory and leases, the same pairs every run) and pure.
import { valueOf } from '../facts/types.js';
import type { NodeFacts } from '../facts/types.js';
import type { DatapathAsk } from '../facts/gatherers/datapath.js';
import { ECHO_WAIT_S } from '../facts/gatherers/datapath.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { cidrContains, formatIPv4, networkOf, parseCidr, parseIPv4 } from '../util/ipv4.js';

// What the plan reads of the cluster view (cluster-view.ts, which holds the verdicts built from
// this plan: named here, not imported, so the two do not import each other).
export interface PlanView {
  facts: ReadonlyMap<string, NodeFacts | null>;
  flannel: { network?: string; backendType?: string };
  sharedLeases: ReadonlyMap<string, readonly unknown[]>;
}

export const DATAPATH_PEERS = 2;

// The encapsulation each backend sends between the underlay addresses, and its device.
export const BACKEND_PATH: Readonly<Record<string, { port: number; dev: string }>> = { vxlan: { port: 8472, dev: 'flannel.1' }, udp: { port: 8285, dev: 'flannel0' } };

export interface Member {
  node: string;
  addr: string; // flannel address: the lease's .0
  underlay?: string; // where its peers send the encapsulation (the inventory's address)
  mtu?: number; // FLANNEL_MTU
}

export interface DatapathPlan {
  backend?: string; // vxlan or udp; undefined: no node has a flannel device to tell
  members: Member[];
  asks: Map<string, DatapathAsk>; // node → its request
  pingers: Map<string, string[]>; // node → the nodes that ping it
  left: Map<string, string>; // node → why it takes no part
}

// The address flanneld announces for a node: the inventory's static address, else its SSH host
// when that is an address.
export function underlayOf(node: NodeSpec): string | undefined {
  const a = node.network?.address.split('/')[0];
  if (a && parseIPv4(a) !== undefined) return a;
  return parseIPv4(node.host) !== undefined ? node.host : undefined;
}

function backendOf(view: PlanView): string | undefined {
  if (view.flannel.backendType) return view.flannel.backendType;
  for (const f of view.facts.values()) {
    const links = valueOf(f?.links) ?? [];
    const b = Object.entries(BACKEND_PATH).find(([, p]) => links.some((l) => l.ifname === p.dev));
    if (b) return b[0];
  }
  return undefined;
}

// Why `node` cannot take part, or its place on the ring.
function member(node: NodeSpec, facts: NodeFacts | null | undefined, view: PlanView, dev: string): Member | string {
  if (!facts) return `${node.name} was not gathered`;
  const env = valueOf(facts.subnetEnv);
  const lease = env?.subnet ? parseCidr(env.subnet) : undefined;
  if (!env || !lease) return `${node.name} has no flannel lease yet (see flannel.lease)`;
  const addr = formatIPv4(networkOf(lease));
  if (view.sharedLeases.get(node.name)?.length) return `${node.name}'s lease ${env.subnet} is held by another node too (see flannel.lease)`;
  if (view.flannel.network && parseCidr(view.flannel.network) && !cidrContains(view.flannel.network, addr)) return `${node.name}'s lease ${env.subnet} is outside Network ${view.flannel.network} (see flannel.lease)`;
  const link = valueOf(facts.links)?.find((l) => l.ifname === dev);
  if (!link?.up) return `${node.name} has no ${dev} up (see flannel.interface)`;
  const underlay = underlayOf(node);
  return { node: node.name, addr, ...(underlay ? { underlay } : {}), ...(env.mtu ? { mtu: env.mtu } : {}) };
}

export function planDatapath(inventory: Inventory, view: PlanView, k = inventory.cluster.flannel.datapathPeers ?? DATAPATH_PEERS): DatapathPlan {
  const backend = backendOf(view);
  const path = backend ? BACKEND_PATH[backend] : undefined;
  const plan: DatapathPlan = { ...(backend ? { backend } : {}), members: [], asks: new Map(), pingers: new Map(), left: new Map() };
  if (!inventory.cluster.flannel.enabled) return plan;
  for (const n of inventory.nodes) {
    if (!path) {
      plan.left.set(n.name, backend ? `backend ${backend}: flannel.datapath tests vxlan and udp` : 'no node has a flannel device, so the backend is unknown');
      continue;
    }
    const m = member(n, view.facts.get(n.name), view, path.dev);
    if (typeof m === 'string') plan.left.set(n.name, m);
    else plan.members.push(m);
  }
  const ms = plan.members;
  const kk = Math.min(k, ms.length - 1);
  for (const m of ms) plan.pingers.set(m.node, []);
  ms.forEach((m, i) => {
    const targets = Array.from({ length: kk }, (_, d) => ms[(i + d + 1) % ms.length] as Member);
    const pingers = Array.from({ length: kk }, (_, d) => ms[(i - d - 1 + ms.length) % ms.length] as Member);
    for (const t of targets) plan.pingers.get(t.node)?.push(m.node);
    const ask: DatapathAsk = { targets: targets.map((t) => ({ peer: t.node, addr: t.addr, ...(t.underlay ? { underlay: t.underlay } : {}) })), waitS: ECHO_WAIT_S };
    if (m.mtu) ask.size = m.mtu - 28;
    // Replies go back through the pingers' entries too: read both.
    if (backend === 'vxlan') ask.neigh = { dev: 'flannel.1', peers: [...new Map([...targets, ...pingers].map((p) => [p.node, { peer: p.node, addr: p.addr }])).values()] };
    if (kk > 0) plan.asks.set(m.node, ask);
    else plan.left.set(m.node, `${m.node} has no peer with a lease to ping`);
  });
  const at = new Map(ms.map((m, i) => [m.node, i]));
  for (const list of plan.pingers.values()) list.sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0));
  return plan;
}
