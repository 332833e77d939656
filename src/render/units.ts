import { servicesFor } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { ETCD_UNIT, isEtcdNode } from './etcd.js';
import { FLANNEL_UNIT, flannelConfigDropin, flannelOn } from './flannel.js';
import { apiServerUnit } from './apiserver.js';
import { kubeletUnit } from './kubelet.js';
import { isMaster, kubernetesOn, runsKubelet } from './kubernetes.js';
import type { UnitSpec } from './model.js';

// The units render writes whole (the OS ships none of them): kube-apiserver on masters, the
// kubelet on masters and workers, when the inventory has cluster.kubernetes.
function kubernetesUnits(node: NodeSpec, inventory: Inventory): UnitSpec[] {
  if (!kubernetesOn(inventory)) return [];
  return [...(isMaster(node) ? [apiServerUnit(node, inventory)] : []), ...(runsKubelet(node) ? [kubeletUnit(node, inventory)] : [])];
}

// The units this node enables: etcd-member on etcd nodes, flanneld where flannel runs, the
// Kubernetes units of its roles, then the units cluster.services expects of the node's roles
// (what `verify`'s service check reads), each once, in that order.
export function nodeUnits(node: NodeSpec, inventory: Inventory): UnitSpec[] {
  const whole = new Map(kubernetesUnits(node, inventory).map((u) => [u.name, u]));
  const names = [
    ...(isEtcdNode(node) ? [ETCD_UNIT] : []),
    ...(flannelOn(inventory) ? [FLANNEL_UNIT] : []),
    ...whole.keys(),
    ...servicesFor(node, inventory),
  ];
  const configDropin = flannelOn(inventory) ? flannelConfigDropin(node, inventory) : undefined;
  return [...new Set(names)].map(
    (name) =>
      whole.get(name) ?? {
        name,
        enabled: true,
        dropins: name === FLANNEL_UNIT && configDropin ? [configDropin] : [],
      },
  );
}
