import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { etcdReachGatherer, flannelEtcdEndpoints, gatherEtcdReach } from '../../../../src/facts/gatherers/etcd-reach.js';
import { reachScript, reachTargets } from '../../../../src/facts/gatherers/etcd-reach-script.js';
import type { UnitFile } from '../../../../src/facts/types.js';
import { facts, flannel, inventory, node } from '../../../fixtures/facts/builders.js';
import { fakeTransport } from '../../../helpers/fake-transport.js';

const unit: UnitFile[] = [{ path: '/etc/systemd/system/flanneld.service.d/20-clct-flannel.conf', entries: [{ section: 'Service', key: 'Environment', value: 'FLANNELD_ETCD_ENDPOINTS=http://10.0.0.10:2379' }] }];
const worker = (over = {}) => node({ name: 'app-worker-1', roles: ['worker'], ...over });
const inv = inventory([], { etcd: { endpoints: ['http://127.0.0.1:2379'] }, flannel: flannel({ enabled: true }) });

describe('the etcd endpoints a flanneld dials', () => {
  test('the unit\'s, else the node\'s, else the cluster\'s', () => {
    assert.deepEqual(flannelEtcdEndpoints(worker(), inv, { flannelUnit: unit }), { endpoints: ['http://10.0.0.10:2379'], from: 'FLANNELD_ETCD_ENDPOINTS in /etc/systemd/system/flanneld.service.d/20-clct-flannel.conf' });
    assert.deepEqual(flannelEtcdEndpoints(worker({ etcd: { endpoints: ['http://10.0.0.11:2379'] } }), inv, { flannelUnit: null }), { endpoints: ['http://10.0.0.11:2379'], from: "app-worker-1's etcd.endpoints in the inventory" });
    assert.deepEqual(flannelEtcdEndpoints(worker({ etcd: { name: 'x' } }), inv, { flannelUnit: [] }), { endpoints: ['http://127.0.0.1:2379'], from: 'cluster.etcd.endpoints in the inventory' });
  });
});

describe('flannel.etcd-reach gatherer', () => {
  test('one exec of the script for the unit\'s endpoints; the result per endpoint', async () => {
    const targets = reachTargets(['http://10.0.0.10:2379']).targets;
    const t = fakeTransport({ [reachScript(targets)]: { stdout: '@@clusterctl-reach 0 rc=1 bash: connect: Connection refused bash: line 1: /dev/tcp/10.0.0.10/2379: Connection refused\n' } });
    const f = facts({ flannelUnit: unit });
    await etcdReachGatherer.gather(t, worker(), inv, 10_000, f);
    assert.equal(t.commands.length, 1);
    assert.deepEqual(f.etcdReach, {
      ok: true,
      from: 'FLANNELD_ETCD_ENDPOINTS in /etc/systemd/system/flanneld.service.d/20-clct-flannel.conf',
      results: [{ endpoint: 'http://10.0.0.10:2379', host: '10.0.0.10', port: 2379, ok: false, errno: 'ECONNREFUSED', reason: 'connect: Connection refused' }],
      invalid: [],
    });
  });
  test('only where flannel is checked; no TCP target at all is no exec', async () => {
    assert.equal(etcdReachGatherer.applies(worker(), inventory([])), false);
    assert.equal(etcdReachGatherer.applies(worker(), inv), true);
    const t = fakeTransport({});
    const r = await gatherEtcdReach(t, worker({ etcd: { endpoints: ['unix:///run/etcd.sock'] } }), inv, 10_000, facts());
    assert.deepEqual(r, { ok: true, from: "app-worker-1's etcd.endpoints in the inventory", results: [], invalid: [{ endpoint: 'unix:///run/etcd.sock', why: 'unix:// is not a TCP endpoint' }] });
    assert.equal(t.commands.length, 0);
  });
  test('a transport failure is a fact, not an exception', async () => {
    const t = fakeTransport({});
    t.exec = async () => {
      throw new Error('channel closed');
    };
    const r = await gatherEtcdReach(t, worker(), inv, 10_000, facts());
    assert.deepEqual(r, { ok: false, from: 'cluster.etcd.endpoints in the inventory', endpoints: ['http://127.0.0.1:2379'], error: 'could not run the TCP check: channel closed' });
  });
});
