// init: PID 1's name, "systemd" or something else. Read first: whether a systemd section's
// failure means "no systemd" depends on it.
import type { SectionCollector } from '../collector.js';
import { parseInit } from '../parse/units.js';
import { always } from './kit.js';

export const init: SectionCollector<'init', string> = {
  fact: 'init',
  // Unit states mean something only when PID 1 is systemd: the sections after this one that ask
  // systemd read its name from $pid1. comm is at most 16 bytes.
  section: { name: 'init', budget: 64, keepAs: 'pid1', attempts: [{ fmt: 'text', cmd: 'cat /proc/1/comm' }] },
  read: always(parseInit),
};
