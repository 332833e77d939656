// The etcd endpoints a node's flanneld dials: what its unit names (FLANNELD_ETCD_ENDPOINTS or
// --etcd-endpoints), else what the inventory says for the node, else for the cluster. Pure.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { unitEtcdEndpoints } from './unit.js';
import type { FlanneldUnit } from './unit.js';

export interface FlannelEndpoints {
  endpoints: string[];
  from: string; // for messages: "FLANNELD_ETCD_ENDPOINTS in /etc/…/20-clct-flannel.conf", "nodes[].etcd.endpoints"
}

export function flannelEtcdEndpoints(node: NodeSpec, inventory: Inventory, unit: FlanneldUnit | null | undefined): FlannelEndpoints {
  const fromUnit = unit ? unitEtcdEndpoints(unit) : undefined;
  if (fromUnit) return fromUnit;
  if (node.etcd?.endpoints?.length) return { endpoints: [...node.etcd.endpoints], from: `${node.name}'s etcd.endpoints in the inventory` };
  return { endpoints: [...inventory.cluster.etcd.endpoints], from: 'cluster.etcd.endpoints in the inventory' };
}

// Loopback as an etcd client URL names it: 127.0.0.0/8, localhost, ::1.
export function isLoopbackUrl(url: string): boolean {
  try {
    return /^(127\.|localhost$|\[?::1\]?$)/.test(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}
