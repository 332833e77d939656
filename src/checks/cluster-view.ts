// What the checks that compare nodes read: every node's facts and what follows from all of them,
// worked out once per run after the last node (run/evaluate.ts) and passed in the check context.
// Nothing here is remembered between runs.
import { validateFlannelConfig } from '../flannel/config.js';
import { isUnserved, keyVerdict } from '../flannel/key-verdict.js';
import type { EtcdApi } from '../flannel/keyspace.js';
import { clusterReaders, keyIn } from '../flannel/readers.js';
import type { ClusterReaders } from '../flannel/readers.js';
import { valueOf } from '../facts/types.js';
import type { FlannelConfigFact, NodeFacts } from '../facts/types.js';
import type { Inventory } from '../inventory/types.js';
import type { KubeApiRead } from '../kube/view.js';
import { blameDatapath } from './flannel-datapath-blame.js';
import type { DatapathRun, Verdict } from './flannel-datapath-blame.js';
import { broadcastOf, networkOf, parseCidr } from '../util/ipv4.js';

export interface ClusterFlannel {
  network?: string; // from the config key when readable and valid, else the inventory's
  subnetLen?: number;
  backendType?: string;
  source: string; // for messages: "the config key (read on lab-node-1)" or "cluster.flannel.network"
}

export interface Lease {
  node: string;
  subnet: string; // FLANNEL_SUBNET as written
  first: number;
  last: number;
}

export interface ClusterView {
  facts: ReadonlyMap<string, NodeFacts | null>; // by node name; null: not gathered
  readers: ClusterReaders; // the keyspaces the flannels read, and why
  flannel: ClusterFlannel;
  key: Partial<Record<EtcdApi, { value: string | null; fact: FlannelConfigFact }>>; // as some etcd node read it
  unserved: Record<EtcdApi, boolean>; // some etcd node found that keyspace not served
  sharedLeases: ReadonlyMap<string, Lease[]>; // node → the other nodes whose lease overlaps its own
  kube?: KubeApiRead; // the run's one read of the Kubernetes API; absent: not read (no kube check selected)
  datapath?: ReadonlyMap<string, Verdict>; // flannel.datapath's verdict by node; absent: the echoes were not sent
}

// What the engine read once for the whole run, besides the nodes' facts.
export interface ClusterInputs {
  kube?: KubeApiRead;
  datapath?: DatapathRun; // flannel.datapath's echoes, sent once every lease was known (run/datapath.ts)
}

export function buildClusterView(inventory: Inventory, facts: ReadonlyMap<string, NodeFacts | null>, inputs: ClusterInputs = {}): ClusterView {
  const readers = clusterReaders(inventory, facts);
  const key: ClusterView['key'] = {};
  const unserved = { v2: false, v3: false };
  for (const api of ['v2', 'v3'] as const) {
    const k = keyIn(inventory, facts, api);
    if (k) key[api] = k;
    unserved[api] = [...facts.values()].some((f) => isUnserved(valueOf(f?.flannelConfig)?.[api]));
  }
  return { facts, readers, flannel: clusterFlannel(inventory, facts, readers), key, unserved, sharedLeases: sharedLeases(inventory, facts), ...(inputs.kube ? { kube: inputs.kube } : {}), ...(inputs.datapath ? { datapath: blameDatapath(inputs.datapath) } : {}) };
}

// The first valid config read on any node, in inventory order, from the keyspace the flannels
// read; else what the inventory expects.
function clusterFlannel(inventory: Inventory, facts: ReadonlyMap<string, NodeFacts | null>, { readers }: ClusterReaders): ClusterFlannel {
  const settings = inventory.cluster.flannel;
  for (const n of inventory.nodes) {
    const fact = valueOf(facts.get(n.name)?.flannelConfig);
    if (!fact) continue;
    const r = keyVerdict(fact, readers);
    if (r.kind !== 'found') continue;
    const v = validateFlannelConfig(r.value);
    if (!v.ok) continue;
    const c = v.config;
    return { network: c.network, subnetLen: c.subnetLen, backendType: c.backendType, source: `the config key (read on ${n.name})` };
  }
  return {
    ...(settings.network === undefined ? {} : { network: settings.network }),
    ...(settings.subnetLen === undefined ? {} : { subnetLen: settings.subnetLen }),
    source: 'cluster.flannel.network',
  };
}

// Leases that share addresses, found by a sweep over the leases sorted by first address: each
// lease parsed once, O(n log n) plus the overlaps found.
function sharedLeases(inventory: Inventory, facts: ReadonlyMap<string, NodeFacts | null>): Map<string, Lease[]> {
  const leases: Lease[] = [];
  for (const n of inventory.nodes) {
    const subnet = valueOf(facts.get(n.name)?.subnetEnv)?.subnet;
    const c = subnet ? parseCidr(subnet) : undefined;
    if (subnet && c) leases.push({ node: n.name, subnet, first: networkOf(c), last: broadcastOf(c) });
  }
  leases.sort((a, b) => a.first - b.first);
  const shared = new Map<string, Lease[]>();
  const add = (a: Lease, b: Lease) => shared.set(a.node, [...(shared.get(a.node) ?? []), b]);
  for (let i = 0; i < leases.length; i++) {
    const a = leases[i] as Lease;
    for (let j = i + 1; j < leases.length && (leases[j] as Lease).first <= a.last; j++) {
      const b = leases[j] as Lease;
      add(a, b);
      add(b, a);
    }
  }
  const order = new Map(inventory.nodes.map((n, i) => [n.name, i]));
  for (const list of shared.values()) list.sort((a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0));
  return shared;
}

// The view a cluster-scope check runs with; the engine always passes it (a missing one is a bug).
export function viewOf(ctx: { cluster?: ClusterView }): ClusterView {
  if (!ctx.cluster) throw new Error('a check that compares nodes ran without the cluster view');
  return ctx.cluster;
}
