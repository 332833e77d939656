import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { hostnameCheck, hostnameFileCheck } from '../../../src/checks/hostname.js';
import { facts, node, ctx } from '../../fixtures/facts/builders.js';

describe('hostname', () => {
  test('pass', () => {
    assert.deepEqual(hostnameCheck.run(node(), facts(), ctx()), [
      { id: 'hostname', status: 'pass', expected: 'lab-node-1', actual: 'lab-node-1', message: 'hostname is lab-node-1' },
    ]);
  });

  test('fail names both', () => {
    const [r] = hostnameCheck.run(node(), facts({ hostname: 'localhost' }), ctx());
    assert.deepEqual(r, { id: 'hostname', status: 'fail', expected: 'lab-node-1', actual: 'localhost', message: 'hostname is localhost, expected lab-node-1' });
  });

  test('error when the probe could not read it', () => {
    const [r] = hostnameCheck.run(node(), facts({ hostname: null, problems: ['hostname: missing from the probe output (output cut short?)'] }), ctx());
    assert.equal(r?.status, 'error');
    assert.equal(r?.actual, null);
    assert.equal(r?.expected, 'lab-node-1');
    assert.match(r?.message ?? '', /hostname: missing from the probe output/);
  });
});

describe('hostname.file', () => {
  test('pass', () => {
    const [r] = hostnameFileCheck.run(node(), facts(), ctx());
    assert.deepEqual(r, { id: 'hostname.file', status: 'pass', expected: 'lab-node-1', actual: 'lab-node-1', message: '/etc/hostname is lab-node-1' });
  });

  test('fail on another name, and on an empty file', () => {
    assert.equal(hostnameFileCheck.run(node(), facts({ hostnameFile: 'coreos' }), ctx())[0]?.message, '/etc/hostname says coreos, expected lab-node-1');
    assert.equal(hostnameFileCheck.run(node(), facts({ hostnameFile: '' }), ctx())[0]?.message, '/etc/hostname says (empty), expected lab-node-1');
  });

  test('missing file is a fail saying "missing"', () => {
    const [r] = hostnameFileCheck.run(node(), facts({ hostnameFile: { present: false } }), ctx());
    assert.deepEqual(r, { id: 'hostname.file', status: 'fail', expected: 'lab-node-1', actual: 'missing', message: '/etc/hostname is missing, expected lab-node-1' });
  });

  test('unreadable file is an error with the problem', () => {
    const problem = 'hostname.file: `cat /etc/hostname` failed (rc=1): cat: /etc/hostname: Permission denied';
    const [r] = hostnameFileCheck.run(node(), facts({ hostnameFile: null, problems: [problem] }), ctx());
    assert.equal(r?.status, 'error');
    assert.equal(r?.message, `Could not check: ${problem}`);
  });
});
