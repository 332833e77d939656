// What the inventory says about flannel and the units per role, with defaults filled in for
// hand-built inventories (normalize fills them for loaded ones).
import { DEFAULT_FLANNEL_KEY } from '../inventory/schema.js';
import type { FlannelEtcdApi, Inventory, NodeSpec } from '../inventory/types.js';

export interface FlannelSettings {
  enabled: boolean;
  network?: string;
  subnetLen?: number;
  etcdApi: FlannelEtcdApi;
  configKey: string;
}

export function flannelSettings(inventory: Inventory): FlannelSettings {
  const f = inventory.cluster.flannel;
  return {
    enabled: f.enabled === true,
    etcdApi: f.etcdApi ?? 'auto',
    configKey: f.configKey ?? DEFAULT_FLANNEL_KEY,
    ...(f.network === undefined ? {} : { network: f.network }),
    ...(f.subnetLen === undefined ? {} : { subnetLen: f.subnetLen }),
  };
}

// Units that must be active on this node: every node's, then each of its roles', in order, once.
export function servicesFor(node: NodeSpec, inventory: Inventory): string[] {
  const s = inventory.cluster.services;
  if (!s) return [];
  return [...new Set([...s.all, ...node.roles.flatMap((r) => s[r])])];
}

// The nodes the config key is read through: flanneld reads it from etcd, and the etcd nodes
// are the ones certain to reach it.
export function configReaders(inventory: Inventory): NodeSpec[] {
  return inventory.nodes.filter((n) => n.roles.includes('etcd'));
}
