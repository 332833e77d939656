import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSelected, selectResults, validateSelection } from '../../../src/checks/select.js';
import type { CheckResult } from '../../../src/checks/types.js';
import { evaluate } from '../../../src/run/evaluate.js';
import { gatherersFor } from '../../../src/run/gather.js';
import { UserError } from '../../../src/errors.js';
import { facts, flannel, node } from '../../fixtures/facts/builders.js';

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

  test('the engine applies the selection to each node report', () => {
    const n = node();
    const inventory = { path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes: [n] };
    const ssh: CheckResult = { id: 'ssh', status: 'pass', expected: null, actual: 'connected', message: 'connected' };
    const gathered = [{ node: n, durationMs: 1, ssh, gathered: { ok: true as const, facts: facts() } }];
    const [all] = evaluate(inventory, gathered);
    const [net] = evaluate(inventory, gathered, { only: ['net'], skip: ['net.dns'] });
    assert.ok(all?.checks.some((c) => c.id === 'hostname') && all.checks.some((c) => c.id === 'net.dns'));
    assert.deepEqual(net?.checks.map((c) => c.id), all?.checks.map((c) => c.id).filter((id) => id === 'ssh' || (id.startsWith('net.') && id !== 'net.dns')));
    assert.deepEqual(['ssh', 'net.address', 'net.gateway', 'net.route'].filter((id) => !net?.checks.some((c) => c.id === id)), []);
  });

  test('a gatherer runs only when a selected check needs its facts', () => {
    const names = (sel: Parameters<typeof gatherersFor>[0]) => gatherersFor(sel).map((g) => g.name);
    assert.deepEqual(names({}), ['etcd', 'flannel.config']);
    assert.deepEqual(names({ only: ['net'] }), []);
    assert.deepEqual(names({ only: ['etcd.members'] }), ['etcd']);
    assert.deepEqual(names({ skip: ['etcd'] }), ['flannel.config']);
    assert.deepEqual(names({ skip: ['etcd.health'] }), ['etcd', 'flannel.config']);
    assert.deepEqual(names({ only: ['flannel'] }), ['flannel.config']);
    assert.deepEqual(names({ skip: ['flannel.config'] }), ['etcd']);
    // what a check declares is what runs: a check needing nothing needs no gatherer
    const custom = [{ id: 'x.one', needs: ['etcd'] as const, run: () => [] }, { id: 'x.two', run: () => [] }];
    assert.deepEqual(gatherersFor({ only: ['x.two'] }, custom).map((g) => g.name), []);
    assert.deepEqual(gatherersFor({ only: ['x'] }, custom).map((g) => g.name), ['etcd']);
  });
});
