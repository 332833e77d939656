// flannelUnit: flanneld.service and its drop-ins; absent: the node has none.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseUnitWithEnvironment } from '../parse/systemd-unit.js';
import type { UnitFile } from '../values.js';
import { KiB } from './kit.js';

// For the flannel version it runs, the etcd endpoints it dials and a drop-in that writes the
// config key: `systemctl cat` where systemd runs; else the files themselves, printed the same way
// ("# PATH" then the file); then its environment files (flanneld_unit). Bounded: 64 KiB of unit
// text and a few environment files.
export const flannelUnit: SectionCollector<'flannelUnit', UnitFile[]> = {
  fact: 'flannelUnit',
  section: {
    name: 'flannel.unit',
    budget: 88 * KiB, // 64 KiB of unit text, a few 4 KiB environment files, plus the '| ' of each line
    attempts: [
      { fmt: 'text', cmd: 'flanneld_unit systemctl cat --no-pager flanneld.service' },
      { fmt: 'text', cmd: 'flanneld_unit flanneld_unit_files' },
    ],
  },
  read: (s) => parseUnitWithEnvironment(s.body),
  // A node without flanneld.service is common: no evidence, no problem.
  otherwise: () => absentFact('no flanneld.service on the node'),
};
