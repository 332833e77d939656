// kube.kubelet (masters and workers): the kubelet's healthz endpoint on the node says ok, as
// kubeadm waits for it; skipped with the reason when the kubelet runs without one. Pure.
import type { KubeNodeExpect } from '../kube/expect.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';
import { kubeletFlags, kubeletHealthzUrl } from '../kube/flags.js';
import { describeAnswer } from '../kube/http-answer.js';
import { effectiveKubelet } from '../kube/kubelet-config.js';
import { result as kubeResult } from './result.js';
import type { CheckResult } from './types.js';
import { kubeNodes, kubeNodeSide } from './kube-scope.js';
import type { Check } from './types.js';

const ID = 'kube.kubelet';

export function checkKubelet(e: KubeNodeExpect, ev: Pick<KubeNodeEvidence, 'kubelet' | 'kubeletConfig' | 'kubeletHealthz'>): CheckResult[] {
  if (!e.master && !e.worker) return [];
  const flags = effectiveKubelet('ok' in ev.kubelet ? kubeletFlags(ev.kubelet.ok.argv) : {}, ev.kubeletConfig);
  const target = kubeletHealthzUrl(flags);
  if ('disabled' in target) {
    const fromFlag = 'ok' in ev.kubelet && kubeletFlags(ev.kubelet.ok.argv).healthzPort === 0;
    const from = fromFlag && 'ok' in ev.kubelet ? ` (${ev.kubelet.ok.from})` : ' (healthzPort: 0 in its --config file)';
    return [kubeResult(ID, 'skip', null, 'healthz port 0', `${target.disabled}${from}; the Node's Ready condition (kube.node) still says whether it runs`)];
  }
  const want = `${target.url} answers 200 ok`;
  const h = ev.kubeletHealthz;
  if ('error' in h) return [kubeResult(ID, 'error', want, null, `Could not check: ${h.error}`)];
  if ('absent' in h) return [kubeResult(ID, 'error', want, null, `Could not check: ${h.absent}`)];
  const a = h.ok;
  const actual = describeAnswer(a);
  if (a.kind === 'http' && a.status === 200) return [kubeResult(ID, 'pass', want, actual, `kubelet on ${e.name} is healthy (${target.url})`)];
  if (a.kind === 'refused') {
    const why = 'absent' in ev.kubelet ? `no kubelet runs on ${e.name} (${ev.kubelet.absent})` : `nothing listens at ${target.url} on ${e.name}`;
    return [kubeResult(ID, 'fail', want, actual, `${why}: start it (\`systemctl start kubelet\`; \`journalctl -u kubelet\` says why it stopped)`)];
  }
  return [kubeResult(ID, 'fail', want, actual, `kubelet on ${e.name} is not healthy at ${target.url}: ${actual} (see \`journalctl -u kubelet\`)`)];
}

export const kubeKubeletCheck: Check = kubeNodeSide(ID, kubeNodes, (e, ev) => checkKubelet(e, ev));
