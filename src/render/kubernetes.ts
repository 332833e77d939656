// What every Kubernetes part render writes shares: whether the inventory asks for Kubernetes,
// which nodes run what, the names, paths and address they agree on. Pure.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { memberAddress } from './etcd.js';

// Flatcar's /usr is read-only: binaries the operator installs go in /opt/bin.
export const BIN_DIR = '/opt/bin';
export const KUBERNETES_DIR = '/etc/kubernetes';
export const APISERVER_PORT = 6443;

export const kubernetesOn = (inventory: Inventory): boolean => inventory.cluster.kubernetes !== undefined;
export const isMaster = (node: NodeSpec): boolean => node.roles.includes('master');
// The kubelet runs on masters and workers; an etcd-only node is no Kubernetes node.
export const runsKubelet = (node: NodeSpec): boolean => isMaster(node) || node.roles.includes('worker');

// The Node name the kubelet registers under: the inventory's, else the hostname lowercased (what
// the kubelet itself does with the hostname).
export const kubeNodeName = (node: NodeSpec): string => node.kubernetes?.nodeName ?? node.hostname.toLowerCase();

// A certificate or key file the operator provides, in cluster.kubernetes.pkiDir.
export function pkiFile(inventory: Inventory, file: string): string {
  return `${inventory.cluster.kubernetes?.pkiDir ?? `${KUBERNETES_DIR}/pki`}/${file}`;
}

// The apiserver every kubelet talks to: the first master's, in inventory order.
export function apiServerUrl(inventory: Inventory): string | undefined {
  const master = inventory.nodes.find(isMaster);
  const addr = master === undefined ? undefined : memberAddress(master);
  return addr === undefined ? undefined : `https://${addr}:${APISERVER_PORT}`;
}
