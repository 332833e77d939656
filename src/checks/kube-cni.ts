// kube.cni (masters and workers): the container runtime has a CNI config to load, flannel's
// where the cluster runs flannel. Without one the Node stays NotReady. Pure.
import type { KubeNodeExpect } from '../kube/expect.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';
import { CNI_DIR, FLANNEL_CNI_FILE } from '../kube/cni.js';
import { result as kubeResult } from './result.js';
import type { CheckResult } from './types.js';
import { kubeNodes, kubeNodeSide } from './kube-scope.js';
import type { Check } from './types.js';

const ID = 'kube.cni';

export function checkCni(e: KubeNodeExpect, ev: Pick<KubeNodeEvidence, 'cni'>): CheckResult[] {
  if (!e.master && !e.worker) return [];
  const want = e.flannel ? `a CNI config with the flannel plugin (${FLANNEL_CNI_FILE})` : `a CNI config in ${CNI_DIR}`;
  const f = ev.cni;
  if ('error' in f) return [kubeResult(ID, 'fail', want, null, `${f.error}`)];
  if ('absent' in f) {
    const fix = e.flannel ? `flannel writes ${FLANNEL_CNI_FILE} (its install-cni step, or render's file)` : `install your network plugin's config in ${CNI_DIR}`;
    return [kubeResult(ID, 'fail', want, 'none', `no CNI config on ${e.name}: ${f.absent}, so the Node stays NotReady ("cni plugin not initialized"); ${fix}`)];
  }
  const c = f.ok;
  const actual = `${c.file} (${c.name}: ${c.types.join(', ')})`;
  const ignored = c.others.length ? `; ignored after it: ${c.others.join(', ')}` : '';
  if (e.flannel && !c.types.includes('flannel')) {
    return [kubeResult(ID, 'fail', want, actual, `the runtime uses ${c.file} (plugins ${c.types.join(', ')}), which is not flannel's; it takes the first file in lexical order, so remove it or rename flannel's to sort first${ignored}`)];
  }
  return [kubeResult(ID, 'pass', want, actual, `${actual}${ignored}`)];
}

export const kubeCniCheck: Check = kubeNodeSide(ID, kubeNodes, (e, ev) => checkCni(e, ev));
