// failedJournal: the last journal lines of each failed service.
import type { SectionCollector } from '../collector.js';
import { parseFailedJournal } from '../parse/failed-journal.js';
import { always, KiB, withoutSystemd } from './kit.js';

export const failedJournal: SectionCollector<'failedJournal', Record<string, string[]>> = {
  fact: 'failedJournal',
  section: { name: 'units.failed', budget: 16 * KiB, attempts: [{ fmt: 'text', cmd: 'failed_journals' }] }, // itself keeps at most ~10 KiB
  read: always(parseFailedJournal),
  otherwise: withoutSystemd(),
};
