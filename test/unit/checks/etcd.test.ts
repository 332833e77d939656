import { runChecks } from '../../../src/checks/index.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { etcdHealthCheck, etcdMembersCheck } from '../../../src/checks/etcd.js';
import { parseV2Health, parseV2Members, parseV3Health, parseV3Members } from '../../../src/etcdctl/cluster-parse.js';
import type { EtcdFacts } from '../../../src/facts/types.js';
import { ctx, facts, node } from '../../fixtures/facts/builders.js';
import { captured } from '../../fixtures/etcd/load.js';
import { cluster3, etcdNode } from '../../fixtures/etcd/nodes.js';

const value = <T>(p: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!p.ok) throw new Error(p.error);
  return p.value;
};
const etcdFacts = (over: Partial<EtcdFacts>): EtcdFacts => ({ etcdctl: true, api: 'v3', health: [], members: [], ...over });
const healthy3 = etcdFacts({ health: value(parseV3Health(captured('c3-stopped-v3-endpoint-health'))).map((h) => ({ endpoint: h.endpoint, healthy: true })), members: value(parseV3Members(captured('c3-v3-member-list'))) });
const stopped3 = etcdFacts({ health: value(parseV3Health(captured('c3-stopped-v3-endpoint-health'))), members: value(parseV3Members(captured('c3-stopped-v3-member-list'))) });
const run = (check: typeof etcdHealthCheck, n = cluster3[0]!, e: EtcdFacts | undefined = healthy3, nodes = cluster3) => check.run(n, facts(e ? { etcd: e } : {}), ctx(...nodes));

describe('etcd.health', () => {
  test('every endpoint healthy: pass, naming the API and endpoints', () => {
    const [r] = run(etcdHealthCheck);
    assert.equal(r?.status, 'pass');
    assert.match(r?.message ?? '', /^3 endpoints healthy \(v3 endpoint health: /);
  });
  test('a stopped member: fail naming its endpoint and etcdctl\'s reason (v3 and v2)', () => {
    const [r] = run(etcdHealthCheck, cluster3[0], stopped3);
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, 'unhealthy (v3 endpoint health): http://198.18.1.12:2379 (context deadline exceeded)');
    const v2 = etcdFacts({ api: 'v2', health: value(parseV2Health(captured('c3-stopped-v2-cluster-health'))), members: value(parseV2Members(captured('c3-stopped-v2-member-list'))) });
    const [r2] = run(etcdHealthCheck, cluster3[0], v2);
    assert.equal(r2?.status, 'fail');
    assert.match(r2?.message ?? '', /^unhealthy \(v2 cluster-health\): http:\/\/198\.18\.1\.12:2379 \(Get .*connection refused\)$/);
  });
  test('etcdctl missing: error "etcdctl not found on NODE"; a node without the etcd role gets no etcd result', () => {
    const [r] = run(etcdHealthCheck, cluster3[1], etcdFacts({ etcdctl: false, health: null, members: null }));
    assert.equal(r?.status, 'error');
    assert.match(r?.message ?? '', /^etcdctl not found on lab-node-2/);
    const inv = ctx(node(), ...cluster3).inventory;
    assert.deepEqual([etcdHealthCheck.appliesTo(node(), inv), etcdMembersCheck.appliesTo(node(), inv), etcdHealthCheck.appliesTo(cluster3[0]!, inv)], [false, false, true]);
    assert.deepEqual(runChecks(node(), facts(), ctx(node(), ...cluster3)).filter((r) => r.id.startsWith('etcd.')), []);
  });
  test('no facts at all (gatherer threw): error with the problem', () => {
    const [r] = etcdHealthCheck.run(cluster3[0]!, facts({ etcd: null, problems: ['etcd: could not be gathered: boom'] }), ctx(...cluster3));
    assert.equal(r?.status, 'error');
    assert.match(r?.message ?? '', /etcd: could not be gathered: boom/);
  });
});

