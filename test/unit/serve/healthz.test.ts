import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { healthz, wantsJson } from '../../../src/serve/healthz.js';
import { ServeState } from '../../../src/serve/state.js';
import { healthy, nodeReport, r, round } from './fixtures.js';

describe('/healthz', () => {
  test('503 before the first round, in text and JSON', () => {
    const s = new ServeState(['a']);
    assert.deepEqual(healthz(s, false), { status: 503, type: 'text/plain; charset=utf-8', body: 'no round completed yet\n' });
    assert.equal(healthz(s, true).status, 503);
    assert.deepEqual(JSON.parse(healthz(s, true).body), { ok: false, error: 'no round completed yet' });
  });

  test('200 when every check passed or skipped', () => {
    const s = new ServeState(['a']);
    s.update(round(nodeReport('a', [r('ssh', 'pass'), r('service', 'skip')])), Date.UTC(2026, 11, 5, 10));
    const a = healthz(s, false);
    assert.equal(a.status, 200);
    assert.equal(a.body, 'ok: 1 nodes, every selected check passed or skipped (round 1 at 2026-12-05T10:00:00.000Z)\n');
  });

  test('503 with one line a failing or erroring check, node text escaped', () => {
    const s = new ServeState(['a', 'b']);
    s.update(round(healthy('a'), nodeReport('b', [r('hostname', 'fail', 'hostname is \u001b[2Jevil'), r('etcd.health', 'error', 'Could not check: etcd: timed out')])), 0);
    const a = healthz(s, false);
    assert.equal(a.status, 503);
    assert.equal(a.body.split('\n').slice(1).join('\n'), 'b hostname: hostname is \\x1b[2Jevil\nb etcd.health: could not check: etcd: timed out\n');
    assert.ok(!a.body.includes('\u001b'));
  });

  test('Accept: application/json gives the JSON report with the same status', () => {
    const s = new ServeState(['b']);
    s.update(round(nodeReport('b', [r('hostname', 'fail', 'x\u001by')])), 0);
    const a = healthz(s, wantsJson('application/json, text/plain;q=0.5'));
    assert.equal(a.status, 503);
    assert.equal(a.type, 'application/json; charset=utf-8');
    assert.equal(JSON.parse(a.body).nodes[0].checks[0].message, 'x\u001by');
    assert.ok(!a.body.includes('\u001b'), 'the control is a JSON escape');
    assert.equal(wantsJson('text/html'), false);
    assert.equal(wantsJson(undefined), false);
  });
});
