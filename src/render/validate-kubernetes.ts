// What render needs of cluster.kubernetes beyond the schema: an apiserver for the kubelets, an IP
// address on each Kubernetes node, a service range. Pure.
import type { Inventory } from '../inventory/types.js';
import type { RawProblem } from '../inventory/problems.js';
import { parseCidr } from '../util/ipv4.js';
import { memberAddress } from './etcd.js';
import { isMaster, runsKubelet } from './kubernetes.js';

export function kubernetesProblems(inv: Inventory): RawProblem[] {
  const k = inv.cluster.kubernetes;
  if (k === undefined) return [];
  const out: RawProblem[] = [];
  if (!inv.nodes.some(isMaster)) {
    out.push({ path: ['cluster', 'kubernetes'], message: 'render writes kube-apiserver on master nodes and points every kubelet at the first one, but no node has the master role' });
  }
  if (parseCidr(k.serviceClusterIpRange) === undefined) {
    out.push({ path: ['cluster', 'kubernetes', 'serviceClusterIpRange'], message: `'${k.serviceClusterIpRange}' is not an IPv4 CIDR (e.g. 10.3.0.0/24)` });
  }
  inv.nodes.forEach((node, i) => {
    if (runsKubelet(node) && memberAddress(node) === undefined) {
      out.push({ path: ['nodes', i, 'host'], message: `the kubelet's --node-ip (and a master's --advertise-address) is an IP address, and ${node.name} has none: give it network.address (or an IPv4 host)` });
    }
  });
  // Node names (valid, unique): the inventory's own rules (inventory/rules/kubernetes.ts).
  return out;
}
