// The kube.* checks (kube/ holds their logic): what runs on a master or worker, from its batch,
// and what the cluster's API says of it, from the one API read of the run (ClusterView.kube).
import { checkApiserver } from '../kube/check-apiserver.js';
import { checkCerts } from '../kube/check-certs.js';
import { checkCni } from '../kube/check-cni.js';
import { checkKubelet } from '../kube/check-kubelet.js';
import { checkNode, checkUnknownNodes } from '../kube/check-node.js';
import { checkPodCidr } from '../kube/check-podcidr.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';
import { isKubeNode, kubeExpect } from '../kube/expect.js';
import type { KubeNodeExpect } from '../kube/expect.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { NodeFacts } from '../facts/types.js';
import { viewOf } from './cluster-view.js';
import { factError } from './result.js';
import type { Check, CheckContext, CheckResult } from './types.js';

const kubeNodes = (node: NodeSpec, inv: Inventory): boolean => isKubeNode(node, inv);
const masters = (node: NodeSpec, inv: Inventory): boolean => isKubeNode(node, inv) && node.roles.includes('master');
const expectOf = (node: NodeSpec, inv: Inventory): KubeNodeExpect => kubeExpect(node, inv) as KubeNodeExpect;

// A node-side kube.* check: the node's evidence (from its batch) through one of kube/'s checks.
function nodeSide(id: string, appliesTo: Check['appliesTo'], run: (e: KubeNodeExpect, ev: KubeNodeEvidence, ctx: CheckContext) => CheckResult[]): Check {
  return {
    id,
    scope: 'node',
    appliesTo,
    needs: ['kube'],
    run(node: NodeSpec, facts: NodeFacts, ctx: CheckContext) {
      if (!('ok' in facts.kube)) return [factError(id, facts.kube, null)];
      return run(expectOf(node, ctx.inventory), facts.kube.ok, ctx);
    },
  };
}

export const kubeApiserverCheck = nodeSide('kube.apiserver', masters, (e, ev) => checkApiserver(e, ev));
export const kubeKubeletCheck = nodeSide('kube.kubelet', kubeNodes, (e, ev) => checkKubelet(e, ev));
export const kubeCniCheck = nodeSide('kube.cni', kubeNodes, (e, ev) => checkCni(e, ev));
export const kubeCertsCheck = nodeSide('kube.certs', kubeNodes, (e, ev, ctx) => checkCerts(e, ev, ctx.now ?? new Date()));

const API_NOT_READ = { ok: false as const, kubeconfig: null, error: 'the Kubernetes API was not read in this run' };

// From the API: the Node registered under this node's name, Ready, its InternalIP and version.
export const kubeNodeCheck: Check = {
  id: 'kube.node',
  scope: 'cluster',
  appliesTo: kubeNodes,
  run(node, facts, ctx) {
    const kubelet = 'ok' in facts.kube ? facts.kube.ok.kubelet : undefined;
    return checkNode(expectOf(node, ctx.inventory), viewOf(ctx).kube ?? API_NOT_READ, kubelet);
  },
};

// From the API and the node: its podCIDR inside flannel's Network, and its lease where flanneld
// takes it from the Node (--kube-subnet-mgr).
export const kubePodCidrCheck: Check = {
  id: 'kube.podcidr',
  scope: 'cluster',
  appliesTo: (node, inv) => isKubeNode(node, inv) && inv.cluster.flannel.enabled,
  needs: ['kube'],
  run(node, facts, ctx) {
    const view = viewOf(ctx);
    const network = view.flannel.network ? { network: view.flannel.network, source: view.flannel.source } : undefined;
    if (!('ok' in facts.kube)) return [factError('kube.podcidr', facts.kube, null)];
    return checkPodCidr(expectOf(node, ctx.inventory), view.kube ?? API_NOT_READ, network, facts.kube.ok);
  },
};

// Nodes the API knows and the inventory does not: said once, on the first master of the inventory.
const firstMaster = (inv: Inventory): NodeSpec | undefined => inv.nodes.find((n) => masters(n, inv)) ?? inv.nodes.find((n) => kubeNodes(n, inv));
export const kubeNodesCheck: Check = {
  id: 'kube.nodes',
  scope: 'cluster',
  appliesTo: (node, inv) => firstMaster(inv)?.name === node.name,
  run(_node, _facts, ctx) {
    const all = ctx.inventory.nodes.filter((n) => kubeNodes(n, ctx.inventory)).map((n) => expectOf(n, ctx.inventory));
    return checkUnknownNodes(all, viewOf(ctx).kube ?? API_NOT_READ);
  },
};

export const KUBE_CHECKS: readonly Check[] = [kubeApiserverCheck, kubeKubeletCheck, kubeNodeCheck, kubePodCidrCheck, kubeCniCheck, kubeCertsCheck, kubeNodesCheck];
