import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServeState, worst } from '../../../src/serve/state.js';
import { healthy, nodeReport, r, round } from './fixtures.js';

describe('ServeState', () => {
  test('one cell a node and check: the worst of its results (service, one a unit)', () => {
    const s = new ServeState(['a']);
    s.update(round(nodeReport('a', [r('service', 'pass'), r('service', 'fail', 'flanneld.service is inactive'), r('service', 'error')])), 1000);
    const cell = s.cells.get('a')?.get('service');
    assert.equal(cell?.status, 'fail');
    assert.equal(cell?.results.length, 3);
    assert.deepEqual([worst('pass', 'skip'), worst('skip', 'error'), worst('fail', 'error'), worst('error', 'pass')], ['skip', 'error', 'fail', 'error']);
  });

  test('a status keeps the time it began; a change is recorded with its time; the first round records none', () => {
    const s = new ServeState(['a', 'b']);
    s.update(round(healthy('a'), healthy('b')), 1000);
    assert.deepEqual(s.changes, []);
    s.update(round(healthy('a'), nodeReport('b', [r('ssh', 'pass'), r('hostname', 'pass'), r('net.route', 'fail', 'no route to 198.19.45.0/24')])), 2000);
    s.update(round(healthy('a'), nodeReport('b', [r('ssh', 'pass'), r('hostname', 'pass'), r('net.route', 'fail', 'still')])), 3000);
    assert.equal(s.cells.get('a')?.get('net.route')?.since, 1000);
    assert.equal(s.cells.get('b')?.get('net.route')?.since, 2000);
    assert.deepEqual(s.changes, [{ at: 2000, node: 'b', check: 'net.route', from: 'pass', to: 'fail', message: 'no route to 198.19.45.0/24' }]);
    assert.equal(s.rounds, 3);
    assert.equal(s.lastRoundAt, 3000);
    assert.deepEqual(s.problems(), [{ node: 'b', check: 'net.route', status: 'fail', message: 'still' }]);
  });

  test("each node's lease from flannel.lease; reachability from the round", () => {
    const s = new ServeState(['a', 'b']);
    s.update(round(healthy('a'), nodeReport('b', [r('ssh', 'error', 'connection refused')], false)), 1000);
    assert.equal(s.lease('a'), '10.1.7.1/24');
    assert.equal(s.lease('b'), undefined);
    assert.deepEqual([...s.reachable], [['a', true], ['b', false]]);
  });
});
