import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadInventory, parseInventory } from '../../../src/inventory/load.js';
import { InventoryError, UserError } from '../../../src/errors.js';
import type { InventoryProblem } from '../../../src/errors.js';

const HOME = '/home/tester';
const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

// The problems an inventory text produces (fails the test if it loads).
function problemsOf(text: string): InventoryProblem[] {
  try {
    parseInventory(text, '/inv/inventory.yaml', { home: HOME });
  } catch (err) {
    assert.ok(err instanceof InventoryError, `expected InventoryError, got ${String(err)}`);
    assert.equal(err.file, '/inv/inventory.yaml');
    return err.problems;
  }
  assert.fail('inventory loaded without problems');
}

const node = (extra = '') => `nodes:\n  - name: n1\n    host: 10.0.0.1\n    roles: [worker]\n${extra}`;

describe('loadInventory: the example inventory', () => {
  test('normalizes every node: defaults merged, hostname defaulted, ~ expanded', async () => {
    const inv = await loadInventory(root('inventory.example.yaml'), { home: HOME });
    assert.equal(inv.path, root('inventory.example.yaml'));
    assert.deepEqual(inv.cluster, {
      etcd: { endpoints: ['http://192.168.1.10:2379'] },
      flannel: { enabled: true, etcdApi: 'auto', configKey: '/coreos.com/network/config', network: '10.1.0.0/16' },
      services: { all: ['flanneld.service'], etcd: ['etcd-member.service'], master: [], worker: [] },
    });
    const conn = {
      port: 22,
      user: 'core',
      identityFile: '/home/tester/.ssh/id_ed25519',
      knownHostsFile: '/home/tester/.ssh/known_hosts',
      strictHostKeyChecking: 'yes',
      sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceMeWithYourOwnPublicKey0000 you@laptop'],
      become: 'none',
    };
    const worker = (n: number) => ({
      ...conn,
      name: `app-worker-${n}`,
      host: `192.168.1.${10 + n}`,
      roles: ['worker'],
      hostname: `app-worker-${n}`,
      network: { interface: 'eth0', address: `192.168.1.${10 + n}/24`, gateway: '192.168.1.1', dns: ['192.168.1.1', '192.168.1.2'], routes: [] },
    });
    assert.deepEqual(inv.nodes, [
      {
        ...conn,
        name: 'app-etcd-1',
        host: '192.168.1.10',
        roles: ['etcd', 'master'],
        hostname: 'app-etcd-1',
        network: {
          interface: 'eth0',
          address: '192.168.1.10/24',
          gateway: '192.168.1.1',
          dns: ['192.168.1.1', '192.168.1.2'],
          routes: [{ destination: '10.45.0.0/16', gateway: '192.168.1.124' }],
        },
      },
      worker(1),
      worker(2),
    ]);
  });
});

describe('parseInventory: defaults and normalization', () => {
  test('a minimal node gets every default', () => {
    const inv = parseInventory(node(), 'inv.yaml', { home: HOME });
    assert.deepEqual(inv.cluster, {
      etcd: { endpoints: ['http://127.0.0.1:2379'] },
      flannel: { enabled: false, etcdApi: 'auto', configKey: '/coreos.com/network/config' },
    });
    assert.deepEqual(inv.nodes, [
      {
        name: 'n1',
        host: '10.0.0.1',
        port: 22,
        user: 'core',
        knownHostsFile: '/home/tester/.ssh/known_hosts',
        strictHostKeyChecking: 'yes',
        roles: ['worker'],
        hostname: 'n1',
        become: 'none',
        unsetSsh: ['user', 'port', 'identityFile', 'knownHostsFile', 'strictHostKeyChecking'],
      },
    ]);
    assert.equal(inv.path, `${process.cwd()}/inv.yaml`);
  });
  test('a node overrides defaults one field at a time', () => {
    const text = `defaults: {user: admin, port: 2222, strictHostKeyChecking: accept-new}
${node('    port: 22\n    hostname: other\n    strictHostKeyChecking: "no"\n')}`;
    const [n] = parseInventory(text, '/x/inv.yaml', { home: HOME }).nodes;
    assert.equal(n?.user, 'admin');
    assert.equal(n?.port, 22);
    assert.equal(n?.hostname, 'other');
    assert.equal(n?.strictHostKeyChecking, 'no');
  });
  test('relative paths resolve against the inventory file, ~ against home', async () => {
    const inv = await loadInventory(root('test/fixtures/inventory/relative-paths.yaml'), { home: HOME });
    const dir = root('test/fixtures/inventory');
    assert.deepEqual(
      inv.nodes.map((n) => [n.identityFile, n.knownHostsFile]),
      [
        [`${dir}/keys/id_ed25519`, `${dir}/known_hosts`],
        ['/home/tester/.ssh/other', '/etc/ssh/ssh_known_hosts'],
        [root('test/fixtures/shared/key'), HOME],
      ],
    );
  });
  test('duplicate roles are collapsed', () => {
    assert.deepEqual(parseInventory(node().replace('[worker]', '[etcd, etcd]'), 'i.yaml').nodes[0]?.roles, ['etcd']);
  });
});

