import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseEtcdctlVersion } from '../../../src/facts/parse/etcdctl-version.js';
import type { EtcdctlVersionFact } from '../../../src/facts/parse/etcdctl-version.js';
import { parseSystemctlCat } from '../../../src/facts/parse/systemd-unit.js';
import { judgeWriter, keyWriters } from '../../../src/flannel/dropin.js';
import type { WriterContext } from '../../../src/flannel/dropin.js';
import { readFlanneldUnit, unitEtcdEndpoints } from '../../../src/facts/parse/flanneld-unit.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { flannelClient, flannelConfigDropin, flannelDropin } from '../../../src/render/flannel.js';
import { flannel, inventory, node } from '../../fixtures/facts/builders.js';

const KEY = '/coreos.com/network/config';
const GUIDE = '50-network-config.conf (/etc/systemd/system/flanneld.service.d/50-network-config.conf)';
function unitFrom(text: string) {
  const p = parseSystemctlCat(text);
  assert.ok(p.ok);
  return readFlanneldUnit(p.value);
}
const fixture = (name: string) => unitFrom(readFileSync(new URL(`../../fixtures/flannel/${name}`, import.meta.url), 'utf8'));
const dropIn = (...lines: string[]) => unitFrom(`# /etc/systemd/system/flanneld.service.d/50-network-config.conf\n[Service]\n${lines.join('\n')}\n`);
function etcdctl(name: string): EtcdctlVersionFact {
  const p = parseEtcdctlVersion(readFileSync(new URL(`../../fixtures/etcd/${name}`, import.meta.url), 'utf8'));
  assert.ok(p.ok);
  return p.value;
}
const v33 = etcdctl('etcdctl33-version.out');
const v34 = etcdctl('etcdctl34-version.out');
const v36: EtcdctlVersionFact = { version: '3.6.0', major: 3, minor: 6, defaultApi: 'v3', apiVersion: '3.6' };
const ctx = (over: Partial<WriterContext> = {}): WriterContext => ({
  node: 'node1', key: KEY, etcdctl: v33, network: '10.1.0.0/16', keyValue: { api: 'v2', value: '{"Network":"10.1.0.0/16"}' }, flannelApi: { api: 'v2', why: 'flannel v0.11.0 …' }, ...over,
});

describe('drop-ins that write the config key', () => {
  test('the setup guide drop-in: `etcdctl set KEY VALUE`, v2, no ETCDCTL_API', () => {
    const [w, ...more] = keyWriters(fixture('systemctl-cat-container-linux-guide.txt'), KEY);
    assert.deepEqual(more, []);
    assert.deepEqual(w, {
      file: '/etc/systemd/system/flanneld.service.d/50-network-config.conf',
      command: `/usr/bin/etcdctl set /coreos.com/network/config '{"Network": "10.1.0.0/16"}'`,
      sub: 'set', subApi: 'v2', value: '{"Network": "10.1.0.0/16"}', ignoreFailure: false,
    });
  });
  test('ct\'s drop-in: global flags before set, a Go-quoted value', () => {
    const [w] = keyWriters(fixture('systemctl-cat-flatcar-clc.txt'), KEY);
    assert.equal(w?.value, '{"Network": "10.2.0.0/16", "Backend": {"Type": "vxlan"}}');
    assert.equal(w?.sub, 'set');
  });
  test('sh -c with `put` under Environment=ETCDCTL_API=3, for another key', () => {
    const u = fixture('systemctl-cat-flannel-0.22.txt');
    assert.deepEqual(keyWriters(u, KEY), []);
    const [w] = keyWriters(u, '/k8s/network/config');
    assert.deepEqual([w?.sub, w?.subApi, w?.envApi, w?.envApiFrom, w?.value], ['put', 'v3', 'v3', 'ETCDCTL_API=3 in /etc/systemd/system/flanneld.service.d/50-network-config.conf', '{"Network": "10.3.0.0/16"}']);
  });
  test('ETCDCTL_API on the line (env, sh -c) beats the unit; `--` and --ttl are skipped', () => {
    const [a] = keyWriters(dropIn('Environment=ETCDCTL_API=3', `ExecStartPre=/usr/bin/env ETCDCTL_API=2 /usr/bin/etcdctl set --ttl 0 -- ${KEY} '{"Network": "10.1.0.0/16"}'`), KEY);
    assert.deepEqual([a?.envApi, a?.envApiFrom, a?.value], ['v2', 'ETCDCTL_API=2 on the line', '{"Network": "10.1.0.0/16"}']);
    const [b] = keyWriters(dropIn(`ExecStartPre=-/bin/bash -c "export ETCDCTL_API=2; etcdctl mk ${KEY} '{\\"Network\\": \\"10.1.0.0/16\\"}'"`), KEY);
    assert.deepEqual([b?.sub, b?.envApi, b?.ignoreFailure, b?.value], ['mk', 'v2', true, '{"Network": "10.1.0.0/16"}']);
    assert.deepEqual(keyWriters(dropIn(`ExecStartPre=/usr/bin/etcdctl get ${KEY}`), KEY), []);
  });
});

