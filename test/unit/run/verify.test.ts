import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from '../../../src/run/evaluate.js';
import { gatherNode } from '../../../src/run/gather-node.js';
import { runVerify } from '../../../src/run/verify.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import { formatJson } from '../../../src/report/json.js';
import { SshError } from '../../../src/transport/ssh.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import type { FakeTransport } from '../../helpers/fake-transport.js';
import { flannel } from '../../fixtures/facts/builders.js';

const node = (name: string, address: string): NodeSpec => ({
  name,
  host: address,
  port: 22,
  user: 'core',
  knownHostsFile: '/dev/null',
  strictHostKeyChecking: 'yes',
  roles: ['worker'],
  hostname: name,
  become: 'none',
  network: { interface: 'eth0', address: `${address}/24`, gateway: '198.18.0.1', dns: ['198.18.0.1'], routes: [{ destination: '198.19.45.0/24', gateway: '198.18.0.124' }] },
});

function healthyProbe(n: NodeSpec): string {
  const ip = n.host;
  return probeOutput({
    hostname: { body: n.hostname },
    'hostname.file': { body: n.hostname },
    addresses: {
      fmt: 'json',
      body: JSON.stringify([
        { ifindex: 1, ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
        { ifindex: 2, ifname: 'eth0', addr_info: [{ family: 'inet', local: ip, prefixlen: 24 }] },
      ]),
    },
    routes: {
      fmt: 'json',
      body: JSON.stringify([
        { dst: 'default', gateway: '198.18.0.1', dev: 'eth0', flags: [] },
        { dst: '198.18.0.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: ip, flags: [] },
        { dst: '198.19.45.0/24', gateway: '198.18.0.124', dev: 'eth0', flags: [] },
      ]),
    },
    resolv: { body: 'search lab.test\nnameserver 198.18.0.1\n' },
    'ignition.result': { body: '{"provisioningDate":"2026-01-01T00:00:00Z","userConfigProvided":true}' },
  });
}

const inventoryOf = (...nodes: NodeSpec[]): Inventory => ({ path: '/t/inventory.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes });
async function verifyNode(n: NodeSpec, d: ReturnType<typeof deps>) {
  const inv = inventoryOf(n);
  const [report] = evaluate(inv, [await gatherNode(n, inv, d)]);
  assert.ok(report);
  return report;
}

const deps = (connect: (n: NodeSpec) => Promise<FakeTransport>) => ({ connect, concurrency: 4, commandTimeoutMs: 1000 });

describe('verify engine with a fake transport', () => {
  test('a healthy node passes every check, with one probe exec, and the connection is closed', async () => {
    const n = node('n1', '198.18.0.11');
    const t = fakeTransport({ [PROBE]: { stdout: healthyProbe(n) } });
    const r = await verifyNode(n, deps(async () => t));
    assert.deepEqual(
      r.checks.map((c) => `${c.id}=${c.status}`),
      ['ssh=pass', 'hostname=pass', 'hostname.file=pass', 'net.address=pass', 'net.gateway=pass', 'net.dns=pass', 'net.route=pass', 'ignition=pass'],
    );
    assert.deepEqual(t.commands, [PROBE]);
    assert.equal(t.closed, true);
    assert.equal(r.reachable, true);
  });

  test('an unreachable node: ssh fails with the reason, every other check is skipped, the others are still checked', async () => {
    const a = node('a', '198.18.0.11');
    const b = node('b', '198.18.0.12');
    const report = await runVerify(
      inventoryOf(a, b),
      [a, b],
      deps(async (n) => {
        if (n.name === 'a') throw new SshError('refused', 'connection refused (is sshd running on the node?)');
        return fakeTransport({ [PROBE]: { stdout: healthyProbe(n) } });
      }),
    );
    const [ra, rb] = report.nodes;
    assert.equal(ra?.reachable, false);
    assert.deepEqual(ra?.checks[0], {
      id: 'ssh',
      status: 'fail',
      expected: 'core@198.18.0.11:22 reachable',
      actual: 'connection refused (is sshd running on the node?)',
      message: 'cannot connect to core@198.18.0.11:22: connection refused (is sshd running on the node?)',
    });
    assert.deepEqual(new Set(ra?.checks.slice(1).map((c) => c.status)), new Set(['skip']));
    assert.ok(rb?.checks.every((c) => c.status === 'pass'));
    assert.equal(report.ok, false);
    // the unreachable node reports the same check ids as the reachable one (the checks that apply
    // to a worker), each skipped: the summary does not depend on reachability
    assert.deepEqual(ra?.checks.map((c) => c.id), rb?.checks.map((c) => c.id));
    assert.deepEqual(report.summary, { nodes: 2, passed: 8, failed: 1, skipped: 7, errors: 0 });
  });

  test('a later pass (verify --wait) gathers only the nodes asked again; the others keep their results, inventory order kept', async () => {
    const a = node('a', '198.18.0.11');
    const b = node('b', '198.18.0.12');
    const connected: string[] = [];
    const healthy = new Set(['a']);
    const d = deps(async (n) => {
      connected.push(n.name);
      const out = healthyProbe(n);
      return fakeTransport({ [PROBE]: { stdout: healthy.has(n.name) ? out : out.replace(` hostname\n| ${n.name}\n`, ' hostname\n| localhost\n') } });
    });
    const latest = new Map();
    const first = await runVerify(inventoryOf(a, b), [a, b], d, { latest, startedAt: performance.now() });
    assert.deepEqual(first.nodes.map((n) => [n.name, n.checks.find((c) => c.id === 'hostname')?.status]), [['a', 'pass'], ['b', 'fail']]);
    healthy.add('b');
    const second = await runVerify(inventoryOf(a, b), [a, b], d, { latest, again: new Set(['b']), startedAt: performance.now() });
    assert.deepEqual(connected, ['a', 'b', 'b']);
    assert.deepEqual(second.nodes.map((n) => [n.name, n.checks.find((c) => c.id === 'hostname')?.status]), [['a', 'pass'], ['b', 'pass']]);
    assert.equal(second.ok, true);
  });

  test('a probe that times out makes every fact check an error that says so', async () => {
    const n = node('n1', '198.18.0.11');
    const t = fakeTransport({ [PROBE]: async () => ({ stdout: '', stderr: '', code: null, timedOut: true }) });
    const r = await verifyNode(n, deps(async () => t));
    assert.equal(r.checks[0]?.status, 'pass');
    assert.deepEqual(new Set(r.checks.slice(1).map((c) => c.message)), new Set(['probe timed out after 1s and was stopped (stalled at reply: no end of reply)']));
    assert.deepEqual(new Set(r.checks.slice(1).map((c) => c.status)), new Set(['error']));
    assert.equal(t.closed, true);
  });

  test('a wrong runtime hostname fails exactly the hostname check', async () => {
    const n = node('n1', '198.18.0.11');
    const out = healthyProbe(n).replace(' hostname\n| n1\n', ' hostname\n| localhost\n');
    const r = await verifyNode(n, deps(async () => fakeTransport({ [PROBE]: { stdout: out } })));
    assert.deepEqual(
      r.checks.filter((c) => c.status !== 'pass').map((c) => [c.id, c.expected, c.actual]),
      [['hostname', 'n1', 'localhost']],
    );
  });

  test('the JSON report has exactly the documented shape', async () => {
    const n = node('n1', '198.18.0.11');
    const report = await runVerify(inventoryOf(n), [n], deps(async () => fakeTransport({ [PROBE]: { stdout: healthyProbe(n) } })));
    const json = JSON.parse(formatJson(report));
    assert.deepEqual(Object.keys(json), ['ok', 'durationMs', 'summary', 'nodes']);
    assert.deepEqual(json.summary, { nodes: 1, passed: 8, failed: 0, skipped: 0, errors: 0 });
    assert.deepEqual(Object.keys(json.nodes[0]), ['name', 'host', 'reachable', 'checks']);
    assert.deepEqual(Object.keys(json.nodes[0].checks[0]), ['id', 'status', 'expected', 'actual', 'message']);
    assert.equal(json.ok, true);
    assert.equal(Number.isInteger(json.durationMs), true);
  });
});
