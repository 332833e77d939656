// kube.podcidr (masters and workers): the Node's podCIDR lies inside flannel's Network, and is
// flannel's lease when flanneld takes its lease from the Node (--kube-subnet-mgr). Pure.
import { cidrContains, formatNetwork, parseCidr } from '../util/ipv4.js';
import type { KubeNodeExpect } from '../kube/expect.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';
import { apiUnread } from './kube-node.js';
import { result as kubeResult } from './result.js';
import type { CheckResult } from './types.js';
import type { KubeApiRead } from '../kube/view.js';
import { viewOf } from './cluster-view.js';
import { factError } from './result.js';
import { apiOf, expectOf, kubeNodes } from './kube-scope.js';
import type { Check } from './types.js';

const ID = 'kube.podcidr';

// flannel's Network and where it came from ("the config key (read on m1)", "cluster.flannel.network").
export interface FlannelNetwork {
  network: string;
  source: string;
}

export function checkPodCidr(
  e: KubeNodeExpect,
  api: KubeApiRead,
  flannel: FlannelNetwork | undefined,
  ev: Pick<KubeNodeEvidence, 'flannelLease' | 'kubeSubnetMgr'>,
): CheckResult[] {
  if (!e.master && !e.worker) return [];
  if (!e.flannel) return []; // no overlay to hold the podCIDR against
  if (!api.ok) return [apiUnread(ID, api)];
  if (!flannel) return [kubeResult(ID, 'skip', null, null, "flannel's Network is not known (no readable config key, no cluster.flannel.network), so there is nothing to hold the podCIDR against")];
  const net = parseCidr(flannel.network);
  const kubeMgr = 'ok' in ev.kubeSubnetMgr && ev.kubeSubnetMgr.ok;
  const want = `a podCIDR inside ${flannel.network} (${flannel.source})${kubeMgr ? ', equal to the flannel lease' : ''}`;
  const node = api.view.nodes.get(e.nodeName);
  if (!node) return [kubeResult(ID, 'skip', want, null, `no Node ${e.nodeName} in the API (kube.node says why)`)];
  const pod = node.podCIDR;
  if (pod === undefined) {
    if (kubeMgr) {
      return [kubeResult(ID, 'fail', want, 'no podCIDR', `Node ${e.nodeName} has no podCIDR, and flanneld takes its lease from it (--kube-subnet-mgr): start kube-controller-manager with --allocate-node-cidrs --cluster-cidr=${flannel.network}`)];
    }
    return [kubeResult(ID, 'skip', want, 'no podCIDR', `Node ${e.nodeName} has no podCIDR; flannel leases its subnets from etcd, so there is nothing to compare`)];
  }
  const c = parseCidr(pod);
  if (!c || !net) return [kubeResult(ID, 'fail', want, pod, `podCIDR ${pod} of Node ${e.nodeName} is not an IPv4 CIDR`)];
  const problems: string[] = [];
  if (!cidrContains(net, c.address) || c.prefix < net.prefix) problems.push(`podCIDR ${pod} is outside flannel's Network ${flannel.network} (${flannel.source}): the controller-manager's --cluster-cidr differs from it`);
  let actual = `podCIDR ${pod}`;
  if (kubeMgr) {
    const lease = ev.flannelLease;
    if ('error' in lease) return [kubeResult(ID, 'error', want, actual, `Could not check the flannel lease: ${lease.error}`)];
    if ('absent' in lease) problems.push(`flanneld has taken no lease yet (${lease.absent})`);
    else {
      const l = parseCidr(lease.ok);
      actual += `, flannel lease ${lease.ok}`;
      if (!l || formatNetwork(l) !== formatNetwork(c)) problems.push(`flannel's lease ${lease.ok} is not the podCIDR ${pod}, though flanneld runs with --kube-subnet-mgr: restart flanneld`);
    }
  }
  if (problems.length) return [kubeResult(ID, 'fail', want, actual, `Node ${e.nodeName}: ${problems.join('; ')}`)];
  return [kubeResult(ID, 'pass', want, actual, `${actual}, inside ${flannel.network}`)];
}

// From the API and the node: its podCIDR inside flannel's Network, and its lease where flanneld
// takes it from the Node (--kube-subnet-mgr).
export const kubePodCidrCheck: Check = {
  id: ID,
  scope: 'cluster',
  appliesTo: (node, inv) => kubeNodes(node, inv) && inv.cluster.flannel.enabled,
  needs: ['kube'],
  reads: ['kube.api'],
  run(node, facts, ctx) {
    const view = viewOf(ctx);
    const network = view.flannel.network ? { network: view.flannel.network, source: view.flannel.source } : undefined;
    if (!('ok' in facts.kube)) return [factError(ID, facts.kube, null)];
    return checkPodCidr(expectOf(node, ctx.inventory), apiOf(ctx), network, facts.kube.ok);
  },
};
