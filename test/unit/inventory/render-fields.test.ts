import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInventory } from '../../../src/inventory/load.js';
import { InventoryError } from '../../../src/errors.js';

const load = (text: string) => parseInventory(text, '/inv/inventory.yaml', { home: '/home/tester' });
const problems = (text: string) => {
  try {
    load(text);
  } catch (err) {
    assert.ok(err instanceof InventoryError);
    return err.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
  }
  return assert.fail('loaded without problems');
};

describe('inventory fields for render', () => {
  test('sshAuthorizedKeys and sshAuthorizedKeysFile inherit from defaults field by field; the file path is resolved', () => {
    const inv = load(`defaults:
  sshAuthorizedKeys: [ssh-ed25519 AAAA one]
  sshAuthorizedKeysFile: ~/.ssh/id.pub
nodes:
  - { name: a, host: 198.18.1.1, roles: [etcd] }
  - { name: b, host: 198.18.1.2, roles: [worker], sshAuthorizedKeys: [ssh-ed25519 BBBB two], sshAuthorizedKeysFile: keys/b.pub }
`);
    assert.deepEqual(inv.nodes.map((n) => [n.sshAuthorizedKeys, n.sshAuthorizedKeysFile]), [
      [['ssh-ed25519 AAAA one'], '/home/tester/.ssh/id.pub'],
      [['ssh-ed25519 BBBB two'], '/inv/keys/b.pub'],
    ]);
  });
  test('a key line with a newline, an empty one, and ~user paths are refused with their field paths', () => {
    assert.deepEqual(
      problems(`defaults:
  sshAuthorizedKeys: ["ssh-ed25519 AAAA\\nssh-rsa BBBB", ""]
nodes:
  - { name: a, host: 198.18.1.1, roles: [etcd], sshAuthorizedKeysFile: ~alice/.ssh/id.pub }
`),
      [
        '2: defaults.sshAuthorizedKeys[0]: an SSH key line must be one line (no newline or NUL)',
        '2: defaults.sshAuthorizedKeys[1]: an SSH key line must not be empty',
        "4: nodes[0].sshAuthorizedKeysFile: '~alice/.ssh/id.pub': only ~ and ~/ are expanded; write another user's home as a full path",
      ],
    );
  });
  test('nodes[].etcd.name alone (no endpoints) is allowed; a misspelt key lists the known ones', () => {
    const inv = load('nodes:\n  - { name: a, host: 198.18.1.1, roles: [etcd], etcd: { name: app-etcd-1 } }\n');
    assert.deepEqual(inv.nodes[0]?.etcd, { name: 'app-etcd-1' });
    assert.match(problems('nodes:\n  - { name: a, host: 198.18.1.1, roles: [etcd], etcd: { nmae: x } }\n').join('\n'), /nodes\[0\]\.etcd\.nmae: unknown key 'nmae' \(known keys: endpoints, name\)/);
  });
  test('a node\'s own etcd endpoints must be URLs', () => {
    assert.deepEqual(problems('nodes:\n  - { name: a, host: 198.18.1.1, roles: [worker], etcd: { endpoints: [198.18.1.2:2379] } }\n'), [
      "2: nodes[0].etcd.endpoints[0]: '198.18.1.2:2379' is not an http:// or https:// URL; did you mean http://198.18.1.2:2379?",
    ]);
  });
  test('cluster.etcd.initialClusterToken and cluster.flannel.configDropin reach the normalized inventory', () => {
    const inv = load('cluster:\n  etcd: { initialClusterToken: tok }\n  flannel: { network: 10.1.0.0/16, configDropin: true }\nnodes:\n  - { name: a, host: 198.18.1.1, roles: [etcd] }\n');
    assert.equal(inv.cluster.etcd.initialClusterToken, 'tok');
    assert.equal(inv.cluster.flannel.configDropin, true);
  });
  test('cluster.kubernetes: defaults filled (pki dir, service range); nodes[].kubernetes.nodeName read; absent: no kubernetes', () => {
    const inv = load(`cluster:
  kubernetes: {}
nodes:
  - { name: a, host: 198.18.1.1, roles: [master] }
  - { name: b, host: 198.18.1.2, roles: [worker], kubernetes: { nodeName: b.lab.test } }
`);
    assert.deepEqual(inv.cluster.kubernetes, { pkiDir: '/etc/kubernetes/pki', serviceClusterIpRange: '10.3.0.0/24' });
    assert.equal(inv.nodes[1]?.kubernetes?.nodeName, 'b.lab.test');
    assert.equal(load('nodes:\n  - { name: a, host: 198.18.1.1, roles: [master] }\n').cluster.kubernetes, undefined);
  });
  test('cluster.kubernetes: a relative pkiDir and a misspelt key are refused with their field paths', () => {
    assert.deepEqual(
      problems(`cluster:
  kubernetes: { pkiDir: pki, serviceClusterIPRange: 10.3.0.0/24 }
nodes:
  - { name: a, host: 198.18.1.1, roles: [master], kubernetes: { name: a } }
`),
      [
        '2: cluster.kubernetes.pkiDir: pkiDir must be an absolute path on the nodes, without whitespace',
        "2: cluster.kubernetes.serviceClusterIPRange: unknown key 'serviceClusterIPRange' — did you mean 'serviceClusterIpRange'?",
        "4: nodes[0].kubernetes.name: unknown key 'name' (known keys: nodeName)",
      ],
    );
  });
});
