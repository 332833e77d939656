import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInventory } from '../../../../src/inventory/load.js';
import { checkNodeName, kubernetesRules } from '../../../../src/inventory/rules/kubernetes.js';
import { InventoryError } from '../../../../src/errors.js';
import type { InventoryProblem } from '../../../../src/errors.js';

const HOME = '/home/tester';

function problemsOf(text: string): InventoryProblem[] {
  try {
    parseInventory(text, '/inv/inventory.yaml', { home: HOME });
  } catch (err) {
    assert.ok(err instanceof InventoryError, `expected InventoryError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('inventory loaded without problems');
}

describe('cluster.kubernetes and nodes[].kubernetes: normalized', () => {
  test('kubeconfig: ~ against home, relative against the inventory file; absent stays absent', () => {
    const nodes = 'nodes:\n  - {name: m1, host: 10.0.0.1, roles: [master]}\n';
    const at = (k: string) => parseInventory(`cluster:\n  kubernetes: {kubeconfig: ${k}}\n${nodes}`, '/inv/inventory.yaml', { home: HOME }).cluster.kubernetes?.kubeconfig;
    assert.equal(at('~/.kube/lab'), '/home/tester/.kube/lab');
    assert.equal(at('keys/admin.kubeconfig'), '/inv/keys/admin.kubeconfig');
    assert.equal(at('/etc/kubernetes/admin.conf'), '/etc/kubernetes/admin.conf');
    const empty = parseInventory(`cluster:\n  kubernetes: {}\n${nodes}`, '/inv/inventory.yaml', { home: HOME });
    // render's defaults only (pkiDir, serviceClusterIpRange): no kubeconfig.
    assert.deepEqual(empty.cluster.kubernetes, { pkiDir: '/etc/kubernetes/pki', serviceClusterIpRange: '10.3.0.0/24' });
    const none = parseInventory(nodes, '/inv/inventory.yaml', { home: HOME });
    assert.equal(none.cluster.kubernetes, undefined);
    assert.equal(none.nodes[0]?.kubernetes, undefined, 'no Node name without cluster.kubernetes');
  });

  test('Node name: given, else the hostname lowercased; etcd-only nodes have none', () => {
    const inv = parseInventory(
      `cluster:
  kubernetes: {}
nodes:
  - {name: App-Etcd-1, host: 10.0.0.1, roles: [etcd]}
  - {name: m1, host: 10.0.0.2, roles: [etcd, master], hostname: Master-1.Lab}
  - {name: w1, host: 10.0.0.3, roles: [worker]}
  - {name: w2, host: 10.0.0.4, roles: [worker], kubernetes: {nodeName: 10.0.0.4}}
`,
      '/inv/inventory.yaml',
      { home: HOME },
    );
    assert.deepEqual(
      inv.nodes.map((n) => n.kubernetes),
      [undefined, { nodeName: 'master-1.lab' }, { nodeName: 'w1' }, { nodeName: '10.0.0.4' }],
    );
  });
});

describe('kubernetes rules, through the loader (path and line)', () => {
  test('a misspelt key is suggested', () => {
    const p = problemsOf('cluster:\n  kubernetes: {kubeConfig: x}\nnodes:\n  - {name: a, host: a, roles: [worker], kubernetes: {nodename: a}}\n');
    assert.deepEqual(p, [
      { path: 'cluster.kubernetes.kubeConfig', line: 2, message: "unknown key 'kubeConfig' — did you mean 'kubeconfig'?" },
      { path: 'nodes[0].kubernetes.nodename', line: 4, message: "unknown key 'nodename' — did you mean 'nodeName'?" },
    ]);
  });

  test('a Node name the API would refuse; ~user kubeconfig', () => {
    const p = problemsOf('cluster:\n  kubernetes: {kubeconfig: ~ops/kc}\nnodes:\n  - {name: a, host: a, roles: [worker], kubernetes: {nodeName: Worker-1}}\n  - {name: b, host: b, roles: [worker], kubernetes: {nodeName: "w_2"}}\n');
    assert.deepEqual(p, [
      { path: 'cluster.kubernetes.kubeconfig', line: 2, message: "'~ops/kc': only ~ and ~/ are expanded; write another user's home as a full path" },
      { path: 'nodes[0].kubernetes.nodeName', line: 4, message: "'Worker-1' is not a valid Node name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit; did you mean 'worker-1'? (the kubelet lowercases the hostname)" },
      { path: 'nodes[1].kubernetes.nodeName', line: 5, message: "'w_2' is not a valid Node name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit" },
    ]);
  });

  test('kubernetes: on a node that is neither master nor worker, or without cluster.kubernetes', () => {
    assert.deepEqual(problemsOf('cluster:\n  kubernetes: {}\nnodes:\n  - {name: e1, host: a, roles: [etcd], kubernetes: {nodeName: e1}}\n'), [
      { path: 'nodes[0].kubernetes', line: 4, message: 'only masters and workers register a Node, and e1 has roles etcd: add master or worker to its roles, or remove kubernetes:' },
    ]);
    assert.deepEqual(problemsOf('nodes:\n  - {name: w1, host: a, roles: [worker], kubernetes: {nodeName: w1}}\n'), [
      { path: 'nodes[0].kubernetes', line: 2, message: 'there is no cluster.kubernetes section, so Kubernetes is not checked and this is ignored: add `kubernetes: {}` under cluster:' },
    ]);
  });

  test('two nodes expecting one Node: explicit names, and a name that meets a defaulted one', () => {
    const p = problemsOf(`cluster:
  kubernetes: {}
nodes:
  - {name: w1, host: a, roles: [worker]}
  - {name: w2, host: b, roles: [worker], kubernetes: {nodeName: w1}}
  - {name: w3, host: c, roles: [worker], kubernetes: {nodeName: x}}
  - {name: w4, host: d, roles: [master], kubernetes: {nodeName: x}}
  - {name: X, host: e, roles: [worker]}
`);
    const msg = (name: string, j: number, how = '') => `Node name '${name}'${how} is already expected of nodes[${j}]: two nodes cannot register one Node; set kubernetes.nodeName to the name this node's kubelet registers`;
    assert.deepEqual(p, [
      { path: 'nodes[1].kubernetes.nodeName', line: 5, message: msg('w1', 0) },
      { path: 'nodes[3].kubernetes.nodeName', line: 7, message: msg('x', 2) },
      { path: 'nodes[4]', line: 8, message: msg('x', 2, ' (its hostname, lowercased)') },
    ]);
  });

  test('defaulted names that collide by case are reported once, by the hostname rule', () => {
    const p = problemsOf('cluster:\n  kubernetes: {}\nnodes:\n  - {name: a, host: a, roles: [worker], hostname: W1}\n  - {name: b, host: b, roles: [worker], hostname: w1}\n');
    assert.deepEqual(p, [{ path: 'nodes[1].hostname', line: 5, message: "'w1' is already expected of nodes[0]" }]);
  });

  test('names that differ only by case are one Node name; the rule says so once', () => {
    // Node names 'a' and 'A' are distinct inventory names, but their kubelets register one Node.
    const p = kubernetesRules({ cluster: { kubernetes: { pkiDir: '/etc/kubernetes/pki', serviceClusterIpRange: '10.3.0.0/24' } }, nodes: [{ name: 'A', roles: ['worker'] }, { name: 'a', roles: ['worker'] }] });
    assert.deepEqual(p, [
      { path: ['nodes', 1], message: "Node name 'a' (its hostname, lowercased) is already expected of nodes[0]: two nodes cannot register one Node; set kubernetes.nodeName to the name this node's kubelet registers" },
    ]);
  });

  test('checkNodeName: lowercase DNS subdomains only, at most 253 characters', () => {
    assert.equal(checkNodeName('ip-10-0-0-1.ec2.internal'), undefined);
    assert.equal(checkNodeName('10.0.0.4'), undefined);
    assert.match(checkNodeName('-w1') ?? '', /not a valid Node name/);
    assert.match(checkNodeName(`${'a'.repeat(63)}.`.repeat(4) + 'a') ?? '', /not a valid Node name/);
  });
});
