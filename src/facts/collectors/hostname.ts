// hostname: the kernel's name for the node, what `hostname` prints; read without a process.
import type { SectionCollector } from '../collector.js';
import { parseHostname } from '../parse/hostname.js';
import { always } from './kit.js';

export const hostname: SectionCollector<'hostname', string> = {
  fact: 'hostname',
  section: {
    name: 'hostname',
    budget: 256, // the kernel holds at most 64 bytes
    attempts: [
      { fmt: 'text', cmd: 'cat /proc/sys/kernel/hostname' },
      { fmt: 'text', cmd: 'hostname' },
    ],
  },
  read: always(parseHostname),
};
