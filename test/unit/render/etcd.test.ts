import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterToken, etcdDropin, etcdMember, initialCluster, memberAddress } from '../../../src/render/etcd.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';
import { node } from '../../fixtures/facts/builders.js';

const inv = inventoryOf(THREE_ETCD);
const byName = (n: string) => inv.nodes.find((x) => x.name === n) ?? assert.fail(n);

describe('etcd member settings', () => {
  test('the member address is the network address, else an IPv4 host, else none', () => {
    assert.equal(memberAddress(byName('e1')), '198.18.1.11');
    assert.equal(memberAddress(byName('e3')), '198.18.1.13'); // no network section: the host
    assert.equal(memberAddress(node({ host: 'etcd1.example.test', network: undefined })), undefined);
  });
  test('initial cluster: every etcd node, in inventory order, under its member name (etcd.name, else the node name)', () => {
    assert.equal(initialCluster(inv), 'app-etcd-1=http://198.18.1.11:2380,e2=http://198.18.1.12:2380,e3=http://198.18.1.13:2380');
  });
  test('the token is derived from the initial cluster unless given: same cluster, same token', () => {
    const token = clusterToken(inv);
    assert.match(token, /^clusterctl-[0-9a-f]{12}$/);
    assert.equal(clusterToken(inventoryOf(THREE_ETCD)), token);
    assert.notEqual(clusterToken(inventoryOf(THREE_ETCD.replace('198.18.1.13', '198.18.1.14'))), token);
    assert.equal(clusterToken(inventoryOf(THREE_ETCD.replace('    keyFile:', '    initialClusterToken: my-token\n    keyFile:'))), 'my-token');
  });
  test('one member: peers and advertises on its address, listens for clients there and on loopback', () => {
    const m = etcdMember(byName('e1'), inv);
    assert.deepEqual(m, {
      name: 'app-etcd-1',
      listenClientUrls: 'http://198.18.1.11:2379,http://127.0.0.1:2379',
      advertiseClientUrls: 'http://198.18.1.11:2379',
      listenPeerUrls: 'http://198.18.1.11:2380',
      initialAdvertisePeerUrls: 'http://198.18.1.11:2380',
      initialCluster: initialCluster(inv),
      initialClusterToken: clusterToken(inv),
      initialClusterState: 'new',
      enableV2: true,
    });
  });
  test('ETCD_ENABLE_V2 only when flannel may read v2 (flannel on, etcdApi not v3)', () => {
    const v3 = inventoryOf(THREE_ETCD.replace('    configDropin: true', '    etcdApi: v3'));
    assert.equal(etcdMember(v3.nodes[0] ?? assert.fail(), v3).enableV2, false);
    const noFlannel = inventoryOf(THREE_ETCD.replace('  flannel:\n', '  flannel:\n    enabled: false\n'));
    assert.equal(etcdMember(noFlannel.nodes[0] ?? assert.fail(), noFlannel).enableV2, false);
  });
  test('the drop-in: 20-clct-etcd-member.conf, one Environment= line per setting, in order', () => {
    const d = etcdDropin(etcdMember(byName('e2'), inv));
    assert.equal(d.name, '20-clct-etcd-member.conf');
    assert.deepEqual(d.contents.split('\n'), [
      '[Service]',
      'Environment="ETCD_NAME=e2"',
      'Environment="ETCD_LISTEN_CLIENT_URLS=http://198.18.1.12:2379,http://127.0.0.1:2379"',
      'Environment="ETCD_ADVERTISE_CLIENT_URLS=http://198.18.1.12:2379"',
      'Environment="ETCD_LISTEN_PEER_URLS=http://198.18.1.12:2380"',
      'Environment="ETCD_INITIAL_ADVERTISE_PEER_URLS=http://198.18.1.12:2380"',
      `Environment="ETCD_INITIAL_CLUSTER=${initialCluster(inv)}"`,
      `Environment="ETCD_INITIAL_CLUSTER_TOKEN=${clusterToken(inv)}"`,
      'Environment="ETCD_INITIAL_CLUSTER_STATE=new"',
      'Environment="ETCD_ENABLE_V2=true"',
      '',
    ]);
  });
  test('a member on loopback listens there once', () => {
    const lone = inventoryOf('nodes:\n  - { name: solo, host: 127.0.0.1, roles: [etcd] }\n');
    assert.equal(etcdMember(lone.nodes[0] ?? assert.fail(), lone).listenClientUrls, 'http://127.0.0.1:2379');
  });
});
