import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serviceCheck } from '../../../src/checks/service.js';
import type { CheckContext } from '../../../src/checks/types.js';
import { parseUnits } from '../../../src/facts/parse/units.js';
import { parseUnitFiles } from '../../../src/facts/parse/unit-files.js';
import { parseFailedJournal } from '../../../src/facts/parse/failed-journal.js';
import type { ServicesSpec } from '../../../src/inventory/types.js';
import { facts, flannel, node } from '../../fixtures/facts/builders.js';
import { okFact } from '../../../src/facts/types.js';

const units = (name: string) => {
  const p = parseUnits(readFileSync(new URL(`../../fixtures/flannel/${name}`, import.meta.url), 'utf8'));
  assert.ok(p.ok);
  return p.value;
};
const unitFiles = (name: string) => {
  const p = parseUnitFiles(readFileSync(new URL(`../../fixtures/systemd/${name}`, import.meta.url), 'utf8'));
  assert.ok(p.ok);
  return p.value;
};
const DEFAULTS: ServicesSpec = { all: ['flanneld.service'], etcd: ['etcd-member.service'], master: [], worker: [] };
const ctx = (services: ServicesSpec | null = DEFAULTS): CheckContext => ({
  inventory: { path: '/t/i.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel(), ...(services ? { services } : {}) }, nodes: [] },
});
const lines = (rs: { status: string; expected: string | null; actual: string | null; message: string }[]) => rs.map((r) => `${r.status} ${r.expected} | ${r.actual} | ${r.message}`);

describe('service: systemd units per role, one result each', () => {
  test('Flatcar fixture: flanneld enabled only until reboot, etcd-member failed (no journal lines: the hint), kubelet not installed', () => {
    const n = node({ roles: ['etcd', 'master'] });
    const rs = serviceCheck.run(n, facts({ init: 'systemd', units: units('systemctl-flatcar.txt'), unitFiles: unitFiles('list-unit-files-flatcar.txt'), failedJournal: {} }), ctx({ ...DEFAULTS, master: ['kubelet.service'] }));
    assert.deepEqual(lines(rs), [
      'fail flanneld.service active and enabled | active (running), enabled-runtime | flanneld.service is active (running) but enabled only until the next reboot; `systemctl enable flanneld.service`',
      'fail etcd-member.service active and enabled | failed (failed), enabled | etcd-member.service is failed (failed), expected active (unit file enabled); see `journalctl -u etcd-member.service`',
      'fail kubelet.service active and enabled | not found | kubelet.service is not installed on lab-node-1 (systemd has no such unit)',
    ]);
  });
  test('a unit file systemd has not loaded (inactive, disabled, nothing refers to it) is not "not installed"', () => {
    const f = facts({ init: 'systemd', units: units('systemctl-flatcar.txt'), unitFiles: [...unitFiles('list-unit-files-flatcar.txt'), { unit: 'kubelet.service', state: 'disabled', preset: 'disabled' }] });
    const rs = serviceCheck.run(node({ roles: ['master'] }), f, ctx({ ...DEFAULTS, all: [], master: ['kubelet.service'] }));
    assert.deepEqual(lines(rs), ['fail kubelet.service active and enabled | inactive (not loaded), disabled | kubelet.service is inactive (not loaded), expected active (unit file disabled)']);
  });
  test('a failed unit shows its last journal lines, quoted, escapes visible; another unit\'s lines are not mixed in', () => {
    const journal = parseFailedJournal(readFileSync(new URL('../../fixtures/systemd/units-failed-section.txt', import.meta.url), 'utf8'));
    const f = facts({ init: 'systemd', units: units('systemctl-flatcar.txt'), unitFiles: unitFiles('list-unit-files-flatcar.txt'), failedJournal: journal });
    const [etcd] = serviceCheck.run(node({ roles: ['etcd'] }), f, ctx({ ...DEFAULTS, all: [] }));
    assert.equal(
      etcd?.message,
      'etcd-member.service is failed (failed), expected active (unit file enabled); last log lines: ' +
        '"{\\"level\\":\\"fatal\\",\\"msg\\":\\"listen tcp 198.18.1.11:2380: bind: cannot assign requested address\\"}" / ' +
        '"etcd-member.service: Main process exited, code=exited, status=1/FAILURE" / "etcd-member.service: Failed with result \'exit-code\'." / ' +
        '"Failed to start etcd (System Application Container)."',
    );
    const evil = serviceCheck.run(node(), { ...f, units: okFact([{ unit: 'evil.service', load: 'loaded', active: 'failed', sub: 'failed' }]), unitFiles: okFact([{ unit: 'evil.service', state: 'enabled' }]) }, ctx({ ...DEFAULTS, all: ['evil.service'] }));
    assert.doesNotMatch(evil[0]?.message ?? '', /[\u0000-\u001f\u007f-\u009f]/, 'no control character reaches the message');
    assert.match(evil[0]?.message ?? '', /"\\u001b\[31mred\\u001b\[0m and a bell\\u0007"$/);
  });
  test('Container Linux fixture (two-column unit files): a worker only needs flanneld, which is still starting', () => {
    const rs = serviceCheck.run(node(), facts({ init: 'systemd', units: units('systemctl-container-linux.txt'), unitFiles: unitFiles('list-unit-files-container-linux.txt') }), ctx());
    assert.deepEqual(lines(rs), ['fail flanneld.service active and enabled | activating (start-pre), enabled | flanneld.service is activating (start-pre), expected active (unit file enabled)']);
  });
  test('active and enabled passes; static, indirect, generated and template-enabled instances count as starting at boot', () => {
    const running = (unit: string) => ({ unit, load: 'loaded', active: 'active', sub: 'running' });
    const f = facts({
      init: 'systemd',
      units: ['a.service', 'b.service', 'c.service', 'getty@tty1.service', 'd.service'].map(running),
      unitFiles: [
        { unit: 'a.service', state: 'enabled', preset: 'enabled' },
        { unit: 'b.service', state: 'static' },
        { unit: 'c.service', state: 'indirect' },
        { unit: 'getty@.service', state: 'enabled' },
      ],
    });
    const rs = serviceCheck.run(node(), f, ctx({ ...DEFAULTS, all: ['a.service', 'b.service', 'c.service', 'getty@tty1.service', 'd.service'] }));
    assert.deepEqual(lines(rs), [
      'pass a.service active and enabled | active (running), enabled | a.service active (running), enabled',
      'pass b.service active and enabled | active (running), static | b.service active (running), static',
      'pass c.service active and enabled | active (running), indirect | c.service active (running), indirect',
      'pass getty@tty1.service active and enabled | active (running), enabled | getty@tty1.service active (running), enabled',
      // A transient unit: nothing to enable, active is all there is.
      'pass d.service active and enabled | active (running), no unit file | d.service active (running), no unit file',
    ]);
  });
  test('started by hand but disabled: fails (it would not come back after a reboot); masked fails', () => {
    const f = facts({
      init: 'systemd',
      units: [{ unit: 'etcd-member.service', load: 'loaded', active: 'active', sub: 'running' }, { unit: 'flanneld.service', load: 'masked', active: 'inactive', sub: 'dead' }],
      unitFiles: [{ unit: 'etcd-member.service', state: 'disabled', preset: 'disabled' }, { unit: 'flanneld.service', state: 'masked' }],
    });
    assert.deepEqual(lines(serviceCheck.run(node({ roles: ['etcd'] }), f, ctx())), [
      'fail flanneld.service active and enabled | masked | flanneld.service is masked: it cannot start; `systemctl unmask flanneld.service`',
      'fail etcd-member.service active and enabled | active (running), disabled | etcd-member.service is active (running) but disabled, so it will not start after a reboot; `systemctl enable etcd-member.service`',
    ]);
  });
  test('unit files unreadable: an error naming the section, not a guess', () => {
    const f = facts({ init: 'systemd', units: units('systemctl-flatcar.txt'), unitFiles: null, problems: ['unit-files: `systemctl list-unit-files --type=service --no-legend --no-pager` failed (rc=1): Access denied'] });
    assert.deepEqual(serviceCheck.run(node(), f, ctx()).map((r) => `${r.status}: ${r.message}`), ['error: Could not check: unit-files: `systemctl list-unit-files --type=service --no-legend --no-pager` failed (rc=1): Access denied']);
  });
  test('PID 1 is not systemd: one skip per unit, saying so', () => {
    const rs = serviceCheck.run(node({ roles: ['etcd'] }), facts({ init: 'process_api', units: null }), ctx());
    assert.deepEqual(rs.map((r) => `${r.status}: ${r.message}`), [
      "skip: flanneld.service: PID 1 is 'process_api', not systemd, so unit states cannot be read",
      "skip: etcd-member.service: PID 1 is 'process_api', not systemd, so unit states cannot be read",
    ]);
  });
  test('no services expected (no flannel, no cluster.services): no results; PID 1 unknown: error', () => {
    assert.deepEqual(serviceCheck.run(node(), facts(), ctx(null)), []);
    const rs = serviceCheck.run(node(), facts({ init: null, problems: ['init: `cat /proc/1/comm` failed (rc=1): Permission denied'] }), ctx());
    assert.deepEqual(rs.map((r) => `${r.status}: ${r.message}`), ['error: Could not check: init: `cat /proc/1/comm` failed (rc=1): Permission denied']);
  });
});
