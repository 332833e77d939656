// What the inventory expects of one master or worker, in the terms the kube.* checks use.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { parseIPv4 } from '../util/ipv4.js';

export interface KubeNodeExpect {
  name: string; // the inventory's node name, for messages
  nodeName: string; // the Node it should register (nodes[].kubernetes.nodeName, else hostname lowercased)
  master: boolean;
  worker: boolean;
  address?: string; // the InternalIP it should have; absent: nothing to compare
  addressFrom?: string; // "network.address" or "host"
  etcdEndpoints: string[]; // what the apiserver should use (masters)
  etcdFrom: string; // "cluster.etcd.endpoints" or "nodes[].etcd.endpoints"
  flannel: boolean; // the cluster runs flannel: its CNI config is the one expected
}

// The expectations for a node, or undefined when it is no Kubernetes node (not a master or
// worker, or no cluster.kubernetes).
export function kubeExpect(node: NodeSpec, inv: Inventory): KubeNodeExpect | undefined {
  if (!node.kubernetes || !inv.cluster.kubernetes) return undefined;
  const fromNetwork = node.network?.address.split('/')[0];
  const address = fromNetwork ?? (parseIPv4(node.host) !== undefined ? node.host : undefined);
  const own = node.etcd?.endpoints;
  return {
    name: node.name,
    nodeName: node.kubernetes.nodeName,
    master: node.roles.includes('master'),
    worker: node.roles.includes('worker'),
    ...(address === undefined ? {} : { address, addressFrom: fromNetwork !== undefined ? 'network.address' : 'host' }),
    etcdEndpoints: [...(own?.length ? own : inv.cluster.etcd.endpoints)],
    etcdFrom: own?.length ? 'nodes[].etcd.endpoints' : 'cluster.etcd.endpoints',
    flannel: inv.cluster.flannel.enabled,
  };
}

// A master or worker of an inventory that describes Kubernetes: the nodes the kube.* checks are for.
export const isKubeNode = (node: NodeSpec, inv: Inventory): boolean => kubeExpect(node, inv) !== undefined && (node.roles.includes('master') || node.roles.includes('worker'));
