import { serviceNodes } from './applies.js';
import { servicesFor } from '../inventory/select.js';
import { valueOf } from '../facts/types.js';
import type { NodeFacts, UnitFact, UnitFileFact } from '../facts/types.js';
import type { Check, CheckResult } from './types.js';
import { factError, result } from './result.js';

// Unit-file states after which the unit starts again at boot (`systemctl is-enabled` exits 0
// for these, enabled-runtime aside: that one is gone after a reboot).
export const STARTS_AT_BOOT = new Set(['enabled', 'static', 'indirect', 'generated', 'alias']);

// The unit file of a unit, or of its template for an instance (getty@tty1 → getty@.service).
function unitFileOf(files: readonly UnitFileFact[], unit: string): UnitFileFact | undefined {
  const own = files.find((f) => f.unit === unit);
  if (own) return own;
  const template = /^([^@]+@)[^.]*(\.[a-z]+)$/.exec(unit);
  return template ? files.find((f) => f.unit === `${template[1]}${template[2]}`) : undefined;
}

// A log line is anyone's text: quoted, with every control character (C0, DEL, C1) escaped,
// so it stays on its line and cannot drive the terminal.
const quoteLine = (line: string): string =>
  JSON.stringify(line).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// A failed unit's last journal lines, as the probe read them, for the message.
function journalTail(facts: NodeFacts, unit: string): string {
  const lines = valueOf(facts.failedJournal)?.[unit];
  if (!lines || lines.length === 0) return `; see \`journalctl -u ${unit}\``;
  return `; last log lines: ${lines.map(quoteLine).join(' / ')}`;
}

function checkUnit(nodeName: string, u: string, facts: NodeFacts, files: readonly UnitFileFact[], units: readonly UnitFact[]): CheckResult {
  const id = 'service';
  const want = `${u} active and enabled`;
  const unit = units.find((x) => x.unit === u);
  const file = unitFileOf(files, u);
  const loaded = unit !== undefined && unit.load !== 'not-found';
  if (!loaded && !file) return result(id, 'fail', want, 'not found', `${u} is not installed on ${nodeName} (systemd has no such unit)`);
  if (unit?.load === 'masked' || file?.state.startsWith('masked')) {
    return result(id, 'fail', want, 'masked', `${u} is masked: it cannot start; \`systemctl unmask ${u}\``);
  }
  const enablement = file?.state ?? 'no unit file';
  // systemd unloads an inactive unit nothing refers to: its file exists, the unit is not loaded.
  const state = loaded ? `${unit.active} (${unit.sub})` : 'inactive (not loaded)';
  const actual = `${state}, ${enablement}`;
  if (!loaded || unit.active !== 'active') {
    const tail = loaded && unit.active === 'failed' ? journalTail(facts, u) : '';
    return result(id, 'fail', want, actual, `${u} is ${state}, expected active (unit file ${enablement})${tail}`);
  }
  // A unit with no file of its own (transient, or an instance of an unlisted template) has no
  // enablement to check; its active state is all there is.
  if (file && !STARTS_AT_BOOT.has(file.state)) {
    const why = file.state === 'enabled-runtime' ? 'enabled only until the next reboot' : `${file.state}, so it will not start after a reboot`;
    return result(id, 'fail', want, actual, `${u} is ${state} but ${why}; \`systemctl enable ${u}\``);
  }
  return result(id, 'pass', want, actual, `${u} ${actual}`);
}

// systemd units per role, one result each: active now and enabled, so it comes back after a
// reboot; otherwise what state it is in instead (a failed unit's last log lines included).
export const serviceCheck: Check = {
  id: 'service',
  scope: 'node',
  appliesTo: serviceNodes,
  run(node, facts, ctx) {
    const id = 'service';
    const units = servicesFor(node, ctx.inventory);
    if (units.length === 0) return []; // nothing expected of this node's roles (cluster.services)
    const want = (u: string) => `${u} active and enabled`;
    const init = facts.init;
    if (!('ok' in init)) return units.map((u) => factError(id, init, want(u)));
    if (init.ok !== 'systemd') {
      return units.map((u) => result(id, 'skip', want(u), null, `${u}: PID 1 is '${init.ok}', not systemd, so unit states cannot be read`));
    }
    const { units: known, unitFiles: files } = facts;
    return units.map((u): CheckResult => {
      if (!('ok' in known)) return factError(id, known, want(u));
      if (!('ok' in files)) return factError(id, files, want(u));
      return checkUnit(node.name, u, facts, files.ok, known.ok);
    });
  },
};
