// kube.node (masters and workers, from the API): the Node this node registers exists, is Ready,
// has the inventory's address as InternalIP, and runs a kubelet the apiserver supports. Pure.
import type { KubeNodeExpect } from '../kube/expect.js';
import type { Fact } from '../kube/fact.js';
import type { CommandLine } from '../kube/flags.js';
import { kubeletFlags } from '../kube/flags.js';
import { result as kubeResult } from './result.js';
import type { CheckResult } from './types.js';
import { skewProblem, supportedKubelets } from '../kube/version.js';
import type { KubeApiRead, KubeCondition, KubeNodeView } from '../kube/view.js';
import { FLANNEL_CNI_FILE } from '../kube/cni.js';
import { apiOf, expectOf, kubeMasters, kubeNodes } from './kube-scope.js';
import type { Check } from './types.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';

const ID = 'kube.node';

// The API read failed: every check that needs it says so once, with the reason and the fix.
export const apiUnread = (id: string, api: { kubeconfig: string | null; error: string }): CheckResult =>
  kubeResult(id, 'error', null, null, `Could not check: the Kubernetes API could not be read: ${api.error}`);

// What to do about a Ready condition that is not True, from its reason and message.
export function readyHint(c: KubeCondition, flannel: boolean): string {
  const text = `${c.reason ?? ''} ${c.message ?? ''}`;
  if (/cni plugin not initialized|cni config uninitialized|NetworkPluginNotReady|network plugin is not ready/i.test(text)) {
    return flannel
      ? `the container runtime finds no CNI config: flannel's is ${FLANNEL_CNI_FILE} (see kube.cni)`
      : 'the container runtime finds no CNI config in /etc/cni/net.d (see kube.cni)';
  }
  if (c.status === 'Unknown' || /stopped posting node status/i.test(text)) return 'the kubelet stopped reporting: is it running, and can it reach the API? (kube.kubelet)';
  if (/PLEG|container runtime (is down|status check)/i.test(text)) return 'the container runtime does not answer the kubelet: check containerd (`systemctl status containerd`)';
  return 'see `journalctl -u kubelet` on the node';
}

function describeReady(c: KubeCondition | null): string {
  if (!c) return 'no Ready condition';
  const why = [c.reason, c.message].filter(Boolean).join(': ');
  return `Ready=${c.status}${why ? ` (${why})` : ''}`;
}

function missing(e: KubeNodeExpect, nodes: ReadonlyMap<string, KubeNodeView>, kubelet: Fact<CommandLine> | undefined): string {
  const names = [...nodes.keys()].sort();
  const override = kubelet && 'ok' in kubelet ? kubeletFlags(kubelet.ok.argv).hostnameOverride : undefined;
  const lower = override?.toLowerCase();
  const registered = lower !== undefined && lower !== e.nodeName && nodes.has(lower) ? `; its kubelet runs with --hostname-override=${override} and Node ${lower} exists: ` + 'fix the flag, or set nodes[].kubernetes.nodeName to that name' : '';
  return `the API has no Node named ${e.nodeName} (Nodes: ${names.length ? names.join(', ') : 'none'})${registered || `: is the kubelet on ${e.name} running and registered under another name? (set nodes[].kubernetes.nodeName to the name it registers)`}`;
}

