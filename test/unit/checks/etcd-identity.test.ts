import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseV2Members, parseV3Members } from '../../../src/etcdctl/cluster-parse.js';
import type { EtcdMember } from '../../../src/etcdctl/cluster-parse.js';
import { describeMatch, describeMember, matchMembers } from '../../../src/checks/etcd-identity.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { captured } from '../../fixtures/etcd/load.js';
import { network, node } from '../../fixtures/facts/builders.js';

const n = (i: number, over: Partial<NodeSpec> = {}) =>
  node({ name: `node${i}`, hostname: `node${i}`, host: `10.0.0.${10 + i}`, roles: ['etcd'], network: network({ address: `10.0.0.${10 + i}/24`, gateway: '10.0.0.1' }), ...over });
const m = (name: string, id: string, peer: string): EtcdMember => ({ id, name, peerURLs: [peer], clientURLs: [] });

describe('which member is which node\'s', () => {
  test('the setup guide: lone member app-etcd-1 peering on 127.0.0.1, on a node named otherwise', () => {
    const id = matchMembers([n(1)], [m('app-etcd-1', 'f4aab1c0ffee', 'http://127.0.0.1:2380')]);
    assert.deepEqual(id.problems, []);
    assert.deepEqual(id.strangers, []);
    assert.equal(id.matches[0]?.by, 'loopback');
    assert.equal(describeMatch(id.matches[0] as never), "node1's member is app-etcd-1 (f4aab1…), the lone member, peering on loopback");
  });
  test('by peer address, whatever the names (machine-id names, ETCD_NAME=%m)', () => {
    const members = [m('3f1c9d0e5a', 'a1', 'http://10.0.0.12:2380'), m('77aa01bc', 'b2', 'http://10.0.0.11:2380')];
    const id = matchMembers([n(1), n(2)], members);
    assert.deepEqual(id.matches.map((x) => `${x.node.name}=${x.member.name} ${x.by}`), ['node1=77aa01bc peer', 'node2=3f1c9d0e5a peer']);
    assert.deepEqual([id.unmatched, id.strangers, id.problems], [[], [], []]);
  });
  test('peer host may be the node\'s host (a DNS name) as well as its network address', () => {
    const id = matchMembers([n(1, { host: 'etcd1.lab.test' })], [m('x', 'c3', 'https://ETCD1.lab.test:2380'), m('y', 'd4', 'http://10.0.0.99:2380')]);
    assert.deepEqual(id.matches.map((x) => x.member.name), ['x']);
    assert.deepEqual(id.strangers.map(describeMember), ['y (d4)']);
  });
  test('pinned etcd.name that differs: named on both sides', () => {
    const id = matchMembers([n(1, { etcd: { endpoints: ['http://127.0.0.1:2379'], name: 'app-etcd-9' } })], [m('app-etcd-1', 'f4aab1c0ffee', 'http://127.0.0.1:2380')]);
    assert.deepEqual(id.problems, ["node1's member is app-etcd-1 (f4aab1…), but the inventory pins etcd.name app-etcd-9: correct nodes[].etcd.name, or the member's name (ETCD_NAME) if app-etcd-9 is meant"]);
  });
  test('found only by name in a cluster: peers elsewhere is a problem; by pinned name too', () => {
    const id = matchMembers([n(1), n(2, { etcd: { name: 'app-etcd-2' } })], [m('node1', 'e5', 'http://127.0.0.1:2380'), m('app-etcd-2', 'f6', 'http://10.9.9.9:2380')]);
    assert.deepEqual(id.matches.map((x) => `${x.node.name}=${x.member.name} ${x.by}`), ['node1=node1 name', 'node2=app-etcd-2 name']);
    assert.match(id.problems[0] ?? '', /^node1's member is node1 \(e5\) by name, but it peers at http:\/\/127\.0\.0\.1:2380, not at node1's address 10\.0\.0\.11$/);
    assert.equal(id.problems.length, 2);
  });
  test('no member for a node; a stranger; loopback does not match when there are two etcd nodes', () => {
    const id = matchMembers([n(1), n(2)], [m('app-etcd-1', 'f7', 'http://127.0.0.1:2380')]);
    assert.deepEqual(id.unmatched.map((x) => x.name), ['node1', 'node2']);
    assert.deepEqual(id.strangers.map((x) => x.name), ['app-etcd-1']);
  });
  test('two members peering at one address: the one named as the node wins, the clash is reported', () => {
    const id = matchMembers([n(1)], [m('other', 'a', 'http://10.0.0.11:2380'), m('node1', 'b', 'http://10.0.0.11:2381')]);
    assert.equal(id.matches[0]?.member.name, 'node1');
    assert.match(id.problems[0] ?? '', /^2 members peer at node1's address/);
  });
  test('captured member lists (lab etcd 3.4, v2 and v3) match by peer', () => {
    for (const r of [parseV3Members(captured('c3-v3-member-list')), parseV2Members(captured('c3-v2-member-list'))]) {
      assert.ok(r.ok);
      const nodes = [1, 2, 3].map((i) => node({ name: `lab-node-${i}`, hostname: `x${i}`, host: `198.18.1.${10 + i}`, roles: ['etcd'] }));
      const id = matchMembers(nodes, r.value);
      assert.deepEqual(id.matches.map((x) => x.by), ['peer', 'peer', 'peer']);
    }
  });
});
