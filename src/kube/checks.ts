// Every kube.* check of one node, in report order, and the cluster-wide one: the entry points
// the engine calls. Pure: evidence, the one API read and the time are passed in.
import { checkApiserver } from './check-apiserver.js';
import { checkCerts } from './check-certs.js';
import { checkCni } from './check-cni.js';
import { checkKubelet } from './check-kubelet.js';
import { checkNode, checkUnknownNodes } from './check-node.js';
import { checkPodCidr } from './check-podcidr.js';
import type { FlannelNetwork } from './check-podcidr.js';
import type { KubeNodeEvidence } from './evidence.js';
import type { KubeNodeExpect } from './expect.js';
import type { KubeCheckResult } from './result.js';
import type { KubeApiRead } from './view.js';

export { checkUnknownNodes };

// Which nodes each check applies to (the same ids on a reachable and an unreachable node), and
// whether it needs the API read.
export const KUBE_CHECKS: readonly { id: string; applies: (e: KubeNodeExpect) => boolean; api: boolean }[] = [
  { id: 'kube.apiserver', applies: (e) => e.master, api: false },
  { id: 'kube.kubelet', applies: (e) => e.master || e.worker, api: false },
  { id: 'kube.node', applies: (e) => e.master || e.worker, api: true },
  { id: 'kube.podcidr', applies: (e) => (e.master || e.worker) && e.flannel, api: true },
  { id: 'kube.cni', applies: (e) => e.master || e.worker, api: false },
  { id: 'kube.certs', applies: (e) => e.master || e.worker, api: false },
];
export const KUBE_CLUSTER_CHECK_ID = 'kube.nodes';

export interface KubeNodeInput {
  expect: KubeNodeExpect;
  evidence: KubeNodeEvidence;
  api: KubeApiRead;
  flannel: FlannelNetwork | undefined; // flannel's Network (config key, else inventory), when known
  now: Date;
}

export function kubeNodeChecks(i: KubeNodeInput): KubeCheckResult[] {
  return [
    ...checkApiserver(i.expect, i.evidence),
    ...checkKubelet(i.expect, i.evidence),
    ...checkNode(i.expect, i.api, i.evidence.kubelet),
    ...checkPodCidr(i.expect, i.api, i.flannel, i.evidence),
    ...checkCni(i.expect, i.evidence),
    ...checkCerts(i.expect, i.evidence, i.now),
  ];
}
