// subnetEnv: flanneld's lease, /run/flannel/subnet.env; absent: flanneld has not taken a lease.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseSubnetEnv } from '../parse/subnet-env.js';
import type { SubnetEnvFact } from '../values.js';
import { always, fileSection, KiB, missingFile } from './kit.js';

export const subnetEnv: SectionCollector<'subnetEnv', SubnetEnvFact> = {
  fact: 'subnetEnv',
  // flanneld writes its lease here (4 lines); missing means flannel never got one.
  section: fileSection('flannel.env', '/run/flannel/subnet.env', 4 * KiB),
  read: always(parseSubnetEnv),
  otherwise: missingFile(absentFact('no /run/flannel/subnet.env')),
};
