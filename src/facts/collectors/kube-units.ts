// kubeUnits: kubelet.service and kube-apiserver.service as `systemctl cat` prints them; absent: no systemd.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseKubeUnits } from '../parse/kube.js';
import { KiB } from './kit.js';

export const kubeUnits: SectionCollector<'kubeUnits', Record<string, string>> = {
  fact: 'kubeUnits',
  section: { name: 'kube.units', budget: 16 * KiB, attempts: [{ fmt: 'text', cmd: 'kube_units' }] },
  read: (s) => parseKubeUnits(s.body),
  otherwise: (_s, init) => (init !== 'systemd' ? absentFact(`PID 1 is '${init ?? '?'}', not systemd`) : undefined),
};
