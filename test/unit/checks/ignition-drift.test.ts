import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ignitionFilesCheck, ignitionUnitsCheck } from '../../../src/checks/ignition-drift.js';
import type { Provisioned } from '../../../src/inventory/provisioned.js';
import { ctx, facts, node } from '../../fixtures/facts/builders.js';

const SHA = 'a'.repeat(64);
const spec: Provisioned = {
  files: [
    { path: '/etc/hostname', mode: 0o644, contentKnown: true, sha256: SHA, size: 3, from: 'configs/n1.ign /storage/files/0' },
    { path: '/etc/systemd/network/10-static.network', mode: 0o644, contentKnown: true, sha256: 'b'.repeat(64), size: 90, from: 'configs/n1.ign /storage/files/1' },
  ],
  units: [{ name: 'etcd-member.service', state: 'enabled', from: 'configs/n1.ign /systemd/units/0' }, { name: 'locksmithd.service', state: 'masked', from: 'configs/n1.ign /systemd/units/1' }],
};
const n = node({ provisioned: spec });
const files = (over: object[] = []) => [
  { path: '/etc/hostname', state: 'present', mode: 0o644, size: 3, sha256: SHA },
  { path: '/etc/systemd/network/10-static.network', state: 'present', mode: 0o644, size: 90, sha256: 'b'.repeat(64) },
].map((f, i) => ({ ...f, ...(over[i] ?? {}) }));
const units = (a = 'enabled', b = 'masked') => [{ name: 'etcd-member.service', state: a }, { name: 'locksmithd.service', state: b }];
const run = (check: typeof ignitionFilesCheck, f: object[], u = units()) => check.run(n, facts({ provisioned: { ok: { files: f, units: u } } as never }), ctx(n));

describe('ignition.files and ignition.units: drift from the node\'s own config', () => {
  test('as provisioned: both pass', () => {
    assert.deepEqual(run(ignitionFilesCheck, files()).map((r) => [r.status, r.message]), [['pass', '2 files as configs/n1.ign wrote them']]);
    assert.deepEqual(run(ignitionUnitsCheck, files()).map((r) => r.status), ['pass']);
  });
  test('mode, content, deleted: each named with what differs', () => {
    const [r] = run(ignitionFilesCheck, files([{ mode: 0o600 }, { sha256: 'c'.repeat(64), size: 91 }]));
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, "changed behind Ignition's back (configs/n1.ign): /etc/hostname: mode 0644 → 0600; /etc/systemd/network/10-static.network: content changed: expected sha256 bbbbbbbbbbbb…, on node cccccccccccc… (91 bytes)");
    const [gone] = run(ignitionFilesCheck, [files()[0] as object, { path: '/etc/systemd/network/10-static.network', state: 'missing' }]);
    assert.match(gone?.message ?? '', /10-static\.network: missing$/);
  });
  test('a unit disabled, a mask lifted: fail naming both', () => {
    const [r] = run(ignitionUnitsCheck, files(), units('disabled', 'disabled'));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /^etcd-member\.service is disabled, the config enables it; locksmithd\.service is disabled, the config masks it/);
  });
  test('not gathered: could not check, with why; a node not from a config gets neither check', () => {
    const [r] = ignitionFilesCheck.run(n, facts({ provisioned: { error: 'provisioned: could not be gathered: channel closed' } }), ctx(n));
    assert.deepEqual([r?.status, r?.message], ['error', 'Could not check: provisioned: could not be gathered: channel closed']);
    assert.deepEqual([ignitionFilesCheck.appliesTo(node(), ctx().inventory), ignitionUnitsCheck.appliesTo(node(), ctx().inventory)], [false, false]);
  });
  test('PID 1 not systemd: ignition.units is skipped as service is, not failed on "systemctl: not run"', () => {
    const notRun = 'systemctl: not run: PID 1 is runit, not systemd';
    const f = facts({ init: 'runit', provisioned: { ok: { files: files(), units: units(notRun, notRun) } } as never });
    assert.deepEqual(ignitionUnitsCheck.run(n, f, ctx(n)).map((r) => [r.status, r.message]), [['skip', "PID 1 is 'runit', not systemd, so unit states cannot be read"]]);
    const noInit = facts({ init: { error: 'init: /proc/1/comm could not be read' } as never, provisioned: { ok: { files: files(), units: units() } } as never });
    assert.deepEqual(ignitionUnitsCheck.run(n, noInit, ctx(n)).map((r) => [r.status, r.message]), [['error', 'Could not check: init: /proc/1/comm could not be read']]);
  });
  test('a unit state systemctl did not give is an error, never drift; not-found is drift', () => {
    const bus = 'Failed to connect to bus: No such file or directory';
    assert.deepEqual(run(ignitionUnitsCheck, files(), units(bus, 'masked')).map((r) => [r.status, r.message]), [['error', `Could not check: etcd-member.service: ${bus}`]]);
    assert.deepEqual(run(ignitionUnitsCheck, files(), units('enabled', 'not reported (output cut short?)')).map((r) => r.status), ['error']);
    for (const gone of ['not-found', 'Failed to get unit file state for etcd-member.service: No such file or directory']) {
      const [r] = run(ignitionUnitsCheck, files(), units(gone, 'masked'));
      assert.deepEqual([r?.status, r?.message], ['fail', 'etcd-member.service is not-found, the config enables it (configs/n1.ign): `systemctl enable|mask UNIT` puts it back']);
    }
    const [both] = run(ignitionUnitsCheck, files(), units('disabled', bus));
    assert.deepEqual([both?.status, both?.message], ['fail', `etcd-member.service is disabled, the config enables it (configs/n1.ign): \`systemctl enable|mask UNIT\` puts it back; could not read locksmithd.service: ${bus}`]);
  });
  test('a file that could not be read is an error, never drift', () => {
    const [r] = run(ignitionFilesCheck, [files()[0] as object, { path: '/etc/systemd/network/10-static.network', state: 'error', error: 'stat: Permission denied' }]);
    assert.deepEqual([r?.status, r?.message], ['error', 'Could not check: /etc/systemd/network/10-static.network: stat: Permission denied']);
    const [cut] = run(ignitionFilesCheck, [files()[0] as object]);
    assert.deepEqual([cut?.status, cut?.message], ['error', 'Could not check: /etc/systemd/network/10-static.network: not reported']);
  });
});
