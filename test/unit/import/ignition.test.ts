import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { importConfigs } from '../../../src/import/import.js';
import type { ImportResult } from '../../../src/import/import.js';
import { formatProblem } from '../../../src/import/problem.js';
import { ROOT } from '../../fixtures/import/configs.js';

const ok = (r: ImportResult) => (r.ok ? r : assert.fail(r.problems.map(formatProblem).join('\n')));
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe("Ignition 2.2.0 as ct v0.9.0 wrote it (test/fixtures/import/ct/README.md: etcd and flannel options as --flags on ExecStart)", () => {
  const text = readFileSync(`${ROOT}test/fixtures/import/ct/app-etcd-1.ign`, 'utf8');
  const r = ok(importConfigs([{ path: 'ct/app-etcd-1.ign', text }]));
  const n = r.inventory.nodes[0] ?? assert.fail();
  test('the etcd member from the quoted flags; endpoints from flanneld\'s --etcd-endpoints', () => {
    assert.deepEqual(n.roles, ['etcd']);
    assert.equal(n.etcd?.name, undefined, 'the member name is the node name, so not repeated');
    assert.deepEqual(r.inventory.cluster.etcd.endpoints, ['http://198.18.1.11:2379']);
    assert.equal(r.inventory.cluster.etcd.initialClusterToken, 'lab-cluster');
  });
  test("flannel: the Network and SubnetLen the guide's drop-in writes; flannel 0.11 reads v2, so etcdApi stays auto", () => {
    assert.deepEqual(r.inventory.cluster.flannel, { enabled: true, etcdApi: 'auto', configKey: '/coreos.com/network/config', network: '10.1.0.0/16', subnetLen: 24, configDropin: true });
  });
  test('the two flanneld.service entries are one unit, enabled, with both drop-ins', () => {
    const p = r.provisioned['app-etcd-1'] ?? assert.fail();
    assert.deepEqual(p.units.map((u) => `${u.name} ${u.state}`), ['etcd-member.service enabled', 'flanneld.service enabled']);
    assert.deepEqual(
      p.files.map((f) => f.path),
      ['/etc/hostname', '/etc/systemd/network/10-static.network', '/etc/systemd/system/etcd-member.service.d/20-clct-etcd-member.conf', '/etc/systemd/system/flanneld.service.d/20-clct-flannel.conf', '/etc/systemd/system/flanneld.service.d/50-network-config.conf'],
    );
  });
  test('provisioned files: mode, sha256 and size of the exact bytes, and where each came from', () => {
    const host = r.provisioned['app-etcd-1']?.files[0] ?? assert.fail();
    assert.deepEqual(host, { path: '/etc/hostname', mode: 0o644, contentKnown: true, sha256: sha('app-etcd-1\n'), size: 11, from: 'ct/app-etcd-1.ign /storage/files/0' });
    assert.equal(r.inventory.nodes[0]?.provisioned, r.provisioned['app-etcd-1'], 'the inventory node carries the same data');
  });
});

describe('a CLC and what ct v0.9.0 really wrote for it import alike', () => {
  test('the same inventory; the same units, states and files in the same order (ct lists its own units first)', () => {
    const dir = `${ROOT}test/fixtures/import/ct/`;
    const clc = ok(importConfigs([{ path: 'app-etcd-1.clc.yaml', text: readFileSync(`${dir}app-etcd-1.clc.yaml`, 'utf8') }]));
    const ign = ok(importConfigs([{ path: 'app-etcd-1.ign', text: readFileSync(`${dir}app-etcd-1.ign`, 'utf8') }]));
    const strip = (r: typeof clc) => r.inventory.nodes.map(({ provisioned: _p, ...n }) => n);
    assert.deepEqual(strip(clc), strip(ign));
    assert.deepEqual(clc.inventory.cluster, ign.inventory.cluster);
    const shape = (r: typeof clc) => {
      const p = r.provisioned['app-etcd-1'] ?? assert.fail();
      return { units: p.units.map((u) => `${u.name} ${u.state}`), files: p.files.map((f) => f.path) };
    };
    assert.deepEqual(shape(clc), shape(ign));
  });
});

