import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseUnits } from '../../../../src/facts/parse/units.js';
import { fixture } from '../../../fixtures/flannel/load.js';
import { value } from '../../../helpers/parsed.js';

describe('systemd units', () => {
  test('Flatcar layout: failed unit with its bullet, not-found unit, a long instance name', () => {
    const units = value(parseUnits(fixture('systemctl-flatcar.txt')));
    const by = (u: string) => units.find((x) => x.unit === u);
    assert.deepEqual(by('etcd-member.service'), { unit: 'etcd-member.service', load: 'loaded', active: 'failed', sub: 'failed', description: 'etcd (System Application Container)' });
    assert.deepEqual([by('flanneld.service')?.active, by('flanneld.service')?.sub], ['active', 'running']);
    assert.deepEqual([by('kubelet.service')?.load, by('kubelet.service')?.active], ['not-found', 'inactive']);
    assert.equal(by('sshd@2-198.18.1.11:22-198.18.0.1:50000.service')?.active, 'active');
    assert.equal(units.length, 9);
  });
  test('Container Linux layout: a unit still starting', () => {
    const units = value(parseUnits(fixture('systemctl-container-linux.txt')));
    assert.deepEqual(units.find((u) => u.unit === 'flanneld.service')?.sub, 'start-pre');
    assert.equal(units.find((u) => u.unit === 'flanneld.service')?.active, 'activating');
  });
  test('no units at all is an empty list; prose is an error', () => {
    assert.deepEqual(value(parseUnits('')), []);
    assert.equal(parseUnits('System has not been booted with systemd as init system (PID 1). Can\'t operate.').ok, false);
  });
});
