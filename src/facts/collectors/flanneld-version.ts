// flanneldVersion: `flanneld --version` where flanneld is on PATH; absent: not there.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseFlanneldVersion } from '../parse/etcdctl-version.js';
import { KiB } from './kit.js';

export const flanneldVersion: SectionCollector<'flanneldVersion', string> = {
  fact: 'flanneldVersion',
  section: { name: 'flanneld.version', budget: KiB, attempts: [{ fmt: 'text', cmd: 'flanneld_version' }] },
  read: (s) => parseFlanneldVersion(s.body),
  otherwise: () => absentFact('no flanneld on PATH'),
};
