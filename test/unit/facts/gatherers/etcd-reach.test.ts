import assert from 'node:assert/strict';
import { framePart } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';
import { describe, test } from 'node:test';
import { flannelEtcdEndpoints } from '../../../../src/facts/gatherers/etcd-reach.js';
import { batchScriptOf, planBatch, readBatchOutput, runBatch } from '../../../../src/facts/batch.js';
import { etcdReach } from '../../../../src/facts/collectors/etcd-reach.js';
import { okFact } from '../../../../src/facts/types.js';
import type { UnitFile } from '../../../../src/facts/types.js';
import { facts, flannel, inventory, node } from '../../../fixtures/facts/builders.js';
import { fakeTransport } from '../../../helpers/fake-transport.js';

const unit: UnitFile[] = [{ path: '/etc/systemd/system/flanneld.service.d/20-clct-flannel.conf', entries: [{ section: 'Service', key: 'Environment', value: 'FLANNELD_ETCD_ENDPOINTS=http://10.0.0.10:2379' }] }];
const worker = (over = {}) => node({ name: 'app-worker-1', roles: ['worker'], ...over });
const inv = inventory([], { etcd: { endpoints: ['http://127.0.0.1:2379'] }, flannel: flannel({ enabled: true }) });

describe('the etcd endpoints a flanneld dials', () => {
  test('the unit\'s, else the node\'s, else the cluster\'s', () => {
    assert.deepEqual(flannelEtcdEndpoints(worker(), inv, { flannelUnit: okFact(unit) }), { endpoints: ['http://10.0.0.10:2379'], from: 'FLANNELD_ETCD_ENDPOINTS in /etc/systemd/system/flanneld.service.d/20-clct-flannel.conf' });
    assert.deepEqual(flannelEtcdEndpoints(worker({ etcd: { endpoints: ['http://10.0.0.11:2379'] } }), inv, { flannelUnit: { absent: 'no flanneld.service on the node' } }), { endpoints: ['http://10.0.0.11:2379'], from: "app-worker-1's etcd.endpoints in the inventory" });
    assert.deepEqual(flannelEtcdEndpoints(worker({ etcd: { name: 'x' } }), inv, { flannelUnit: okFact([]) }), { endpoints: ['http://127.0.0.1:2379'], from: 'cluster.etcd.endpoints in the inventory' });
  });
});

describe('flannel.etcd-reach in the node\'s batch', () => {
  const only = [etcdReach];
  test('one exec of the script for the unit\'s endpoints; the result per endpoint', async () => {
    const plan = planBatch(worker(), inv, facts({ flannelUnit: unit }), only);
    assert.ok(plan);
    const t = fakeTransport({ [batchScriptOf(plan, 10_000)]: { stdout: framePart(TEST_NONCE, 'reach.0', 1, 'bash: connect: Connection refused bash: line 1: /dev/tcp/10.0.0.10/2379: Connection refused') } });
    const f = await runBatch(t, plan, 10_000);
    assert.equal(t.commands.length, 1);
    assert.deepEqual(f.etcdReach, {
      ok: {
        ok: true,
        from: 'FLANNELD_ETCD_ENDPOINTS in /etc/systemd/system/flanneld.service.d/20-clct-flannel.conf',
        results: [{ endpoint: 'http://10.0.0.10:2379', host: '10.0.0.10', port: 2379, ok: false, errno: 'ECONNREFUSED', reason: 'connect: Connection refused' }],
        invalid: [],
      },
    });
    assert.deepEqual(Object.keys(f), ['etcdReach'], 'no etcd or key part was asked for');
  });
  test('only where flannel is checked; no TCP target at all is an empty script', async () => {
    assert.equal(etcdReach.applies(worker(), inventory([])), false);
    assert.equal(etcdReach.applies(worker(), inv), true);
    const plan = planBatch(worker({ etcd: { endpoints: ['unix:///run/etcd.sock'] } }), inv, facts(), only);
    assert.ok(plan);
    assert.equal(batchScriptOf(plan, 10_000), '');
    assert.deepEqual(readBatchOutput(plan, { stdout: '', timedOut: false, nonce: TEST_NONCE }, 10_000).etcdReach, {
      ok: { ok: true, from: "app-worker-1's etcd.endpoints in the inventory", results: [], invalid: [{ endpoint: 'unix:///run/etcd.sock', why: 'unix:// is not a TCP endpoint' }] },
    });
  });
  test('a transport failure is a fact, not an exception', async () => {
    const t = fakeTransport({});
    t.exec = async () => {
      throw new Error('channel closed');
    };
    const plan = planBatch(worker(), inv, facts(), only);
    assert.ok(plan);
    const r = await runBatch(t, plan, 10_000);
    assert.deepEqual(r.etcdReach, { ok: { ok: false, from: 'cluster.etcd.endpoints in the inventory', endpoints: ['http://127.0.0.1:2379'], error: 'could not run the TCP check: channel closed' } });
  });
});
