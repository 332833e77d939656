// hostnameFile: the first line of /etc/hostname; absent: no such file.
import { absentFact } from '../../util/fact.js';
import type { SectionCollector } from '../collector.js';
import { parseHostname } from '../parse/hostname.js';
import { always, fileSection, missingFile } from './kit.js';

export const hostnameFile: SectionCollector<'hostnameFile', string> = {
  fact: 'hostnameFile',
  section: fileSection('hostname.file', '/etc/hostname', 256),
  read: always(parseHostname),
  otherwise: missingFile(absentFact('/etc/hostname does not exist')),
};
