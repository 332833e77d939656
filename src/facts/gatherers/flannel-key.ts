// The flannel config key, read through the etcd nodes' etcdctl in both keyspaces: the one a
// node's flannel reads is decided per node (flannel/keyspace.ts), and the other says where the key
// is instead when it is missing there.
import type { BatchCommand } from '../../etcdctl/batch.js';
import { etcdAccessFor, etcdGet, getArgs, readGet } from '../../etcdctl/client.js';
import type { EtcdRead } from '../../etcdctl/client.js';
import type { EtcdctlOutput } from '../../etcdctl/parse.js';
import { etcdctlNotFound } from '../../etcdctl/messages.js';
import type { Inventory, NodeSpec } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import type { FlannelConfigFact } from '../values.js';

// v2 then v3; `when`: a condition both run under (in verify's batch: etcd answered at all).
export const keyCommands = (key: string, when?: string): BatchCommand[] =>
  (['v2', 'v3'] as const).map((api) => ({ api, args: getArgs(api, key), ...(when ? { when } : {}) }));

// The two reads' results as the fact; a read that was not run says why (`notAsked`).
export function readKey(key: string, results: readonly EtcdctlOutput[] | 'etcdctl missing', timeoutMs: number, notAsked = 'not asked'): FlannelConfigFact {
  const missing: EtcdRead = { ok: false, error: etcdctlNotFound(), etcdctlMissing: true };
  if (results === 'etcdctl missing') return { key, v2: missing, v3: missing };
  const read = (api: 'v2' | 'v3', r: EtcdctlOutput | undefined): EtcdRead =>
    !r || r.skipped ? { ok: false, error: notAsked } : readGet(api, key, r, timeoutMs);
  return { key, v2: read('v2', results[0]), v3: read('v3', results[1]) };
}

// Both keyspaces, one read each (flannel get|set: a few nodes, once).
export async function readFlannelConfig(t: Transport, node: NodeSpec, inventory: Inventory, timeoutMs: number): Promise<FlannelConfigFact> {
  const { configKey } = inventory.cluster.flannel;
  const access = etcdAccessFor(node, inventory);
  return { key: configKey, v2: await etcdGet(t, access, 'v2', configKey, timeoutMs), v3: await etcdGet(t, access, 'v3', configKey, timeoutMs) };
}