export function checkNode(e: KubeNodeExpect, api: KubeApiRead, kubelet?: Fact<CommandLine>): CheckResult[] {
  if (!e.master && !e.worker) return [];
  if (!api.ok) return [apiUnread(ID, api)];
  const { view } = api;
  const apiVersion = view.version?.gitVersion;
  const want = [`Node ${e.nodeName} Ready`, ...(e.address ? [`InternalIP ${e.address}`] : []), ...(apiVersion ? [`kubelet ${supportedKubelets(apiVersion)}`] : [])].join(', ');
  const n = view.nodes.get(e.nodeName);
  if (!n) return [kubeResult(ID, 'fail', want, 'no such Node', missing(e, view.nodes, kubelet))];
  const actual = [describeReady(n.ready), `InternalIP ${n.internalIPs.join(',') || 'none'}`, `kubelet ${n.kubeletVersion ?? 'unknown'}`].join(', ');
  const problems: string[] = [];
  if (n.ready?.status !== 'True') problems.push(`${describeReady(n.ready)}: ${n.ready ? readyHint(n.ready, e.flannel) : 'the kubelet has not reported its status yet'}`);
  if (e.address && !n.internalIPs.includes(e.address)) {
    const nodeIp = kubelet && 'ok' in kubelet ? kubeletFlags(kubelet.ok.argv).nodeIp : undefined;
    const how = nodeIp !== undefined ? `the kubelet runs with --node-ip=${nodeIp}` : 'the kubelet picked another address';
    problems.push(`InternalIP is ${n.internalIPs.join(', ') || 'not set'}, the inventory's ${e.addressFrom ?? 'address'} is ${e.address}: ${how}; start it with --node-ip=${e.address}`);
  }
  const skew = apiVersion && n.kubeletVersion ? skewProblem(n.kubeletVersion, apiVersion) : undefined;
  if (skew) problems.push(skew);
  if (problems.length) return [kubeResult(ID, 'fail', want, actual, `Node ${e.nodeName}: ${problems.join('; ')}`)];
  return [kubeResult(ID, 'pass', want, actual, `Node ${e.nodeName} is Ready at ${n.internalIPs.join(', ')}, kubelet ${n.kubeletVersion ?? 'unknown'}${apiVersion ? ` (apiserver ${apiVersion})` : ''}`)];
}

// Nodes the API knows that the inventory does not, reported once for the cluster, by name.
export function checkUnknownNodes(expected: readonly KubeNodeExpect[], api: KubeApiRead): CheckResult[] {
  const id = 'kube.nodes';
  if (!api.ok) return [apiUnread(id, api)];
  const known = new Set(expected.map((e) => e.nodeName));
  const want = `only the inventory's Nodes (${known.size})`;
  const extra = [...api.view.nodes.keys()].filter((n) => !known.has(n)).sort();
  const actual = `${api.view.nodes.size} Node${api.view.nodes.size === 1 ? '' : 's'}`;
  if (!extra.length) return [kubeResult(id, 'pass', want, actual, `every Node the API knows at ${api.view.server} is in the inventory`)];
  return [
    kubeResult(id, 'fail', want, actual, `the API at ${api.view.server} knows ${extra.length === 1 ? 'a Node' : 'Nodes'} the inventory does not: ${extra.join(', ')}; add ${extra.length === 1 ? 'it' : 'them'} to the inventory (or set kubernetes.nodeName), or \`kubectl delete node\` what is gone`),
  ];
}

// From the API: the Node registered under this node's name, Ready, its InternalIP and version.
export const kubeNodeCheck: Check = {
  id: ID,
  scope: 'cluster',
  appliesTo: kubeNodes,
  reads: ['kube.api'],
  run(node, facts, ctx) {
    const kubelet = 'ok' in facts.kube ? facts.kube.ok.kubelet : undefined;
    return checkNode(expectOf(node, ctx.inventory), apiOf(ctx), kubelet);
  },
};

// Nodes the API knows and the inventory does not: said once, on the first master of the inventory.
const firstMaster = (inv: Inventory): NodeSpec | undefined => inv.nodes.find((n) => kubeMasters(n, inv)) ?? inv.nodes.find((n) => kubeNodes(n, inv));
export const kubeNodesCheck: Check = {
  id: 'kube.nodes',
  scope: 'cluster',
  appliesTo: (node, inv) => firstMaster(inv)?.name === node.name,
  reads: ['kube.api'],
  run(_node, _facts, ctx) {
    const all = ctx.inventory.nodes.filter((n) => kubeNodes(n, ctx.inventory)).map((n) => expectOf(n, ctx.inventory));
    return checkUnknownNodes(all, apiOf(ctx));
  },
};
