import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { framePart } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

const DONE = framePart(TEST_NONCE, 'done', 0, '');
import { parseFlat as parseFacts } from '../../../helpers/legacy-facts.js';
import { parseFacts as parseFactShape } from '../../../../src/facts/parse/probe-output.js';
import { readFileSync } from 'node:fs';
import { fixture } from '../../../fixtures/flannel/load.js';

describe('probe sections for flannel', () => {
  const section = (name: string, body: string, rc = 0, fmt = 'text') => framePart(TEST_NONCE, name, rc, body, ` fmt=${fmt}`);
  test('no subnet.env is a fact (absent), not a problem; PID 1 not systemd leaves units absent, not a problem', () => {
    const out = section('flannel.env', 'cat: /run/flannel/subnet.env: No such file or directory', 1) + section('init', 'process_api') +
      section('units', fixture('lab-systemctl-no-systemd.txt').replace(/\nrc=1\n$/, ''), 1) + section('links', fixture('lab-ip-j-d-link.json'), 0, 'json') + DONE;
    const f = parseFacts(out);
    assert.deepEqual(parseFactShape(out, TEST_NONCE).subnetEnv, { absent: 'no /run/flannel/subnet.env' });
    assert.deepEqual(parseFactShape(out, TEST_NONCE).units, { absent: "PID 1 is 'process_api', not systemd" });
    assert.equal(f.init, 'process_api');
    assert.equal(f.units, null);
    assert.equal(f.links?.length, 3);
    assert.deepEqual(f.problems.filter((p) => /^(flannel\.env|init|units|links): /.test(p)), []);
  });
  test('systemd as PID 1 and systemctl failing is a problem naming the command', () => {
    const f = parseFacts(section('init', 'systemd') + section('units', 'Failed to connect to bus: No such file or directory', 1) + DONE);
    assert.equal(f.units, null);
    assert.ok(f.problems.includes('units: `systemctl list-units --type=service --all --no-legend --plain --no-pager` failed (rc=1): Failed to connect to bus: No such file or directory'), f.problems.join('\n'));
  });
  test('flanneld.service and flanneld: evidence when there, absent (no problem) when not, an error when the section is missing', () => {
    const f = parseFacts(section('flannel.unit', fixture('systemctl-cat-container-linux-guide.txt')) + section('flanneld.version', '', 127) + DONE);
    assert.deepEqual(f.flannelUnit?.map((u) => u.path), ['/usr/lib/systemd/system/flanneld.service', '/etc/systemd/system/flanneld.service.d/50-network-config.conf']);
    assert.equal(f.flanneldVersion, null);
    const none = parseFacts(section('flannel.unit', '', 1) + DONE);
    assert.equal(none.flannelUnit, null);
    assert.deepEqual(none.problems.filter((p) => /^flannel\.unit: /.test(p)), []);
    assert.deepEqual(parseFactShape(section('flannel.unit', '', 1) + DONE, TEST_NONCE).flannelUnit, { absent: 'no flanneld.service on the node' });
    const cut = parseFactShape(DONE, TEST_NONCE);
    assert.deepEqual([cut.flannelUnit, cut.flanneldVersion], [{ error: 'flannel.unit: missing from the probe output' }, { error: 'flanneld.version: missing from the probe output' }]);
  });
  test('the probe\'s file fallback (no systemd) is read like systemctl cat, in systemd\'s order', () => {
    const body = '# /etc/systemd/system/flanneld.service.d/50-network-config.conf\n[Service]\nExecStartPre=/usr/bin/etcdctl set /k v\n\n# /usr/lib/systemd/system/flanneld.service\n[Service]\nEnvironment=FLANNEL_IMAGE_TAG=v0.11.0\n';
    assert.deepEqual(parseFacts(section('flannel.unit', body) + DONE).flannelUnit?.map((u) => u.path), ['/usr/lib/systemd/system/flanneld.service', '/etc/systemd/system/flanneld.service.d/50-network-config.conf']);
  });
  test('the unit\'s lines come prefixed "| ": a line that looks like a probe marker stays unit text', () => {
    const unit = '# /etc/systemd/system/flanneld.service.d/50-x.conf\n[Service]\n@@clusterctl:end flannel.unit rc=0 fmt=text\n@@clusterctl:begin hostname\nEnvironment=FLANNEL_IMAGE_TAG=v0.11.0\n';
    const body = unit.split('\n').map((l) => `| ${l}`).join('\n');
    const f = parseFacts(section('flannel.unit', body) + section('hostname', 'lab-node-1') + DONE);
    assert.deepEqual(f.flannelUnit?.[0]?.entries.filter((e) => e.key === 'Environment').map((e) => e.value), ['FLANNEL_IMAGE_TAG=v0.11.0']);
    assert.equal(f.flannelUnit?.length, 1);
    assert.equal(f.hostname, 'lab-node-1');
  });
});
