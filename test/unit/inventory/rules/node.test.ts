import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInventory } from '../../../../src/inventory/load.js';
import { checkRules } from '../../../../src/inventory/rules/node.js';
import type { PartialNode } from '../../../../src/inventory/rules/node.js';
import { InventoryError } from '../../../../src/errors.js';
import type { InventoryProblem } from '../../../../src/errors.js';

function problemsOf(text: string): InventoryProblem[] {
  try {
    parseInventory(text, 'inventory.yaml', { home: '/home/tester' });
  } catch (err) {
    assert.ok(err instanceof InventoryError, `expected InventoryError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('inventory loaded without problems');
}

// One node with a network block; `net` lines are indented under network:.
const withNetwork = (net: string) =>
  `nodes:\n  - name: n1\n    host: 10.0.0.1\n    roles: [worker]\n    network:\n      interface: eth0\n${net}`;

describe('network rules, through the loader (path and line)', () => {
  test('gateway outside the subnet names the subnet', () => {
    assert.deepEqual(problemsOf(withNetwork('      address: 192.168.1.10/24\n      gateway: 192.168.2.1\n')), [
      {
        path: 'nodes[0].network.gateway',
        line: 8,
        message: '192.168.2.1 is outside 192.168.1.0/24, the subnet of address 192.168.1.10/24',
      },
    ]);
  });
  test('host bits on a route destination suggest the network', () => {
    const net = '      address: 192.168.1.10/24\n      routes:\n        - destination: 10.45.1.0/16\n          gateway: 192.168.1.124\n';
    assert.deepEqual(problemsOf(withNetwork(net)), [
      { path: 'nodes[0].network.routes[0].destination', line: 9, message: '10.45.1.0/16 has host bits set; did you mean 10.45.0.0/16?' },
    ]);
  });
  test('host bits on the flannel network suggest the network', () => {
    const text = `cluster:\n  flannel:\n    network: 10.1.2.3/16\nnodes:\n  - {name: a, host: a, roles: [etcd]}\n`;
    assert.deepEqual(problemsOf(text), [
      { path: 'cluster.flannel.network', line: 3, message: '10.1.2.3/16 has host bits set; did you mean 10.1.0.0/16?' },
    ]);
  });
  test('bad addresses, dns entries and route gateways', () => {
    const net = `      address: 192.168.1.0/24
      gateway: 192.168.1.256
      dns: [192.168.1.1, dns.example]
      routes:
        - {destination: 10.45.0.0, gateway: 10.45.0.1/32}
`;
    assert.deepEqual(problemsOf(withNetwork(net)), [
      { path: 'nodes[0].network.address', line: 7, message: '192.168.1.0/24 is the network address of its subnet, not a host address' },
      { path: 'nodes[0].network.gateway', line: 8, message: "'192.168.1.256' is not an IPv4 address (e.g. 192.168.1.1)" },
      { path: 'nodes[0].network.dns[1]', line: 9, message: "'dns.example' is not an IPv4 address (e.g. 192.168.1.1)" },
      {
        path: 'nodes[0].network.routes[0].destination',
        line: 11,
        message: "'10.45.0.0' is not an IPv4 network with prefix (e.g. 10.45.0.0/16); did you mean 10.45.0.0/32?",
      },
      { path: 'nodes[0].network.routes[0].gateway', line: 11, message: "'10.45.0.1/32' is not an IPv4 address (e.g. 192.168.1.1)" },
    ]);
  });
  test('etcd endpoints must be http(s) URLs; ~user paths are refused', () => {
    const text = `defaults:\n  identityFile: ~alice/.ssh/id\ncluster:\n  etcd:\n    endpoints: [127.0.0.1:2379, "not a url", "ftp://x", "http://[zz"]\nnodes:\n  - {name: a, host: a, roles: [etcd]}\n`;
    const at = (i: number) => ({ path: `cluster.etcd.endpoints[${i}]`, line: 5 });
    assert.deepEqual(problemsOf(text), [
      { path: 'defaults.identityFile', line: 2, message: "'~alice/.ssh/id': only ~ and ~/ are expanded; write another user's home as a full path" },
      { ...at(0), message: "'127.0.0.1:2379' is not an http:// or https:// URL; did you mean http://127.0.0.1:2379?" },
      { ...at(1), message: "'not a url' is not an http:// or https:// URL" },
      { ...at(2), message: "'ftp://x' must be an http:// or https:// URL" },
      { ...at(3), message: "'http://[zz' is not a valid URL (e.g. http://127.0.0.1:2379)" },
    ]);
  });
});

describe('cross-node rules', () => {
  const nodes = `nodes:
  - {name: a, host: 10.0.0.1, roles: [etcd], network: {interface: eth0, address: 10.0.0.1/24}}
  - {name: b, host: 10.0.0.2, roles: [worker], hostname: a}
  - {name: a, host: 10.0.0.1, roles: [worker], network: {interface: eth0, address: 10.0.0.1/16}}
  - {name: d, host: 10.0.0.1, port: 2222, roles: [worker]}
`;
  test('duplicate names, hosts, hostnames and addresses name both indexes', () => {
    assert.deepEqual(problemsOf(nodes), [
      { path: 'nodes[1].hostname', line: 3, message: "'a' is already expected of nodes[0]" },
      { path: 'nodes[2].name', line: 4, message: "'a' is already used by nodes[0]" },
      { path: 'nodes[2].host', line: 4, message: "'10.0.0.1' (port 22) is already used by nodes[0]" },
      { path: 'nodes[2].network.address', line: 4, message: '10.0.0.1 is already used by nodes[0].network.address' },
    ]);
  });
  test('names that differ only in case: one problem naming both nodes and their fields, exit 2 from lint', () => {
    assert.deepEqual(problemsOf(`nodes:
  - {name: node1, host: 10.0.0.1, roles: [etcd]}
  - {name: b, host: 10.0.0.2, roles: [worker]}
  - {name: Node1, host: 10.0.0.3, roles: [worker]}
`), [{ path: 'nodes[2].name', line: 4, message: "'Node1' differs from nodes[0].name 'node1' only in case: render writes Node1.ign and node1.ign, one file on a case-insensitive filesystem (macOS, Windows); rename one of the two nodes" }]);
  });
  test('pure: a node that failed the schema still takes part with the fields it has', () => {
    const parts = { nodes: [{ name: 'x', host: 'h' }, undefined, { name: 'x' }] as (PartialNode | undefined)[] };
    assert.deepEqual(checkRules(parts), [{ path: ['nodes', 2, 'name'], message: "'x' is already used by nodes[0]" }]);
  });
});
