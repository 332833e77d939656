import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdPrefix, flannelClient, flannelConfigDropin, flannelConfigJson, flannelDropin, V3_FLANNEL_VERSION } from '../../../src/render/flannel.js';
import { clcConfig, clcText, readClc } from '../../../src/render/clc.js';
import { clcProblems } from '../../../src/render/clc-schema.js';
import { nodeConfig } from '../../../src/render/node.js';
import { flannelReads } from '../../../src/flannel/keyspace.js';
import { parseFlannelVersion } from '../../../src/facts/parse/flanneld-unit.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';

const inv = inventoryOf(THREE_ETCD);
const byName = (n: string) => inv.nodes.find((x) => x.name === n) ?? assert.fail(n);

describe('flanneld client settings', () => {
  test('endpoints: the node\'s own, else the cluster\'s; TLS files from cluster.etcd', () => {
    assert.deepEqual(flannelClient(byName('w1'), inv), {
      etcdEndpoints: 'http://198.18.1.13:2379',
      etcdCaFile: '/etc/ssl/etcd/ca.pem',
      etcdCertFile: '/etc/ssl/etcd/client.pem',
      etcdKeyFile: '/etc/ssl/etcd/client-key.pem',
    });
    assert.equal(flannelClient(byName('e1'), inv).etcdEndpoints, 'http://198.18.1.11:2379,http://198.18.1.12:2379');
  });
  test('a config key outside /coreos.com/network sets the prefix; one not ending in /config has none', () => {
    assert.equal(etcdPrefix('/coreos.com/network/config'), '/coreos.com/network');
    assert.equal(etcdPrefix('/lab/network/config'), '/lab/network');
    assert.equal(etcdPrefix('/lab/network/cfg'), undefined);
    const custom = inventoryOf(THREE_ETCD.replace('    subnetLen: 24', '    subnetLen: 24\n    configKey: /lab/network/config'));
    assert.equal(flannelClient(custom.nodes[0] ?? assert.fail(), custom).etcdPrefix, '/lab/network');
    assert.equal(flannelClient(byName('e1'), inv).etcdPrefix, undefined);
  });
  test('the drop-in: 20-clct-flannel.conf with FLANNELD_ETCD_* lines', () => {
    const d = flannelDropin(flannelClient(byName('w1'), inv));
    assert.equal(d.name, '20-clct-flannel.conf');
    assert.equal(
      d.contents,
      '[Service]\nEnvironment="FLANNELD_ETCD_ENDPOINTS=http://198.18.1.13:2379"\nEnvironment="FLANNELD_ETCD_CAFILE=/etc/ssl/etcd/ca.pem"\nEnvironment="FLANNELD_ETCD_CERTFILE=/etc/ssl/etcd/client.pem"\nEnvironment="FLANNELD_ETCD_KEYFILE=/etc/ssl/etcd/client-key.pem"\n',
    );
  });
});

describe('etcdApi v3 pins a flannel that reads v3 (Flatcar\'s flanneld 0.14 would read the empty v2 keyspace)', () => {
  const v3 = inventoryOf(THREE_ETCD.replace('    configDropin: true', '    configDropin: true\n    etcdApi: v3'));
  const w1 = v3.nodes.find((n) => n.name === 'w1') ?? assert.fail();
  test('Ignition: FLANNEL_IMAGE_TAG=v0.18.1 first in 20-clct-flannel.conf, as ct writes a version', () => {
    assert.match(flannelDropin(flannelClient(w1, v3)).contents, /^\[Service\]\nEnvironment="FLANNEL_IMAGE_TAG=v0\.18\.1"\nEnvironment="FLANNELD_ETCD_ENDPOINTS=/);
  });
  test('CLC: flannel.version 0.18.1, which ct turns into the same tag', () => {
    const clc = clcText(clcConfig(nodeConfig(w1, v3, new Map())));
    assert.match(clc, /^flannel:\n {2}version: 0\.18\.1\n {2}etcd_endpoints: /m);
    assert.deepEqual(clcProblems(readClc(clc)), []);
  });
  test('the pinned version reads v3, by the same rule verify decides the keyspace with', () => {
    assert.equal(flannelReads(parseFlannelVersion(`v${V3_FLANNEL_VERSION}`, 'test') ?? assert.fail()), 'v3');
  });
  test('etcdApi auto and v2 pin nothing', () => {
    for (const api of ['auto', 'v2']) {
      const other = inventoryOf(THREE_ETCD.replace('    configDropin: true', `    configDropin: true\n    etcdApi: ${api}`));
      assert.doesNotMatch(flannelDropin(flannelClient(other.nodes[0] ?? assert.fail(), other)).contents, /FLANNEL_IMAGE_TAG/);
    }
  });
});

describe('the config drop-in (cluster.flannel.configDropin)', () => {
  test('the inventory\'s Network and SubnetLen as JSON', () => {
    assert.equal(flannelConfigJson(inv), '{"Network":"10.1.0.0/16","SubnetLen":24}');
  });
  test('v2 keyspace (etcdApi auto/v2): ETCDCTL_API=2 and set, with v2 TLS flags', () => {
    const d = flannelConfigDropin(byName('w1'), inv) ?? assert.fail('no drop-in');
    assert.equal(d.name, '50-network-config.conf');
    assert.equal(
      d.contents,
      '[Service]\nExecStartPre=/usr/bin/env ETCDCTL_API=2 /usr/bin/etcdctl --endpoints=http://198.18.1.13:2379 --ca-file=/etc/ssl/etcd/ca.pem --cert-file=/etc/ssl/etcd/client.pem --key-file=/etc/ssl/etcd/client-key.pem set /coreos.com/network/config "{\\"Network\\":\\"10.1.0.0/16\\",\\"SubnetLen\\":24}"\n',
    );
  });
  test('v3 keyspace: ETCDCTL_API=3 and put, with v3 TLS flags', () => {
    const v3 = inventoryOf(THREE_ETCD.replace('    configDropin: true', '    configDropin: true\n    etcdApi: v3'));
    const d = flannelConfigDropin(v3.nodes[0] ?? assert.fail(), v3) ?? assert.fail('no drop-in');
    assert.match(d.contents, /^\[Service\]\nExecStartPre=\/usr\/bin\/env ETCDCTL_API=3 \/usr\/bin\/etcdctl --endpoints=\S+ --cacert=\/etc\/ssl\/etcd\/ca.pem --cert=\S+ --key=\S+ put \/coreos.com\/network\/config "/);
  });
  test('not written unless asked for', () => {
    const off = inventoryOf(THREE_ETCD.replace('    configDropin: true\n', ''));
    assert.equal(flannelConfigDropin(off.nodes[0] ?? assert.fail(), off), undefined);
  });
});
