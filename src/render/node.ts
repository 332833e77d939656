import type { Inventory, NodeSpec } from '../inventory/types.js';
import { etcdMember, isEtcdNode } from './etcd.js';
import { flannelCniConfig } from './cni.js';
import { hostnameFile } from './files.js';
import { flannelClient, flannelOn } from './flannel.js';
import { kubeletKubeconfig } from './kubelet.js';
import { kubernetesOn, runsKubelet } from './kubernetes.js';
import type { FileSpec, NodeConfig } from './model.js';
import { staticNetwork } from './networkd.js';
import { nodeUnits } from './units.js';
import { loginUser } from './users.js';

// The kubelet's kubeconfig on masters and workers, and flannel's CNI config where flannel runs.
function kubernetesFiles(node: NodeSpec, inventory: Inventory): FileSpec[] {
  if (!kubernetesOn(inventory) || !runsKubelet(node)) return [];
  return [kubeletKubeconfig(node, inventory), ...(flannelOn(inventory) ? [flannelCniConfig()] : [])];
}

// Everything the setup guide writes by hand for one node. `keyFiles` holds the key lines of
// each sshAuthorizedKeysFile, read by the command: this function does no I/O.
export function nodeConfig(node: NodeSpec, inventory: Inventory, keyFiles: ReadonlyMap<string, string[]>): NodeConfig {
  const user = loginUser(node, keyFiles);
  return {
    node: node.name,
    ...(user === undefined ? {} : { user }),
    files: [hostnameFile(node), ...kubernetesFiles(node, inventory)],
    networkd: node.network ? [staticNetwork(node.network)] : [],
    ...(isEtcdNode(node) ? { etcd: etcdMember(node, inventory) } : {}),
    ...(flannelOn(inventory) ? { flannel: flannelClient(node, inventory) } : {}),
    units: nodeUnits(node, inventory),
  };
}
