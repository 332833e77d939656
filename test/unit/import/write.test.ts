// The written inventory: what the configs do not say is a comment, never a value.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importConfigs } from '../../../src/import/import.js';
import { formatProblem } from '../../../src/import/problem.js';
import { lintText } from '../../../src/inventory/lint.js';

const config = (o: { hostname?: string | false; network: string; units?: unknown[] }) =>
  JSON.stringify({
    ignition: { version: '3.3.0' },
    storage: {
      files: [
        ...(o.hostname === false ? [] : [{ path: '/etc/hostname', contents: { source: `data:,${o.hostname ?? 'x'}%0A` } }]),
        { path: '/etc/systemd/network/10.network', contents: { source: `data:,${encodeURIComponent(o.network)}` } },
      ],
    },
    systemd: { units: o.units ?? [] },
  });

describe('the written inventory', () => {
  test('placeholders as comments: no hostname, DHCP (so --host), an etcd node without master/worker, a unit only one worker enables', () => {
    const member = { name: 'etcd-member.service', enabled: true, dropins: [{ name: '20.conf', contents: '[Service]\nEnvironment="ETCD_INITIAL_ADVERTISE_PEER_URLS=http://198.18.1.11:2380"\nEnvironment="ETCD_ADVERTISE_CLIENT_URLS=http://198.18.1.11:2379"\n' }] };
    const r = importConfigs(
      [
        { path: 'e1.ign', text: config({ hostname: false, network: '[Match]\nName=eth0\n[Network]\nAddress=198.18.1.11/24\n', units: [member] }) },
        { path: 'w1.ign', text: config({ network: '[Match]\nName=eth0\n[Network]\nDHCP=yes\n', units: [{ name: 'extra.service', enabled: true }] }) },
        { path: 'w2.ign', text: config({ hostname: 'w2', network: '[Match]\nName=eth0\n[Network]\nAddress=198.18.1.22/24\n' }) },
      ],
      { roles: new Map([['w1', ['worker']], ['w2', ['worker']]]), hosts: new Map([['w1', 'w1.lab']]) },
    );
    if (!r.ok) assert.fail(r.problems.map(formatProblem).join('\n'));
    const y = r.yamlText;
    assert.match(y, /^ {2}# from e1\.ign\n {2}# {3}hostname: the config writes no \/etc\/hostname; verify expects the node name\n {2}# {3}etcd\.name: the config sets no member name/m);
    assert.match(y, /roles: \[etcd\] # master or worker: not in the config \(import with --role master=e1 or worker=e1\)/);
    assert.match(y, /# {3}network: w1\.network has no static Address= \(DHCP=yes\); network checks are skipped|# {3}network: 10\.network has no static Address= \(DHCP=yes\); network checks are skipped/);
    assert.match(y, /host: w1\.lab # from --host/);
    assert.match(y, /# {3}services: it also enables extra\.service, which cluster\.services cannot expect of this node alone/);
    assert.equal(r.inventory.nodes[1]?.hostname, 'x', 'the hostname w1 gives');
    assert.equal(r.inventory.nodes[0]?.hostname, 'e1', 'no /etc/hostname: the name, as verify expects');
    assert.deepEqual(r.inventory.nodes.map((n) => n.name), ['e1', 'w1', 'w2'], 'the order of the files');
    assert.deepEqual(lintText(y, '/t/i.yaml'), []);
  });
});
