// cni: the CNI config the container runtime uses; absent: none.
import { absentFact } from '../../util/fact.js';
import type { CniConfig } from '../../kube/cni.js';
import type { SectionCollector } from '../collector.js';
import { parseCniSection } from '../parse/kube.js';
import { KiB } from './kit.js';

export const cni: SectionCollector<'cni', CniConfig> = {
  fact: 'cni',
  section: { name: 'cni', budget: 12 * KiB, attempts: [{ fmt: 'text', cmd: 'cni_config' }] },
  whole: (s) => parseCniSection(s.body),
  otherwise: (s) => (s.rc === 1 && s.body.trim() === '' ? absentFact('/etc/cni/net.d does not exist') : undefined),
};
