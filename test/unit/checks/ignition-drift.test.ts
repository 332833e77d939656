import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ignitionFilesCheck, ignitionUnitsCheck } from '../../../src/checks/ignition-drift.js';
import type { ProvisionedSpec } from '../../../src/inventory/types.js';
import { ctx, facts, node } from '../../fixtures/facts/builders.js';

const SHA = 'a'.repeat(64);
const spec: ProvisionedSpec = {
  source: 'configs/n1.ign',
  files: [{ path: '/etc/hostname', mode: 0o644, sha256: SHA }, { path: '/etc/systemd/network/10-static.network', mode: 0o644, sha256: 'b'.repeat(64) }],
  units: [{ name: 'etcd-member.service', enabled: true }, { name: 'locksmithd.service', masked: true }],
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
});
