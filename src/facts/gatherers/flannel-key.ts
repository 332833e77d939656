// The flannel config key, read through the etcd nodes' etcdctl in the keyspace(s) flannel may
// read (one or two execs: v2, v3).
import { etcdAccessFor, etcdGet } from '../../etcdctl/client.js';
import type { Inventory, NodeSpec } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import type { FlannelConfigFact, Gatherer } from '../types.js';

// One read per keyspace asked: v2, v3, or both for etcdApi auto.
export async function readFlannelConfig(t: Transport, node: NodeSpec, inventory: Inventory, timeoutMs: number): Promise<FlannelConfigFact> {
  const { etcdApi, configKey } = inventory.cluster.flannel;
  const access = etcdAccessFor(node, inventory);
  const fact: FlannelConfigFact = { key: configKey };
  if (etcdApi !== 'v3') fact.v2 = await etcdGet(t, access, 'v2', configKey, timeoutMs);
  if (etcdApi !== 'v2') fact.v3 = await etcdGet(t, access, 'v3', configKey, timeoutMs);
  return fact;
}

export const flannelConfigGatherer: Gatherer = {
  name: 'flannel.config',
  applies: (node) => node.roles.includes('etcd'),
  async gather(transport, node, inventory, timeoutMs, facts) {
    facts.flannelConfig = await readFlannelConfig(transport, node, inventory, timeoutMs);
  },
};
