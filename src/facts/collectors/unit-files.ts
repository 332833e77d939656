// unitFiles: service unit files and their enablement; absent: no systemd.
import type { SectionCollector } from '../collector.js';
import { parseUnitFiles } from '../parse/unit-files.js';
import type { UnitFileFact } from '../values.js';
import { KiB, withoutSystemd } from './kit.js';

export const unitFiles: SectionCollector<'unitFiles', UnitFileFact[]> = {
  fact: 'unitFiles',
  // Enablement: whether each unit starts again after a reboot. Also lists unit files systemd
  // has not loaded (an inactive, disabled unit is not in `list-units --all`). ~80 bytes a unit.
  // Only where PID 1 is systemd: without it the states mean nothing (service skips), and
  // list-unit-files walks every unit directory itself, ~0.35 s of CPU a node.
  section: {
    name: 'unit-files',
    budget: 256 * KiB,
    attempts: [{ fmt: 'text', cmd: '[ "$pid1" = systemd ] && systemctl list-unit-files --type=service --no-legend --no-pager' }],
  },
  read: (s) => parseUnitFiles(s.body),
  otherwise: withoutSystemd(),
};
