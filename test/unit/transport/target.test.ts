import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveTarget } from '../../../src/transport/target.js';
import { HOME, config, inventoryNode } from '../../fixtures/transport/ssh-config.js';

describe('resolveTarget: inventory beats ssh config, ssh config beats built-in defaults', () => {
  test('a node that leaves everything unset takes the config: HostName, User, Port, keys, ProxyJump, known_hosts, policy, timeout', () => {
    const node = inventoryNode('nodes:\n  - {name: n1, host: node-1, roles: [worker]}\n');
    const t = resolveTarget(node, { config, connectTimeoutMs: 10_000, home: HOME });
    assert.equal(t.host, 'node-1.lab.test');
    assert.equal(t.user, 'admin');
    assert.equal(t.port, 2222);
    assert.equal(t.keyName, '[node-1.lab.test]:2222');
    assert.deepEqual(t.identityFiles, ['/home/tester/.ssh/lab_key', '/home/tester/.ssh/second_key']);
    assert.deepEqual(t.knownHostsFiles, ['/home/tester/.ssh/lab_known_hosts', '/etc/ssh/lab_known_hosts']);
    assert.equal(t.strict, 'accept-new');
    assert.equal(t.connectTimeoutMs, 3000);
    // The bastion is looked up under its own name; its port falls to the catch-all Host *.
    assert.deepEqual(
      { host: t.bastion?.host, user: t.bastion?.user, port: t.bastion?.port, keys: t.bastion?.identityFiles, keyName: t.bastion?.keyName },
      { host: '198.18.1.11', user: 'jump', port: 2200, keys: ['/home/tester/.ssh/jump_key'], keyName: '[198.18.1.11]:2200' },
    );
  });

  test('explicit inventory values (at defaults or on the node) win, and --connect-timeout given on the command line wins', () => {
    const node = inventoryNode(
      'defaults: {user: core, knownHostsFile: [kh1, kh2]}\nnodes:\n  - {name: n1, host: node-1, roles: [worker], port: 22, strictHostKeyChecking: "yes", identityFile: ~/.ssh/mine, bastion: {host: 10.9.9.9, user: ops}}\n',
    );
    assert.deepEqual(node.unsetSsh, undefined);
    const t = resolveTarget(node, { config, connectTimeoutMs: 10_000, connectTimeoutExplicit: true, home: HOME });
    assert.deepEqual([t.user, t.port, t.strict, t.connectTimeoutMs], ['core', 22, 'yes', 10_000]);
    assert.deepEqual(t.knownHostsFiles, ['/inv/kh1', '/inv/kh2']);
    assert.deepEqual(t.identityFiles, ['/home/tester/.ssh/mine', '/home/tester/.ssh/lab_key', '/home/tester/.ssh/second_key']);
    assert.deepEqual([t.bastion?.host, t.bastion?.user, t.bastion?.port], ['10.9.9.9', 'ops', 2200]);
  });

  test('without ssh config: built-in defaults, no bastion', () => {
    const node = inventoryNode('nodes:\n  - {name: n1, host: 10.0.0.1, roles: [worker]}\n');
    const t = resolveTarget(node, { connectTimeoutMs: 10_000, home: '/nonexistent-home' });
    assert.deepEqual([t.host, t.user, t.port, t.strict, t.knownHostsFiles, t.identityFiles, t.bastion], ['10.0.0.1', 'core', 22, 'yes', ['/home/tester/.ssh/known_hosts'], [], undefined]);
  });
});