describe('Ignition 3.x as Butane writes it', () => {
  const gz = (s: string) => `data:;base64,${gzipSync(Buffer.from(s)).toString('base64')}`;
  const config = (extra: Record<string, unknown>[] = [], units: unknown[] = []) =>
    JSON.stringify({
      ignition: { version: '3.4.0' },
      passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAk a@b'] }] },
      storage: {
        files: [
          { path: '/etc/hostname', mode: 420, contents: { compression: 'gzip', source: gz('b1\n') } },
          { path: '/etc/systemd/network/00-eth0.network', contents: { source: `data:;base64,${Buffer.from('[Match]\nName=eth0\n[Network]\nAddress=198.18.1.31/24\nIPv6AcceptRA=yes\n').toString('base64')}` } },
          ...extra,
        ],
      },
      systemd: { units },
    });
  test('gzip + base64 contents, networkd as a plain file, IPv6AcceptRA=yes kept', () => {
    const r = ok(importConfigs([{ path: 'b1.ign', text: config() }], { roles: new Map([['b1', ['worker']]]) }));
    assert.equal(r.inventory.nodes[0]?.hostname, 'b1');
    assert.deepEqual(r.inventory.nodes[0]?.network, { interface: 'eth0', address: '198.18.1.31/24', dns: [], routes: [], ipv6AcceptRA: true });
    assert.equal(r.provisioned.b1?.files[0]?.sha256, sha('b1\n'), 'the sha256 is of the bytes Ignition writes, not of the compressed data');
  });
  test('masked and disabled units; a remote file and an appended one are listed with contents unknown', () => {
    const r = ok(
      importConfigs(
        [
          {
            path: 'b1.ign',
            text: config(
              [
                { path: '/etc/motd', mode: 384, contents: { source: 'https://198.18.0.1/motd' } },
                { path: '/etc/profile.d/x.sh', append: [{ source: 'data:,x' }] },
              ],
              [{ name: 'update-engine.service', mask: true }, { name: 'locksmithd.service', enabled: false }, { name: 'kubelet.service', enabled: true, contents: '[Service]\nExecStart=/opt/bin/kubelet\n' }],
            ),
          },
        ],
        { roles: new Map([['b1', ['worker']]]) },
      ),
    );
    const p = r.provisioned.b1 ?? assert.fail();
    assert.deepEqual(p.units.map((u) => `${u.name} ${u.state}`), ['update-engine.service masked', 'locksmithd.service disabled', 'kubelet.service enabled']);
    const motd = p.files.find((f) => f.path === '/etc/motd') ?? assert.fail();
    assert.deepEqual([motd.mode, motd.contentKnown, motd.sha256], [0o600, false, undefined]);
    assert.match(motd.why ?? '', /fetched from https: at provisioning/);
    assert.match(p.files.find((f) => f.path === '/etc/profile.d/x.sh')?.why ?? '', /appended to/);
    assert.equal(p.files.find((f) => f.path === '/etc/systemd/system/kubelet.service')?.sha256, sha('[Service]\nExecStart=/opt/bin/kubelet\n'));
    assert.deepEqual(r.inventory.cluster.services, { all: ['kubelet.service'], etcd: ['etcd-member.service'], master: [], worker: [] });
  });
});

describe('a CLC: what ct would write', () => {
  test('etcd: and flannel: become enabled units whose ct drop-ins are listed with contents unknown', () => {
    const clc = 'etcd:\n  name: e1\n  initial_advertise_peer_urls: http://198.18.1.11:2380\n  initial_cluster: e1=http://198.18.1.11:2380\nflannel:\n  etcd_endpoints: http://198.18.1.11:2379\nnetworkd:\n  units:\n    - name: 10.network\n      contents: "[Match]\\nName=eth0\\n[Network]\\nAddress=198.18.1.11/24\\n"\n';
    const r = ok(importConfigs([{ path: 'e1.yaml', text: clc }]));
    const p = r.provisioned.e1 ?? assert.fail();
    assert.deepEqual(p.units.map((u) => `${u.name} ${u.state}`), ['etcd-member.service enabled', 'flanneld.service enabled']);
    const dropin = p.files.find((f) => f.path.endsWith('20-clct-etcd-member.conf')) ?? assert.fail();
    assert.equal(dropin.contentKnown, false);
    assert.match(dropin.why ?? '', /written by ct/);
    assert.equal(p.files.find((f) => f.path === '/etc/systemd/network/10.network')?.contentKnown, true);
  });
});
