// The flannel config key, read through the etcd nodes' etcdctl in both keyspaces (two execs): the
// one a node's flannel reads is decided per node (flannel/keyspace.ts), and the other says where the
// key is instead when it is missing there.
import { etcdAccessFor, etcdGet } from '../../etcdctl/client.js';
import type { Inventory, NodeSpec } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import type { FlannelConfigFact, Gatherer } from '../types.js';

export async function readFlannelConfig(t: Transport, node: NodeSpec, inventory: Inventory, timeoutMs: number): Promise<FlannelConfigFact> {
  const { configKey } = inventory.cluster.flannel;
  const access = etcdAccessFor(node, inventory);
  return { key: configKey, v2: await etcdGet(t, access, 'v2', configKey, timeoutMs), v3: await etcdGet(t, access, 'v3', configKey, timeoutMs) };
}

export const flannelConfigGatherer: Gatherer = {
  name: 'flannel.config',
  applies: (node) => node.roles.includes('etcd'),
  async gather(transport, node, inventory, timeoutMs, facts) {
    facts.flannelConfig = await readFlannelConfig(transport, node, inventory, timeoutMs);
  },
};
