// What render needs of cluster.kubernetes beyond the schema: an apiserver for the kubelets, an IP
// address on each Kubernetes node, a service range, Node names Kubernetes accepts. Pure.
import type { Inventory } from '../inventory/types.js';
import type { RawProblem } from '../inventory/problems.js';
import { parseCidr } from '../util/ipv4.js';
import { memberAddress } from './etcd.js';
import { isMaster, kubeNodeName, runsKubelet } from './kubernetes.js';

// A DNS-1123 subdomain, what the API accepts as a Node name (lowercase only).
const NODE_NAME = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

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
  const names = new Map<string, number>();
  inv.nodes.forEach((node, i) => {
    if (!runsKubelet(node)) return;
    if (memberAddress(node) === undefined) {
      out.push({ path: ['nodes', i, 'host'], message: `the kubelet's --node-ip (and a master's --advertise-address) is an IP address, and ${node.name} has none: give it network.address (or an IPv4 host)` });
    }
    const name = kubeNodeName(node);
    const namePath = ['nodes', i, ...(node.kubernetes?.nodeName === undefined ? ['hostname'] : ['kubernetes', 'nodeName'])];
    if (!NODE_NAME.test(name)) out.push({ path: namePath, message: `'${name}' is not a Kubernetes Node name (lowercase letters, digits, - and .): set nodes[${i}].kubernetes.nodeName` });
    const owner = names.get(name);
    if (owner !== undefined) out.push({ path: namePath, message: `Node name '${name}' is already the Node name of nodes[${owner}]` });
    else names.set(name, i);
  });
  return out;
}