describe('parseInventory: problems with path and line', () => {
  test('unknown key names the key and suggests the close one', () => {
    const text = node('    network:\n      interface: eth0\n      adress: 10.0.0.1/24\n');
    assert.deepEqual(problemsOf(text), [
      { path: 'nodes[0].network.address', line: 5, message: 'is required' },
      { path: 'nodes[0].network.adress', line: 7, message: "unknown key 'adress' — did you mean 'address'?" },
    ]);
  });
  test('unknown key without a close match lists the known keys', () => {
    assert.deepEqual(problemsOf(`${node()}frobnicate: 1\n`), [
      { path: 'frobnicate', line: 5, message: "unknown key 'frobnicate' (known keys: defaults, cluster, nodes)" },
    ]);
  });
  test('case-only typos are suggested too', () => {
    assert.equal(problemsOf(`defaults:\n  identityfile: k\n${node()}`)[0]?.message, "unknown key 'identityfile' — did you mean 'identityFile'?");
  });
  test('YAML syntax errors carry their line', () => {
    assert.deepEqual(problemsOf('nodes:\n  - name: a\n    host: b: c\n    roles: [worker]\n'), [
      { path: '', line: 3, message: 'YAML syntax: Nested mappings are not allowed in compact mappings' },
    ]);
    assert.deepEqual(problemsOf('nodes:\n\t- name: a\n'), [{ path: '', line: 2, message: 'YAML syntax: Tabs are not allowed as indentation' }]);
    const [dup] = problemsOf('nodes: []\nnodes: []\n');
    assert.deepEqual(dup, { path: '', line: 2, message: 'YAML syntax: Map keys must be unique' });
  });
  test('empty file, empty node list, wrong top-level type', () => {
    assert.deepEqual(problemsOf('# just a comment\n'), [
      { path: '', line: 1, message: 'the inventory is empty; it needs a nodes: list (see inventory.example.yaml)' },
    ]);
    assert.deepEqual(problemsOf('nodes: []\n'), [{ path: 'nodes', line: 1, message: 'there are no nodes; list at least one under nodes:' }]);
    assert.deepEqual(problemsOf('- a\n'), [{ path: '', line: 1, message: 'the inventory must be a mapping with a nodes: list, not a list' }]);
    assert.deepEqual(problemsOf('defaults: {}\n'), [{ path: 'nodes', line: 1, message: 'is required' }]);
  });
  test('field types, enums, port range, names', () => {
    const text = `defaults:
  port: 70000
nodes:
  - name: "has space"
    host: 10.0.0.1
    roles: [worker, boss]
    port: 1.5
    strictHostKeyChecking: maybe
    network: null
`;
    assert.deepEqual(problemsOf(text), [
      { path: 'defaults.port', line: 2, message: 'port must be 1..65535' },
      { path: 'nodes[0].name', line: 4, message: 'name must not contain whitespace' },
      { path: 'nodes[0].roles[1]', line: 6, message: "expected one of etcd, master, worker; got 'boss'" },
      { path: 'nodes[0].port', line: 7, message: 'port must be a whole number' },
      { path: 'nodes[0].strictHostKeyChecking', line: 8, message: "expected one of yes, accept-new, no; got 'maybe'" },
      { path: 'nodes[0].network', line: 9, message: 'expected a mapping, got nothing' },
    ]);
  });
  test('a missing required field points at its node', () => {
    assert.deepEqual(problemsOf('nodes:\n  - name: a\n    roles: [worker]\n'), [{ path: 'nodes[0].host', line: 2, message: 'is required' }]);
  });
});

describe('everything at once', () => {
  test('schema and rule problems of several nodes are reported together, in file order', async () => {
    const file = fileURLToPath(new URL('../../fixtures/inventory/problems.yaml', import.meta.url));
    await assert.rejects(loadInventory(file), (err: unknown) => {
      assert.ok(err instanceof InventoryError);
      assert.deepEqual(err.problems, [
        { path: 'nodes[1].name', line: 6, message: "'a' is already used by nodes[0]" },
        { path: 'nodes[1].host', line: 7, message: "'10.0.0.1' (port 22) is already used by nodes[0]" },
        { path: 'nodes[1].roles[0]', line: 8, message: "expected one of etcd, master, worker; got 'wroker'" },
      ]);
      assert.match(err.message, /problems\.yaml: 3 problems in the inventory/);
      assert.match(err.message, /problems\.yaml:8: nodes\[1\]\.roles\[0\]: /);
      return true;
    });
  });
  test('a missing file is a UserError that says how to point at another', async () => {
    await assert.rejects(loadInventory('/nonexistent/inv.yaml'), (err: unknown) => {
      assert.ok(err instanceof UserError && !(err instanceof InventoryError));
      assert.equal(err.message, 'inventory file /nonexistent/inv.yaml not found; point at another with -i FILE or $CLUSTERCTL_INVENTORY');
      return true;
    });
  });
});

describe('garbage never escapes as anything but a UserError', () => {
  const fine = (text: string) => {
    try {
      parseInventory(text, 'fuzz.yaml', { home: '/h' });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
  };
  test('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => fine(s)), { numRuns: 300 });
  });
  test('random YAML-ish structures in every field', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.ipV4(), fc.array(fc.string()));
    const net = fc.dictionary(fc.constantFrom('interface', 'address', 'gateway', 'dns', 'routes', 'adress'), value);
    const node = fc.record({ name: value, host: value, roles: fc.oneof(value, fc.constant(['worker'])), port: value, network: fc.oneof(value, net) }, { requiredKeys: [] });
    const doc = fc.record({ nodes: fc.oneof(value, fc.array(node, { maxLength: 4 })), defaults: fc.dictionary(fc.string(), value) }, { requiredKeys: [] });
    fc.assert(fc.property(doc, (d) => fine(JSON.stringify(d))), { numRuns: 300 });
  });
  test('an alias bomb is refused, not expanded', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    assert.throws(() => parseInventory(bomb, 'b.yaml'), (err: unknown) => {
      assert.ok(err instanceof InventoryError);
      assert.deepEqual(err.problems, [{ path: '', message: 'YAML: Excessive alias count indicates a resource exhaustion attack' }]);
      return true;
    });
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
