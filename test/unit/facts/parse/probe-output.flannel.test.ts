import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseFacts } from '../../../../src/facts/parse/probe-output.js';
import { fixture } from '../../../fixtures/flannel/load.js';

describe('probe sections for flannel', () => {
  const section = (name: string, body: string, rc = 0, fmt = 'text') => `@@clusterctl:begin ${name}\n${body}\n@@clusterctl:end ${name} rc=${rc} fmt=${fmt}\n`;
  test('no subnet.env is a fact (present: false), not a problem; PID 1 not systemd leaves units null without a problem', () => {
    const out = section('flannel.env', 'cat: /run/flannel/subnet.env: No such file or directory', 1) + section('init', 'process_api') +
      section('units', fixture('lab-systemctl-no-systemd.txt').replace(/\nrc=1\n$/, ''), 1) + section('links', fixture('lab-ip-j-d-link.json'), 0, 'json') + '@@clusterctl:done\n';
    const f = parseFacts(out);
    assert.deepEqual(f.subnetEnv, { present: false });
    assert.equal(f.init, 'process_api');
    assert.equal(f.units, null);
    assert.equal(f.links?.length, 3);
    assert.deepEqual(f.problems.filter((p) => /^(flannel\.env|init|units|links): /.test(p)), []);
  });
  test('systemd as PID 1 and systemctl failing is a problem naming the command', () => {
    const f = parseFacts(section('init', 'systemd') + section('units', 'Failed to connect to bus: No such file or directory', 1) + '@@clusterctl:done\n');
    assert.equal(f.units, null);
    assert.ok(f.problems.includes('units: `systemctl list-units --type=service --all --no-legend --plain --no-pager` failed (rc=1): Failed to connect to bus: No such file or directory'), f.problems.join('\n'));
  });
});
