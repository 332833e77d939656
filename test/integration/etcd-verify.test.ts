import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonCheck } from '../helpers/report.js';
import { etcdLab } from '../fixtures/etcd/lab.js';


// The etcd checks of every node (other checks, e.g. flannel's, are not this suite's business).
async function etcdChecks(): Promise<Record<string, JsonCheck[]>> {
  const { report } = await verifyJson();
  return Object.fromEntries(report.nodes.map((n) => [n.name, n.checks.filter((c) => c.id.startsWith('etcd.'))]));
}
const summary = (all: Record<string, JsonCheck[]>) => Object.entries(all).flatMap(([n, cs]) => cs.map((c) => `${n} ${c.id}=${c.status}`));

describe('verify: etcd.health and etcd.members on a real 3-member etcd (LAB_ETCD=cluster3)', { skip: labSkip }, () => {
  before(async () => {
    await etcdLab(['up', '4'], { LAB_ETCD: 'cluster3', LAB_ETCD_V2: '1' });
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('healthy: both pass on the three etcd nodes; the worker has no etcd checks', async () => {
    const all = await etcdChecks();
    assert.deepEqual(summary(all), [
      ...[1, 2, 3].flatMap((i) => [`${nodeName(i)} etcd.health=pass`, `${nodeName(i)} etcd.members=pass`]),
    ]);
    const members = all[nodeName(2)]?.find((c) => c.id === 'etcd.members');
    // The lab names members as the setup guide does (app-etcd-N): found by where they peer.
    assert.equal(members?.actual, 'app-etcd-1, app-etcd-2, app-etcd-3');
    assert.match(members?.message ?? '', /lab-node-2's member is app-etcd-2 \([0-9a-f]{6}…\), peering at its address/);
    assert.match(all[nodeName(1)]?.[0]?.message ?? '', /^3 endpoints healthy \(v3 endpoint health: .*http:\/\/198\.18\.1\.12:2379/);
  });

  test('member 2 stopped: etcd.health fails everywhere naming it; etcd.members fails on node 2', async () => {
    await etcdLab(['fault', 'etcd-stop', '2']);
    try {
      const all = await etcdChecks();
      assert.deepEqual(summary(all), [
        `${nodeName(1)} etcd.health=fail`,
        `${nodeName(1)} etcd.members=pass`,
        `${nodeName(2)} etcd.health=fail`,
        `${nodeName(2)} etcd.members=fail`,
        `${nodeName(3)} etcd.health=fail`,
        `${nodeName(3)} etcd.members=pass`,
      ]);
      for (const i of [1, 3]) assert.match(all[nodeName(i)]?.[0]?.message ?? '', /^unhealthy \(v3 endpoint health\): http:\/\/198\.18\.1\.12:2379 \(context deadline exceeded\)$/);
      // Node 2's etcdctl uses only its own (stopped) member: nothing answers there.
      assert.match(all[nodeName(2)]?.[0]?.message ?? '', /^etcd does not answer: no endpoint answered \(v3: etcdctl exited 1: Error: context deadline exceeded/);
      assert.match(all[nodeName(2)]?.[1]?.message ?? '', /^member list could not be read: v3: .*; v2: .*connection refused/);
    } finally {
      await etcdLab(['repair', '2']);
    }
    assert.deepEqual(summary(await etcdChecks()).filter((s) => !s.endsWith('=pass')), []);
  });
});
