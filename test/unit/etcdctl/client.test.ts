import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { etcdAccessFor, etcdctlCommand, etcdGet } from '../../../src/etcdctl/client.js';
import { etcdSwap } from '../../../src/etcdctl/swap.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import type { Transport } from '../../../src/transport/types.js';
import { fakeEtcd, shellWords } from '../../fixtures/etcd/fake-etcd.js';

const node = (over: Partial<NodeSpec> = {}): NodeSpec => ({
  name: 'n1', host: '10.0.0.1', port: 22, user: 'core', knownHostsFile: '/k', strictHostKeyChecking: 'yes', roles: ['etcd'], hostname: 'n1', become: 'none', ...over,
});
const inventory = (etcd: Inventory['cluster']['etcd'], nodes: NodeSpec[] = [node()]): Inventory =>
  ({ path: '/i.yaml', cluster: { etcd, flannel: {} }, nodes }) as unknown as Inventory;

describe('etcd access and command lines', () => {
  test('endpoints and TLS from the cluster; a node override replaces the endpoints only', () => {
    const inv = inventory({ endpoints: ['https://a:2379'], caFile: '/etc/ssl/ca.pem', certFile: '/etc/ssl/c.pem', keyFile: '/etc/ssl/k.pem' });
    assert.deepEqual(etcdAccessFor(node(), inv), { endpoints: ['https://a:2379'], caFile: '/etc/ssl/ca.pem', certFile: '/etc/ssl/c.pem', keyFile: '/etc/ssl/k.pem', as: { node: 'n1', user: 'core', become: 'none' } });
    assert.deepEqual(etcdAccessFor(node({ etcd: { endpoints: ['https://b:2379'] } }), inv).endpoints, ['https://b:2379']);
  });

  test('TLS flags use each API\'s own names', () => {
    const a = { endpoints: ['https://a:2379', 'https://b:2379'], caFile: '/ca', certFile: '/c', keyFile: '/k' };
    assert.equal(etcdctlCommand(a, 'v2', ['ls', '/'], 10_000), 'ETCDCTL_API=2 etcdctl --endpoints=https://a:2379,https://b:2379 --ca-file=/ca --cert-file=/c --key-file=/k --timeout=2s --total-timeout=5s ls /');
    assert.equal(etcdctlCommand(a, 'v3', ['get', '--', '/k'], 10_000), 'ETCDCTL_API=3 etcdctl --endpoints=https://a:2379,https://b:2379 --cacert=/ca --cert=/c --key=/k --dial-timeout=2s --command-timeout=5s get -- /k');
    // etcdctl's own timeout stops at its default 5s unless the caller lifts the ceiling (smoke-etcd)
    assert.match(etcdctlCommand(a, 'v3', ['get'], 30_000, Infinity), / --command-timeout=29s get$/);
    assert.match(etcdctlCommand(a, 'v2', ['ls'], 3_000), / --timeout=2s --total-timeout=2s ls$/);
  });

  test('inventory values can never break out of their word', () => {
    const evil = { endpoints: ["http://a:2379;touch /tmp/pwned'$(id)"], caFile: '/ca dir/`id`' };
    const cmd = etcdctlCommand(evil, 'v3', ['put', '--', "/k'; rm -rf /", 'v$(id)'], 5000);
    assert.deepEqual(shellWords(cmd).slice(2, 4), ["--endpoints=http://a:2379;touch /tmp/pwned'$(id)", '--cacert=/ca dir/`id`']);
    assert.deepEqual(shellWords(cmd).slice(-3), ['--', "/k'; rm -rf /", 'v$(id)']);
  });
});

describe('etcdGet / etcdSwap (fake etcd)', () => {
  const access = { endpoints: ['http://127.0.0.1:2379'] };
  test('v2 and v3 keyspaces are apart; a missing key is found: false', async () => {
    const f = fakeEtcd();
    assert.deepEqual(await etcdSwap(f, access, 'v2', '/coreos.com/network/config', { found: false }, '{"Network":"10.1.0.0/16"}', 5000), { ok: true });
    assert.deepEqual(await etcdGet(f, access, 'v2', '/coreos.com/network/config', 5000), { ok: true, found: true, value: '{"Network":"10.1.0.0/16"}' });
    assert.deepEqual(await etcdGet(f, access, 'v3', '/coreos.com/network/config', 5000), { ok: true, found: false, value: '' });
    assert.deepEqual(await etcdSwap(f, access, 'v3', '/k', { found: false }, '-starts-with-dash', 5000), { ok: true });
    assert.deepEqual(await etcdGet(f, access, 'v3', '/k', 5000), { ok: true, found: true, value: '-starts-with-dash' });
  });

  test('errors carry etcdctl\'s message; a throwing transport is an error, not an exception', async () => {
    const f = fakeEtcd({ v2Enabled: false });
    const r = await etcdGet(f, access, 'v2', '/x', 5000);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /does not serve the v2 API/);
    const broken: Transport = { exec: () => Promise.reject(new Error('channel closed')), close() {} };
    assert.deepEqual(await etcdSwap(broken, access, 'v3', '/x', { found: false }, 'y', 5000), { ok: false, error: 'etcdctl was killed: Error: channel closed', unsure: true });
  });
});
