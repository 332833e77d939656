import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseInventory } from '../../../src/inventory/load.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { parseJump, parseSshConfig } from '../../../src/transport/ssh-config.js';
import { resolveTarget } from '../../../src/transport/target.js';

const HOME = '/home/tester';
const CONFIG = `
Host bastion
  HostName 198.18.1.11
  User jump
  IdentityFile ~/.ssh/jump_key

Host node-*
  HostName %h.lab.test
  User admin
  Port 2222
  IdentityFile ~/.ssh/lab_key
  IdentityFile %d/.ssh/second_key
  ProxyJump bastion
  UserKnownHostsFile ~/.ssh/lab_known_hosts /etc/ssh/lab_known_hosts
  StrictHostKeyChecking accept-new
  ConnectTimeout 3

Match host *.direct.test
  User matcher
  ProxyJump none

Host *
  User fallback
  Port 2200
`;
const config = parseSshConfig(CONFIG, '/home/tester/.ssh/config', HOME);

function inventoryNode(yaml: string): NodeSpec {
  const [n] = parseInventory(yaml, '/inv/inventory.yaml', { home: HOME }).nodes;
  assert.ok(n);
  return n;
}

describe('~/.ssh/config through the ssh-config package', () => {
  test('Host patterns, first value wins, tokens and ~ expanded, repeated IdentityFile kept in order', () => {
    assert.deepEqual(config.lookup('node-1'), {
      hostName: 'node-1.lab.test',
      user: 'admin',
      port: 2222,
      identityFiles: ['/home/tester/.ssh/lab_key', '/home/tester/.ssh/second_key', ],
      proxyJump: 'bastion',
      userKnownHostsFiles: ['/home/tester/.ssh/lab_known_hosts', '/etc/ssh/lab_known_hosts'],
      strictHostKeyChecking: 'accept-new',
      connectTimeoutMs: 3000,
    });
    assert.deepEqual(config.lookup('other'), { user: 'fallback', port: 2200 });
  });

  test('Match host sections apply; ProxyJump none means direct', () => {
    const e = config.lookup('a.direct.test');
    assert.equal(e.user, 'matcher');
    assert.equal(e.proxyJump, 'none');
    assert.equal(parseJump('none'), undefined);
  });

  test('ProxyJump forms; more than one hop is refused with what to do', () => {
    assert.deepEqual(parseJump('bastion'), { host: 'bastion' });
    assert.deepEqual(parseJump('ops@10.0.0.1:2222'), { host: '10.0.0.1', user: 'ops', port: 2222 });
    assert.deepEqual(parseJump('[fe80::1]:22'), { host: 'fe80::1', port: 22 });
    assert.throws(() => parseJump('a,b'), /supports one jump host/);
  });

  test('Include and Match exec are reported, never followed or run', () => {
    const c = parseSshConfig('Include ~/.ssh/conf.d/*\nMatch exec "touch /tmp/should-not-exist"\n  User x\n', '/c', HOME);
    assert.equal(c.warnings.length, 2);
    assert.equal(c.lookup('h').user, undefined);
  });
});

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

describe('inventory: bastion and knownHostsFile lists', () => {
  test('defaults.bastion is inherited; a node bastion replaces it; its identityFile is expanded', () => {
    const inv = parseInventory(
      'defaults:\n  bastion: {host: jump.lab, port: 2022, identityFile: ~/.ssh/jump}\nnodes:\n  - {name: a, host: 10.0.0.1, roles: [worker]}\n  - {name: b, host: 10.0.0.2, roles: [worker], bastion: {host: other}}\n',
      '/inv/i.yaml',
      { home: HOME },
    );
    assert.deepEqual(inv.nodes.map((n) => n.bastion), [{ host: 'jump.lab', port: 2022, identityFile: '/home/tester/.ssh/jump' }, { host: 'other' }]);
  });

  test('a misspelt bastion key and an empty knownHostsFile list are inventory problems', () => {
    assert.throws(
      () => parseInventory('defaults:\n  knownHostsFile: []\n  bastion: {hots: x}\nnodes:\n  - {name: a, host: 10.0.0.1, roles: [worker]}\n', 'i.yaml', { home: HOME }),
      (err: Error) => /defaults\.knownHostsFile/.test(err.message) && /defaults\.bastion/.test(err.message),
    );
  });
});
