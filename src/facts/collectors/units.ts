// units: the systemd services known to the node; absent: PID 1 is not systemd.
import type { SectionCollector } from '../collector.js';
import { parseUnits } from '../parse/units.js';
import type { UnitFact } from '../values.js';
import { KiB, withoutSystemd } from './kit.js';

export const units: SectionCollector<'units', UnitFact[]> = {
  fact: 'units',
  // Every service unit, whatever the inventory asks for: unit names never enter the probe.
  // ~150 bytes a unit: room for a few thousand.
  section: { name: 'units', budget: 256 * KiB, keepAs: 'units', attempts: [{ fmt: 'text', cmd: 'systemctl list-units --type=service --all --no-legend --plain --no-pager' }] },
  read: (s) => parseUnits(s.body),
  otherwise: withoutSystemd(),
};
