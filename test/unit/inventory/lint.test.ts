import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../../src/inventory/lint.js';
import { NODES, withFlannel } from '../../fixtures/inventory/lint.js';

const lines = (text: string) => lintText(text, 'inv.yaml').map((p) => `${p.line}: ${p.path}: ${p.message}`);

describe('lint rules (no SSH)', () => {
  test('inventory.example.yaml is clean; with the setup guide\'s loopback etcd it reports each flannel worker at its line', () => {
    const example = readFileSync(new URL('../../../inventory.example.yaml', import.meta.url), 'utf8');
    assert.deepEqual(lines(example), []);
    const guide = example.replace('endpoints: [http://192.168.1.10:2379]', 'endpoints: [http://127.0.0.1:2379]');
    assert.notEqual(guide, example);
    const got = lines(guide);
    assert.equal(got.length, 2);
    for (const [i, l] of got.entries()) {
      assert.match(l, new RegExp(`^\\d+: nodes\\[${i + 1}\\]: app-worker-${i + 1} runs flannel but no etcd, and every etcd endpoint it would use is loopback \\(http://127\\.0\\.0\\.1:2379 from cluster\\.etcd\\.endpoints\\)`));
    }
  });
  test('a clean inventory has no problems', () => {
    assert.deepEqual(lines(withFlannel('10.1.0.0/16')), []);
  });
  test('flannel Network over the node address, gateway, route destination and route gateway: one problem each, with paths and lines', () => {
    const got = lines(withFlannel('10.0.0.0/8'));
    assert.deepEqual(got.map((l) => l.split(': ').slice(0, 2).join(': ')), [
      '10: nodes[0].network.address',
      '11: nodes[0].network.gateway',
      '13: nodes[0].network.routes[0].destination',
      '13: nodes[0].network.routes[0].gateway',
    ]);
    assert.match(got[0] ?? '', /address 10\.0\.0\.10\/24 \(10\.0\.0\.0\/24\) overlaps the flannel Network 10\.0\.0\.0\/8 \(cluster\.flannel\.network\)/);
  });
  test('a route gateway that is not on-link', () => {
    assert.deepEqual(lines(withFlannel('10.1.0.0/16', NODES.replace('gateway: 10.0.0.124', 'gateway: 10.9.9.9'))), [
      '13: nodes[0].network.routes[0].gateway: 10.9.9.9 is not on-link: it is outside 10.0.0.0/24, the subnet of eth0 (10.0.0.10/24)',
    ]);
  });
  test('flannel without an etcd node', () => {
    assert.deepEqual(lines(withFlannel('10.1.0.0/16', NODES.replace('[etcd, master]', '[master]'))), [
      '4: nodes: flannel reads its config from etcd, but no node has role etcd: add etcd to the roles of the etcd nodes',
    ]);
    assert.deepEqual(lines(NODES.replace('[etcd, master]', '[master]')), [], 'no flannel section: no etcd needed');
  });
  test('the loader\'s own problems come through (duplicate address, host bits, schema)', () => {
    const two = withFlannel('10.1.2.0/16', `${NODES}  - name: b\n    host: 10.0.0.11\n    roles: [worker]\n    network: { interface: eth0, address: 10.0.0.10/24 }\n`);
    const got = lines(two);
    assert.ok(got.some((l) => /^3: cluster\.flannel\.network: 10\.1\.2\.0\/16 has host bits set; did you mean 10\.1\.0\.0\/16\?/.test(l)), got.join('\n'));
    assert.ok(got.some((l) => /nodes\[1\]\.network\.address: 10\.0\.0\.10 is already used by nodes\[0\]/.test(l)), got.join('\n'));
    assert.ok(lines('nodes: 3').length > 0);
  });
});
