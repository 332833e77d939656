// resolvResolved: /run/systemd/resolve/resolv.conf; absent: no such file.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseResolv } from '../parse/resolv.js';
import type { ResolvFact } from '../values.js';
import { always, fileSection, KiB, missingFile } from './kit.js';

export const resolvResolved: SectionCollector<'resolvResolved', ResolvFact> = {
  fact: 'resolvResolved',
  // With systemd-resolved, /etc/resolv.conf names only its stub (127.0.0.53); the servers it
  // forwards to are listed here.
  section: fileSection('resolv.resolved', '/run/systemd/resolve/resolv.conf', 16 * KiB),
  read: always(parseResolv),
  // No such file: resolved is not running (net.dns says what that means with a stub resolv.conf).
  otherwise: missingFile(absentFact('no /run/systemd/resolve/resolv.conf')),
};
