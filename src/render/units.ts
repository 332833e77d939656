import { servicesFor } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { ETCD_UNIT, isEtcdNode } from './etcd.js';
import { FLANNEL_UNIT, flannelConfigDropin, flannelOn } from './flannel.js';
import type { UnitSpec } from './model.js';

// The units this node enables: etcd-member on etcd nodes, flanneld where flannel runs, then
// the units cluster.services expects of the node's roles (what `verify`'s service check reads),
// each once, in that order.
export function nodeUnits(node: NodeSpec, inventory: Inventory): UnitSpec[] {
  const names = [
    ...(isEtcdNode(node) ? [ETCD_UNIT] : []),
    ...(flannelOn(inventory) ? [FLANNEL_UNIT] : []),
    ...servicesFor(node, inventory),
  ];
  const configDropin = flannelOn(inventory) ? flannelConfigDropin(node, inventory) : undefined;
  return [...new Set(names)].map((name) => ({
    name,
    enabled: true,
    dropins: name === FLANNEL_UNIT && configDropin ? [configDropin] : [],
  }));
}