describe('the drop-ins `clusterctl render` writes (round trip)', () => {
  const n = node({ name: 'n1', roles: ['etcd'] });
  const unitOf = (inv: Inventory) => {
    const c = flannelConfigDropin(n, inv);
    assert.ok(c);
    const client = flannelDropin(flannelClient(n, inv));
    return unitFrom(`# /etc/systemd/system/flanneld.service.d/${client.name}\n${client.contents}\n# /etc/systemd/system/flanneld.service.d/${c.name}\n${c.contents}`);
  };
  test('configDropin with the default API: `env ETCDCTL_API=2 etcdctl set`, which works with etcdctl 3.4 (v3 by default)', () => {
    const inv = inventory([n], { etcd: { endpoints: ['http://10.0.0.1:2379'] }, flannel: flannel({ enabled: true, network: '10.1.0.0/16', configDropin: true }) });
    const u = unitOf(inv);
    const [w] = keyWriters(u, KEY);
    assert.deepEqual([w?.sub, w?.envApi, w?.value], ['set', 'v2', '{"Network":"10.1.0.0/16"}']);
    assert.ok(w);
    assert.equal(judgeWriter(w, ctx({ etcdctl: v34, keyValue: { api: 'v2', value: '{"Network": "10.1.0.0/16"}' } })).ok, true);
    assert.deepEqual(unitEtcdEndpoints(u)?.endpoints, ['http://10.0.0.1:2379']);
  });
  test('configDropin with etcdApi v3: `env ETCDCTL_API=3 etcdctl put`', () => {
    const inv = inventory([n], { flannel: flannel({ enabled: true, network: '10.1.0.0/16', configDropin: true, etcdApi: 'v3' }) });
    const [w] = keyWriters(unitOf(inv), KEY);
    assert.deepEqual([w?.sub, w?.subApi, w?.envApi], ['put', 'v3', 'v3']);
  });
});

describe('judging a drop-in', () => {
  const [guide] = keyWriters(fixture('systemctl-cat-container-linux-guide.txt'), KEY);
  assert.ok(guide);
  test('etcdctl 3.3 (v2 by default), same value as the key and the inventory: pass, no warning', () => {
    const r = judgeWriter(guide, ctx());
    assert.deepEqual(r, { ok: true, message: `${GUIDE} writes ${KEY} = {"Network": "10.1.0.0/16"} at every start of flanneld (\`set\`, v2: etcdctl 3.3.13 speaks v2 by default); same as the key and the inventory` });
  });
  test('etcdctl 3.4 speaks v3 by default and nothing sets ETCDCTL_API=2: fail, flanneld never starts, says what to do', () => {
    const r = judgeWriter(guide, ctx({ etcdctl: v34 }));
    assert.equal(r.ok, false);
    assert.match(r.message, /runs `\/usr\/bin\/etcdctl set .*`, a v2 command, but etcdctl 3\.4\.23 speaks v3 by default and nothing sets ETCDCTL_API=2: v2 `set` does not exist in v3, so it fails at every start and flanneld never starts; add Environment=ETCDCTL_API=2 to the drop-in .* or remove the drop-in and write the key once with `clusterctl flannel set`/);
  });
  test('ETCDCTL_API=2 makes 3.4 work; 3.6 has no v2 at all', () => {
    const [w] = keyWriters(dropIn('Environment=ETCDCTL_API=2', `ExecStartPre=/usr/bin/etcdctl set ${KEY} '{"Network": "10.1.0.0/16"}'`), KEY);
    assert.ok(w);
    assert.equal(judgeWriter(w, ctx({ etcdctl: v34 })).ok, true);
    const r = judgeWriter(w, ctx({ etcdctl: v36 }));
    assert.equal(r.ok, false);
    assert.match(r.message, /etcdctl 3\.6\.0 on node1 has no v2 API at all/);
  });
  test('etcd serving no v2 (3.4+ without --enable-v2): a v2 write fails whatever etcdctl speaks', () => {
    const r = judgeWriter(guide, ctx({ unserved: true, keyValue: undefined }));
    assert.equal(r.ok, false);
    assert.match(r.message, /a v2 write, but etcd does not serve the v2 API, so it fails at every start and flanneld never starts; start etcd with --enable-v2/);
  });
  test('a "-" prefix turns the failure into a warning (flanneld starts; the key is never written)', () => {
    const [w] = keyWriters(dropIn(`ExecStartPre=-/usr/bin/etcdctl set ${KEY} '{"Network": "10.1.0.0/16"}'`), KEY);
    assert.ok(w);
    const r = judgeWriter(w, ctx({ etcdctl: v34 }));
    assert.equal(r.ok, true);
    assert.match(r.message, /^warning: .* \(its "-" prefix lets flanneld start anyway: the drop-in never writes the key\)/);
  });
  test('warnings: value differs from the key, from the inventory, writes a keyspace flannel does not read', () => {
    const r = judgeWriter(guide, ctx({ keyValue: { api: 'v2', value: '{"Network": "10.9.0.0/16"}' }, network: '10.8.0.0/16', flannelApi: { api: 'v3', why: 'flannel v0.22.3 …' } }));
    assert.equal(r.ok, true);
    assert.ok(r.message.startsWith('warning: '), r.message);
    assert.match(r.message, /writes Network 10\.1\.0\.0\/16, the inventory says cluster\.flannel\.network 10\.8\.0\.0\/16/);
    assert.match(r.message, /the key holds \{"Network": "10\.9\.0\.0\/16"\} \(v2\): the next restart of flanneld on node1 puts the drop-in's value back/);
    assert.match(r.message, /writes the v2 keyspace, but flannel on node1 reads v3/);
  });
  test('unknown etcdctl: a warning that says why', () => {
    const r = judgeWriter(guide, ctx({ etcdctl: null, etcdctlError: 'etcdctl: not found' }));
    assert.match(r.message, /^warning: could not tell which API etcdctl on node1 speaks by default \(etcdctl: not found\)/);
  });
});
