// Which nodes a check applies to, from the inventory alone: a node that could not be reached
// reports the same check ids as one that could.
import { etcdNodes, servicesFor } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';

export type AppliesTo = (node: NodeSpec, inventory: Inventory) => boolean;

export const everyNode: AppliesTo = () => true;
export const etcdRole: AppliesTo = (node) => node.roles.includes('etcd');
export const flannelNodes: AppliesTo = (_node, inventory) => inventory.cluster.flannel.enabled;
// The flannel config key is cluster-wide: reported on the etcd nodes, which read it (on every
// node, as a skip saying why, when the inventory has no etcd node).
export const flannelKeyNodes: AppliesTo = (node, inventory) => inventory.cluster.flannel.enabled && (node.roles.includes('etcd') || etcdNodes(inventory).length === 0);
export const serviceNodes: AppliesTo = (node, inventory) => servicesFor(node, inventory).length > 0;