describe('etcd.members', () => {
  test('healthy 3-member cluster: pass on every node', () => {
    for (const n of cluster3) {
      const [r] = run(etcdMembersCheck, n);
      assert.equal(r?.status, 'pass', r?.message);
      assert.equal(r?.actual, 'lab-node-1, lab-node-2, lab-node-3');
    }
  });
  test('a stopped member stays in the list: fails on its own node only, naming it', () => {
    const results = cluster3.map((n) => run(etcdMembersCheck, n, stopped3)[0]);
    assert.deepEqual(results.map((r) => r?.status), ['pass', 'fail', 'pass']);
    assert.match(results[1]?.message ?? '', /lab-node-2's own member lab-node-2 \(138e19…\) does not answer at http:\/\/198\.18\.1\.12:2379 \(context deadline exceeded\)/);
  });
  test('a missing and an unexpected member are both named', () => {
    const inv = [etcdNode(1), etcdNode(2), etcdNode(4)];
    const [r] = run(etcdMembersCheck, inv[0], healthy3, inv);
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /lab-node-4 has no member: none peers at its address 198\.18\.1\.14 or is named lab-node-4/);
    assert.match(r?.message ?? '', /unexpected member lab-node-3 \(b63f5a…\) peering at http:\/\/198\.18\.1\.13:2380: no etcd node of the inventory has that address/);
  });
  test('peer URLs must point at the node address; loopback only for a lone member', () => {
    const moved = etcdFacts({ members: [{ id: '1', name: 'lab-node-1', peerURLs: ['http://10.9.9.9:2380'], clientURLs: [] }], health: [] });
    const [r] = run(etcdMembersCheck, cluster3[0], moved, [cluster3[0]!]);
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /lab-node-1's member is lab-node-1 \(1\) by name, but it peers at http:\/\/10\.9\.9\.9:2380, not at lab-node-1's address 198\.18\.1\.11/);
    const single = etcdFacts({ members: value(parseV3Members(captured('v3-member-list'))), health: value(parseV3Health(captured('v3-endpoint-health'))) });
    assert.equal(run(etcdMembersCheck, cluster3[0], single, [cluster3[0]!])[0]?.status, 'pass');
    const lonely = etcdFacts({ members: value(parseV3Members(captured('v3-member-list'))) });
    assert.equal(run(etcdMembersCheck, cluster3[0], lonely, cluster3.slice(0, 2))[0]?.status, 'fail');
  });
  test('the setup guide: member app-etcd-1 peering on loopback on a node named otherwise passes, naming both sides', () => {
    const guide = etcdFacts({ members: [{ id: 'f4aab1c0ffee0001', name: 'app-etcd-1', peerURLs: ['http://127.0.0.1:2380'], clientURLs: ['http://localhost:2379'] }], health: [{ endpoint: 'http://localhost:2379', healthy: true }] });
    const [r] = run(etcdMembersCheck, cluster3[0], guide, [cluster3[0]!]);
    assert.equal(r?.status, 'pass', r?.message);
    assert.equal(r?.message, "1 member as in the inventory (v3): lab-node-1's member is app-etcd-1 (f4aab1…), the lone member, peering on loopback");
  });
  test('members named otherwise (app-etcd-N, machine-ids) match by peer address', () => {
    const renamed = etcdFacts({ members: healthy3.members?.map((m, i) => ({ ...m, name: `app-etcd-${i + 1}` })) ?? null });
    const [r] = run(etcdMembersCheck, cluster3[1], renamed);
    assert.equal(r?.status, 'pass', r?.message);
    assert.match(r?.message ?? '', /lab-node-2's member is app-etcd-\d \([0-9a-f]{6}…\), peering at its address/);
  });
  test('member list unreadable: fail with etcdctl\'s message', () => {
    const [r] = run(etcdMembersCheck, cluster3[0], etcdFacts({ members: null, membersError: 'v3: etcdctl exited 1: Error: context deadline exceeded' }));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /member list could not be read: v3: etcdctl exited 1: Error: context deadline exceeded/);
  });
});
