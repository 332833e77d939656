// resolv: /etc/resolv.conf. No such file means no nameservers configured: a fact for net.dns to fail on.
import { okFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseResolv } from '../parse/resolv.js';
import type { ResolvFact } from '../values.js';
import { always, fileSection, KiB, missingFile } from './kit.js';

export const resolv: SectionCollector<'resolv', ResolvFact> = {
  fact: 'resolv',
  // glibc reads 3 nameservers and 6 search domains; a few KiB is already generous.
  section: fileSection('resolv', '/etc/resolv.conf', 16 * KiB),
  read: always(parseResolv),
  otherwise: missingFile(okFact({ nameservers: [], search: [] })),
};
