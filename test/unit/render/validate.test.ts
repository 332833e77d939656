import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../../src/inventory/lint.js';
import { formatPath } from '../../../src/inventory/problems.js';
import { renderProblems } from '../../../src/render/validate.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';

const problems = (text: string) => renderProblems(inventoryOf(text)).map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('what render needs beyond lint', () => {
  test('a renderable inventory has no problems', () => {
    assert.deepEqual(problems(THREE_ETCD), []);
  });
  test('an etcd node with neither a network address nor an IPv4 host', () => {
    assert.deepEqual(problems(THREE_ETCD.replace('host: 198.18.1.13', 'host: e3.lab.test')), [
      'nodes[2].host: etcd binds to an IP address, and e3 has none: give it network.address (or an IPv4 host)',
    ]);
  });
  test('member names: no , or =, and unique', () => {
    assert.match(problems(THREE_ETCD.replace('name: app-etcd-1', 'name: "a=b"')).join('\n'), /^nodes\[0\]\.etcd\.name: etcd member name 'a=b' must not contain , or =/);
    // e1 pinned to e2's default member name: e2 (listed later) is the one reported.
    assert.deepEqual(problems(THREE_ETCD.replace('name: app-etcd-1', 'name: e2')), ["nodes[1].name: etcd member name 'e2' is already the member name of nodes[0]"]);
    assert.deepEqual(problems(THREE_ETCD.replace('    roles: [etcd]\n    network: { interface: host0, address: 198.18.1.12/24', "    roles: [etcd]\n    etcd: { name: app-etcd-1 }\n    network: { interface: host0, address: 198.18.1.12/24")), [
      "nodes[1].etcd.name: etcd member name 'app-etcd-1' is already the member name of nodes[0]",
    ]);
  });
  test('flanneld on a node without etcd that would reach etcd only on loopback: lint says it, once', () => {
    const text = THREE_ETCD.replace('    etcd: { endpoints: [http://198.18.1.13:2379] }\n', '    etcd: { endpoints: [http://127.0.0.1:2379, http://localhost:2379] }\n');
    assert.deepEqual(problems(text), []);
    const lint = lintText(text, 'inv.yaml').map((p) => `${p.path}: ${p.message}`);
    assert.equal(lint.length, 1);
    assert.match(lint[0] ?? '', /^nodes\[3\]\.etcd\.endpoints: w1 runs flannel but no etcd, and every etcd endpoint it would use is loopback \(http:\/\/127\.0\.0\.1:2379, http:\/\/localhost:2379 from nodes\[3\]\.etcd\.endpoints\)/);
  });
  test('https endpoints: render has no server certificates for etcd', () => {
    assert.match(problems(THREE_ETCD.replace('[http://198.18.1.11:2379,', '[https://198.18.1.11:2379,')).join('\n'), /^cluster\.etcd\.endpoints: render writes etcd with plain http/);
  });
  test('a config key flanneld cannot read, a config drop-in without a Network', () => {
    assert.deepEqual(problems(THREE_ETCD.replace('    subnetLen: 24', '    subnetLen: 24\n    configKey: /lab/flannel-cfg')), [
      'cluster.flannel.configKey: flanneld reads <prefix>/config, so /lab/flannel-cfg cannot be its config key: end it in /config',
    ]);
    assert.deepEqual(problems(THREE_ETCD.replace('    network: 10.1.0.0/16\n', '')), [
      'cluster.flannel.configDropin: the config drop-in writes cluster.flannel.network, which is not set (or flannel is off)',
    ]);
  });
  test('a cluster.services entry that is not a unit name', () => {
    assert.deepEqual(problems(THREE_ETCD.replace('master: [kubelet.service]', 'master: [kubelet]')), [
      "cluster.services.master[0]: 'kubelet' is not a systemd unit name (e.g. kubelet.service): render enables it by that name",
    ]);
  });
  test('names that are not file names, hostnames that are not host names', () => {
    assert.deepEqual(problems(THREE_ETCD.replace('name: w1', 'name: ../w1')), [
      'nodes[3].name: render writes ../w1.ign: a node name must be a plain file name (letters, digits, . _ -)',
      "nodes[3].name: '../w1' is not a valid host name for /etc/hostname (letters, digits, - and . only)",
    ]);
    assert.deepEqual(problems(THREE_ETCD.replace('name: w1', 'name: w1\n    hostname: "w1$(id)"')), [
      "nodes[3].hostname: 'w1$(id)' is not a valid host name for /etc/hostname (letters, digits, - and . only)",
    ]);
  });
});
