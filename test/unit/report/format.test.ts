import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeCheck, isWarning, makeChalk, summaryLine } from '../../../src/report/format.js';

const plain = makeChalk(false, {});

describe('human report formatting', () => {
  test('a failure shows expected and actual where the message does not already', () => {
    const r = { id: 'net.route', status: 'fail' as const, expected: '198.19.45.0/24 via 198.18.0.124', actual: 'none', message: 'no route to 198.19.45.0/24' };
    assert.equal(describeCheck(r, plain), 'net.route: no route to 198.19.45.0/24 (expected 198.19.45.0/24 via 198.18.0.124, actual none)');
  });

  test('a side the message already names is not repeated', () => {
    const r = { id: 'hostname', status: 'fail' as const, expected: 'n1', actual: 'localhost', message: 'hostname is localhost, expected n1' };
    assert.equal(describeCheck(r, plain), 'hostname: hostname is localhost, expected n1');
  });

  test('a pass or skip is the message alone', () => {
    const r = { id: 'net.dns', status: 'pass' as const, expected: 'a', actual: 'a', message: 'nameservers a' };
    assert.equal(describeCheck(r, plain), 'net.dns: nameservers a');
  });

  test('a pass whose message starts with "warning:" is a warning: yellow on a terminal, still a pass', () => {
    const r = { id: 'flannel.dropin', status: 'pass' as const, expected: null, actual: null, message: 'warning: the next restart puts the old value back' };
    assert.ok(isWarning(r));
    assert.equal(describeCheck(r, makeChalk(true, {})), `\u001b[1mflannel.dropin\u001b[22m: \u001b[33m${r.message}\u001b[39m`);
    assert.ok(!isWarning({ ...r, status: 'fail' }));
  });

  test('colour: never off a terminal, never with NO_COLOR, FORCE_COLOR wins', () => {
    assert.equal(makeChalk(false, {}).level, 0);
    assert.equal(makeChalk(true, { NO_COLOR: '1' }).level, 0);
    assert.equal(makeChalk(true, {}).level, 1);
    assert.equal(makeChalk(false, { FORCE_COLOR: '1' }).level, 1);
  });

  test('summary line counts and verdict', () => {
    const s = { nodes: 3, passed: 20, failed: 1, skipped: 0, errors: 0 };
    assert.equal(summaryLine(s, 1234, plain), 'NOT OK: 3 nodes, 20 passed, 1 failed, 0 skipped, 0 errors in 1.2s');
    assert.equal(summaryLine({ ...s, failed: 0 }, 50, plain), 'OK: 3 nodes, 20 passed, 0 failed, 0 skipped, 0 errors in 0.1s');
  });
});
