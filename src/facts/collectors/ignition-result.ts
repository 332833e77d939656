// ignitionResult: Ignition's record of provisioning, /etc/.ignition-result.json; absent: no such file.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseIgnitionResult } from '../parse/ignition-result.js';
import type { IgnitionResultFact } from '../values.js';
import { fileSection, KiB, missingFile } from './kit.js';

export const ignitionResult: SectionCollector<'ignitionResult', IgnitionResultFact> = {
  fact: 'ignitionResult',
  // Ignition 2.x writes well under 1 KiB; missing on a node it never provisioned.
  section: fileSection('ignition.result', '/etc/.ignition-result.json', 16 * KiB),
  read: (s) => parseIgnitionResult(s.body),
  otherwise: missingFile(absentFact('no /etc/.ignition-result.json')),
};
