import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { batchScriptOf, planBatch, runBatch } from '../../../src/facts/batch.js';
import { collectFacts } from '../../../src/facts/collect.js';
import { etcd } from '../../../src/facts/collectors/etcd.js';
import { etcdReach } from '../../../src/facts/collectors/etcd-reach.js';
import { etcdctlVersion } from '../../../src/facts/collectors/etcdctl-version.js';
import { flannelConfig } from '../../../src/facts/collectors/flannel-config.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { Transport } from '../../../src/transport/types.js';
import { facts, flannel, inventory, node } from '../../fixtures/facts/builders.js';
import { localSh } from '../../helpers/local-sh.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import { splitNonce } from '../../helpers/nonce.js';

const etcdNode = node({ name: 'e1', roles: ['etcd', 'master'] });
const inv = inventory([etcdNode], { etcd: { endpoints: ['http://198.18.1.11:2379'] }, flannel: flannel({ enabled: true, network: '10.1.0.0/16' }) });
const ALL = [etcd, flannelConfig, etcdReach];

// A stand-in etcdctl that logs each call's words and answers as the script says.
function etcdctlStub(answer: string): { t: Transport; calls: () => string[] } {
  const log = join(mkdtempSync(join(tmpdir(), 'clusterctl-batch-')), 'calls');
  const t = localSh(`#!/bin/sh\nw=; for a; do case $a in -*) ;; *) w="$w $a";; esac; done\necho "$ETCDCTL_API$w" >> ${log}\n${answer}\n`);
  return { t, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
}

describe('the node\'s batch: every inventory-dependent command in one round trip', () => {
  test('a dead etcd: the member list in v3 and v2, then nothing more waits on it; the key is "not asked", saying why', async () => {
    const { t, calls } = etcdctlStub(`echo 'Error: context deadline exceeded' >&2; exit 1`);
    const plan = planBatch(etcdNode, inv, facts(), [etcd, flannelConfig]);
    assert.ok(plan);
    const f = await runBatch(t, plan, 20_000);
    assert.deepEqual(calls(), ['3 json member list', '2 member list']);
    assert.ok(f.etcd && 'ok' in f.etcd);
    assert.match(f.etcd.ok.membersError ?? '', /^v3: .*context deadline exceeded.*; v2: /);
    const notAsked = `not asked: etcd answered neither the v3 nor the v2 member list (${f.etcd.ok.membersError})`;
    assert.deepEqual(f.flannelConfig, {
      ok: {
        key: '/coreos.com/network/config',
        v2: { ok: false, error: notAsked },
        v3: { ok: false, error: notAsked },
      },
    });
  });
  test('a healthy v3 etcd: members, health, then the key in both keyspaces, no v2 member list', async () => {
    const members = JSON.stringify({ header: { cluster_id: 1, member_id: 2 }, members: [{ ID: 2, name: 'e1', peerURLs: ['http://198.18.1.11:2380'], clientURLs: ['http://198.18.1.11:2379'] }] });
    const health = JSON.stringify([{ endpoint: 'http://198.18.1.11:2379', health: true, took: '1ms' }]);
    const kv = JSON.stringify({ header: {}, kvs: [{ key: Buffer.from('/coreos.com/network/config').toString('base64'), value: Buffer.from('{"Network":"10.1.0.0/16"}').toString('base64') }], count: 1 });
    const { t, calls } = etcdctlStub(
      `case "$ETCDCTL_API$w" in '3 json member list') echo '${members}';; '3 json endpoint health') echo '${health}';; '3 json get /coreos.com/network/config') echo '${kv}';; ` +
        `'2 get /coreos.com/network/config') echo 'Error:  100: Key not found (/coreos.com) [5]' >&2; exit 4;; *) exit 9;; esac`,
    );
    const plan = planBatch(etcdNode, inv, facts(), [etcd, flannelConfig]);
    assert.ok(plan);
    const f = await runBatch(t, plan, 20_000);
    assert.deepEqual(calls(), ['3 json member list', '3 json endpoint health', '2 get /coreos.com/network/config', '3 json get /coreos.com/network/config']);
    assert.ok(f.etcd && 'ok' in f.etcd);
    assert.deepEqual([f.etcd.ok.api, f.etcd.ok.members?.map((m) => m.name), f.etcd.ok.health?.map((h) => h.healthy)], ['v3', ['e1'], [true]]);
    assert.deepEqual(f.flannelConfig, { ok: { key: '/coreos.com/network/config', v2: { ok: true, found: false, value: '' }, v3: { ok: true, found: true, value: '{"Network":"10.1.0.0/16"}' } } });
  });
  test('collectFacts: an etcd node with flannel costs exactly two execs, the probe and the batch', async () => {
    const probe = probeOutput({ hostname: { body: 'e1' } });
    const plan = planBatch(etcdNode, inv, facts({ hostname: null }), ALL);
    assert.ok(plan);
    let batch = '';
    const t = fakeTransport({ [PROBE]: { stdout: probe } });
    const exec = t.exec.bind(t);
    t.exec = (command, o) => {
      if (splitNonce(command).script === PROBE) return exec(command, o);
      batch = command;
      return Promise.resolve({ stdout: '', stderr: '', code: 0, timedOut: false });
    };
    const g = await collectFacts(t, etcdNode, inv, 20_000);
    assert.ok(g.ok);
    assert.equal(t.commands.length + (batch ? 1 : 0), 2);
    assert.match(batch, /etcdctl .*member.*list/s);
    assert.match(batch, /\/dev\/tcp/);
    // inventory values reach the batch through shellQuote (property-tested in etcdctl/batch.test.ts)
    assert.match(batch, /etcdctl --endpoints=http:\/\/198\.18\.1\.11:2379 /);
  });
  test('a worker with flannel: the batch is only the reach test; without flannel, no batch at all', async () => {
    const worker = node({ name: 'w1' });
    const plan = planBatch(worker, inv, facts(), ALL);
    assert.deepEqual([plan?.etcdctl.length, plan?.asked.map((a) => a.fact)], [0, ['etcdReach']]);
    assert.match(plan ? batchScriptOf(plan, 20_000) : '', /c '198\.18\.1\.11' '2379' 0|198\.18\.1\.11/);
    assert.equal(planBatch(worker, inventory([worker]), facts(), ALL), null);
  });
  test('a plan with nothing to send (no TCP target, no etcdctl drop-in) sends no request and reads its facts all the same', async () => {
    const worker = node({ name: 'w1', etcd: { endpoints: ['unix:///run/etcd.sock'] } });
    const plan = planBatch(worker, inv, facts(), [etcdReach, etcdctlVersion]);
    assert.ok(plan);
    let requests = 0;
    const t = fakeTransport({});
    t.exec = async () => {
      requests++;
      throw new Error('no request expected');
    };
    const f = await runBatch(t, plan, 20_000);
    assert.equal(requests, 0);
    assert.deepEqual(f, {
      etcdReach: { ok: { ok: true, from: "w1's etcd.endpoints in the inventory", results: [], invalid: [{ endpoint: 'unix:///run/etcd.sock', why: 'unix:// is not a TCP endpoint' }] } },
      etcdctlVersion: { absent: 'not asked: no ExecStartPre of flanneld.service runs etcdctl' },
    });
  });
});
