import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSelected, selectResults, validateSelection } from '../../../src/checks/select.js';
import type { CheckResult } from '../../../src/checks/types.js';
import { UserError } from '../../../src/errors.js';

const IDS = ['ssh', 'hostname', 'hostname.file', 'net.address', 'net.gateway', 'net.dns', 'net.route', 'flannel.lease', 'flannel.subnet'];
const picked = (sel: Parameters<typeof isSelected>[1]) => IDS.filter((id) => isSelected(id, sel));

describe('--only / --skip selection', () => {
  test('nothing asked: everything', () => assert.deepEqual(picked({}), IDS));
  test('--only a prefix takes the dotted family, plus ssh', () => {
    assert.deepEqual(picked({ only: ['net'] }), ['ssh', 'net.address', 'net.gateway', 'net.dns', 'net.route']);
  });
  test('a prefix matches at a dot only: hostname is not hostname.file', () => {
    assert.deepEqual(picked({ only: ['hostname.file'] }), ['ssh', 'hostname.file']);
    assert.deepEqual(picked({ only: ['hostname'] }), ['ssh', 'hostname', 'hostname.file']);
    assert.deepEqual(picked({ only: ['net.d'] }), ['ssh']);
  });
  test('--skip one id leaves its siblings', () => {
    assert.deepEqual(picked({ skip: ['flannel.lease'] }), IDS.filter((i) => i !== 'flannel.lease'));
  });
  test('--only and --skip together: skip wins inside only', () => {
    assert.deepEqual(picked({ only: ['net', 'hostname'], skip: ['net.route', 'hostname.file'] }), ['ssh', 'hostname', 'net.address', 'net.gateway', 'net.dns']);
  });
  test('ssh stays even under --only of something else', () => assert.equal(isSelected('ssh', { only: ['net'] }), true));

  test('unknown terms and --skip ssh are usage errors naming the term and the known ids', () => {
    assert.throws(() => validateSelection({ only: ['nett'], skip: ['ssh'] }, IDS), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /--only nett: no check id is or starts with 'nett'/);
      assert.match(e.message, /--skip ssh: the ssh check cannot be skipped .*use --limit/);
      assert.match(e.message, /check ids: ssh, hostname, /);
      return true;
    });
    assert.doesNotThrow(() => validateSelection({ only: ['net', 'flannel.lease'], skip: ['hostname.file'] }, IDS));
    assert.doesNotThrow(() => validateSelection({ only: ['ssh'] }, IDS));
  });

  test('selectResults keeps order and every result of a selected id (one per route)', () => {
    const r = (id: string): CheckResult => ({ id, status: 'pass', expected: null, actual: null, message: id });
    const results = [r('ssh'), r('hostname'), r('net.route'), r('net.route'), r('net.dns')];
    assert.deepEqual(selectResults(results, { only: ['net.route'] }).map((x) => x.id), ['ssh', 'net.route', 'net.route']);
    assert.equal(selectResults(results, {}), results);
  });
});
