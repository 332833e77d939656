// kubeProcs: the running kubelet, kube-apiserver and hyperkube, their command lines (root ones
// only count: gatherers/kube.ts). Kubernetes evidence (kube.*) takes a few KiB of arguments a
// process, a few KiB a unit and a CNI config; the budgets leave the rest of the output cap to the
// other sections.
import type { SectionCollector } from '../collector.js';
import { parseKubeProcs } from '../parse/kube.js';
import type { KubeProcess } from '../parse/kube.js';
import { KiB } from './kit.js';

export const kubeProcs: SectionCollector<'kubeProcs', KubeProcess[]> = {
  fact: 'kubeProcs',
  section: { name: 'kube.procs', budget: 8 * KiB, attempts: [{ fmt: 'text', cmd: 'kube_procs' }] },
  read: (s) => parseKubeProcs(s.body),
};
