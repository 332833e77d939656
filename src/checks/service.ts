import { servicesFor } from '../inventory/select.js';
import type { Check, CheckResult } from './types.js';
import { factError, result } from './result.js';

// systemd units per role, one result each: active, or what state they are in instead.
export const serviceCheck: Check = {
  id: 'service',
  run(node, facts, ctx) {
    const id = 'service';
    const units = servicesFor(node, ctx.inventory);
    if (units.length === 0) return []; // nothing expected of this node's roles (cluster.services)
    if (facts.init === undefined || facts.init === null) return units.map((u) => factError(id, facts, 'init', `${u} active`));
    if (facts.init !== 'systemd') {
      return units.map((u) => result(id, 'skip', `${u} active`, null, `${u}: PID 1 is '${facts.init}', not systemd, so unit states cannot be read`));
    }
    return units.map((u): CheckResult => {
      const want = `${u} active`;
      if (!facts.units) return factError(id, facts, 'units', want);
      const unit = facts.units.find((x) => x.unit === u);
      if (!unit || unit.load === 'not-found') return result(id, 'fail', want, 'not found', `${u} is not installed on ${node.name} (systemd has no such unit)`);
      const actual = `${unit.active} (${unit.sub})`;
      if (unit.active === 'active') return result(id, 'pass', want, actual, `${u} ${actual}`);
      const hint = unit.active === 'failed' ? `; see \`journalctl -u ${u}\`` : '';
      return result(id, 'fail', want, actual, `${u} is ${actual}, expected active${hint}`);
    });
  },
};
