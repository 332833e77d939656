import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClusterView } from '../../../src/checks/cluster-view.js';
import { blameDatapath } from '../../../src/checks/flannel-datapath-blame.js';
import { planDatapath } from '../../../src/checks/flannel-datapath-plan.js';
import type { DatapathPlan } from '../../../src/checks/flannel-datapath-plan.js';
import { flannelDatapathCheck } from '../../../src/checks/flannel-datapath.js';
import type { DatapathFact, PeerPings } from '../../../src/facts/gatherers/datapath.js';
import type { NodeFacts } from '../../../src/facts/types.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import { flannel as flannelSpec, node } from '../../fixtures/facts/builders.js';
import { flannelFacts } from '../../helpers/flannel-checks.js';

// n nodes n1…nN, lease 10.1.I.0/24 each, underlay 198.18.1.1I, FLANNEL_MTU 1450 (vxlan).
function cluster(n: number, over: Record<number, Partial<Parameters<typeof flannelFacts>[1]>> = {}) {
  const nodes: NodeSpec[] = Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return node({ name: `n${i}`, host: `198.18.1.1${i}`, network: { interface: 'eth0', address: `198.18.1.1${i}/24`, dns: [], routes: [] } });
  });
  const all: NodeFacts[] = nodes.map((_, k) => flannelFacts(k + 1, { subnetEnv: { present: true, vars: {}, network: '10.1.0.0/16', subnet: `10.1.${k + 1}.1/24`, mtu: 1450 }, ...(over[k + 1] ?? {}) }));
  const inventory: Inventory = { path: '/t/inventory.yaml', cluster: { etcd: { endpoints: ['http://127.0.0.1:2379'] }, flannel: flannelSpec({ enabled: true, network: '10.1.0.0/16' }) }, nodes };
  const facts = new Map(nodes.map((nd, k) => [nd.name, all[k] ?? null]));
  return { nodes, inventory, facts, plan: planDatapath(inventory, buildClusterView(inventory, facts)) };
}

// A network: does an echo of `size` bytes (56: the small one) from a get its answer from b?
type Net = (a: string, b: string, size: number) => boolean;
const healthy: Net = () => true;

// Every node's request as the node would answer it on `net`; `noNeigh`: node → peers it has no
// neighbour entry for (which also cuts those pairs, as the kernel does).
function answer(plan: DatapathPlan, net: Net, noNeigh: Record<string, string[]> = {}, underlay = true): Map<string, DatapathFact> {
  const lacks = (a: string, b: string) => noNeigh[a]?.includes(b) || noNeigh[b]?.includes(a);
  const ok = (a: string, b: string, size: number) => !lacks(a, b) && net(a, b, size);
  const results = new Map<string, DatapathFact>();
  for (const [n, ask] of plan.asks) {
    const peers = ask.targets.map((t): PeerPings => {
      const small = ok(n, t.peer, 56);
      const p: PeerPings = { peer: t.peer, addr: t.addr, small: small ? { ok: true } : { ok: false, why: '1 sent, 0 received' } };
      if (!small) p.underlay = underlay ? { ok: true } : { ok: false, why: '1 sent, 0 received' };
      if (small && ask.size) {
        const dfOk = ok(n, t.peer, ask.size);
        p.df = { ...(dfOk ? { ok: true } : { ok: false, why: '1 sent, 0 received' }), size: ask.size };
        if (!dfOk) {
          let lo = 56;
          for (let s = 57; s < ask.size; s++) if (ok(n, t.peer, s)) lo = s;
          p.largest = lo;
        }
      }
      return p;
    });
    const neigh = (ask.neigh?.peers ?? []).map((p) => ({ ...p, entry: noNeigh[n]?.includes(p.peer) ? null : `${p.addr} lladdr 0e:cc:00:00:00:01 PERMANENT` }));
    results.set(n, { ok: true, peers, neigh });
  }
  return results;
}

const verdicts = (plan: DatapathPlan, results: Map<string, DatapathFact>) => new Map([...blameDatapath({ plan, results })].map(([n, v]) => [n, v.status]));
const statuses = (plan: DatapathPlan, results: Map<string, DatapathFact>) => [...verdicts(plan, results)].map(([n, s]) => `${n}=${s}`).sort();
const message = (plan: DatapathPlan, results: Map<string, DatapathFact>, n: string) => blameDatapath({ plan, results }).get(n)?.message ?? '';
const cutNode = (x: string): Net => (a, b) => a !== x && b !== x;

describe('flannel.datapath: who pings whom', () => {
  test('a ring in inventory order: each node pings the k after it and is pinged by the k before it, deterministically', () => {
    const { plan } = cluster(5);
    assert.deepEqual([...plan.asks].map(([n, a]) => `${n}→${a.targets.map((t) => t.peer).join(',')}`), ['n1→n2,n3', 'n2→n3,n4', 'n3→n4,n5', 'n4→n5,n1', 'n5→n1,n2']);
    assert.deepEqual([...plan.pingers].map(([n, p]) => `${n}←${p.join(',')}`), ['n1←n4,n5', 'n2←n1,n5', 'n3←n1,n2', 'n4←n2,n3', 'n5←n3,n4']);
    const ask = plan.asks.get('n1');
    assert.deepEqual(ask?.targets[0], { peer: 'n2', addr: '10.1.2.0', underlay: '198.18.1.12' });
    assert.equal(ask?.size, 1422);
    // The neighbour entries its echoes and the replies to its pingers need.
    assert.deepEqual(ask?.neigh, { dev: 'flannel.1', peers: ['n2', 'n3', 'n5', 'n4'].map((p) => ({ peer: p, addr: `10.1.${p.slice(1)}.0` })) });
  });

  test('cluster.flannel.datapathPeers: 3 peers each in a ring of 5; more than there are peers is all of them', () => {
    const { inventory, facts } = cluster(5);
    const three = { ...inventory, cluster: { ...inventory.cluster, flannel: { ...inventory.cluster.flannel, datapathPeers: 3 } } };
    const plan = planDatapath(three, buildClusterView(three, facts));
    assert.deepEqual(plan.asks.get('n4')?.targets.map((t) => t.peer), ['n5', 'n1', 'n2']);
    assert.deepEqual(plan.pingers.get('n1'), ['n3', 'n4', 'n5']);
    assert.deepEqual(planDatapath(inventory, buildClusterView(inventory, facts), 9).asks.get('n1')?.targets.map((t) => t.peer), ['n2', 'n3', 'n4', 'n5']);
  });

  test('a node with no lease yet takes no part (skip, saying why); the others ping each other', () => {
    const { plan } = cluster(4, { 3: { subnetEnv: { present: false } } });
    assert.deepEqual([...plan.asks].map(([n, a]) => `${n}→${a.targets.map((t) => t.peer).join(',')}`), ['n1→n2,n4', 'n2→n4,n1', 'n4→n1,n2']);
    const results = answer(plan, healthy);
    assert.deepEqual(statuses(plan, results), ['n1=pass', 'n2=pass', 'n3=skip', 'n4=pass']);
    assert.equal(message(plan, results, 'n3'), 'not tested: n3 has no flannel lease yet (see flannel.lease)');
  });

  test('two nodes with flannel down but one: the one left has no peer to ping', () => {
    const { plan } = cluster(2, { 2: { subnetEnv: { present: false } } });
    assert.equal(plan.asks.size, 0);
    assert.equal(message(plan, new Map(), 'n1'), 'not tested: n1 has no peer with a lease to ping');
  });
});

describe('flannel.datapath: attribution on crafted results', () => {
  test('healthy: every node passes, naming its peers, the backend and the DF size', () => {
    const { plan } = cluster(3);
    const results = answer(plan, healthy);
    assert.deepEqual(statuses(plan, results), ['n1=pass', 'n2=pass', 'n3=pass']);
    assert.equal(message(plan, results, 'n1'), "n1 reaches n2 (10.1.2.0) and n3 (10.1.3.0) over flannel (vxlan, UDP 8472), 1422 bytes with don't-fragment too");
  });

  test('one node cut (inbound UDP 8472 dropped): exactly it fails, naming its pingers, the port and the fix; the others pass naming it', () => {
    const { plan } = cluster(3);
    const results = answer(plan, cutNode('n2'));
    assert.deepEqual(statuses(plan, results), ['n1=pass', 'n2=fail', 'n3=pass']);
    assert.match(message(plan, results, 'n2'), /^no peer reaches n2 \(10\.1\.2\.0\) over flannel \(vxlan, UDP 8472\): echoes from n1 \(10\.1\.1\.0\) and n3 \(10\.1\.3\.0\) get no answer, while they reach other peers; check that n2 \(198\.18\.1\.12\) accepts UDP 8472 from n1 \(198\.18\.1\.11\) and n3 \(198\.18\.1\.13\)/);
    assert.match(message(plan, results, 'n2'), /n2 reaches none of its peers over flannel \(vxlan, UDP 8472\)/);
    assert.match(message(plan, results, 'n1'), /^n1 reaches n3 \(10\.1\.3\.0\) over flannel .*; no answer from n2, which is cut off the overlay \(n2's flannel\.datapath fails\)$/);
  });

  test('two nodes cut in a ring of 6: exactly those two fail', () => {
    const { plan } = cluster(6);
    const net: Net = (a, b) => ![a, b].some((x) => x === 'n2' || x === 'n3');
    assert.deepEqual(statuses(plan, answer(plan, net)), ['n1=pass', 'n2=fail', 'n3=fail', 'n4=pass', 'n5=pass', 'n6=pass']);
  });

  test('two nodes cut, not neighbours on the ring: exactly those two fail', () => {
    const { plan } = cluster(6);
    const net: Net = (a, b) => ![a, b].some((x) => x === 'n2' || x === 'n5');
    assert.deepEqual(statuses(plan, answer(plan, net)), ['n1=pass', 'n2=fail', 'n3=pass', 'n4=pass', 'n5=fail', 'n6=pass']);
  });

  test('a one-way cut: n2 reaches no peer while the others reach n2 and its peers: n2 fails, outbound', () => {
    const { plan } = cluster(4);
    const net: Net = (a) => a !== 'n2';
    const results = answer(plan, net);
    assert.deepEqual(statuses(plan, results), ['n1=pass', 'n2=fail', 'n3=pass', 'n4=pass']);
    assert.match(message(plan, results, 'n2'), /^n2 reaches none of its peers over flannel \(vxlan, UDP 8472\): echoes from n2 \(10\.1\.2\.0\) to n3 \(10\.1\.3\.0\) and n4 \(10\.1\.4\.0\) get no answer, while other nodes reach them; check the firewall on n2 \(198\.18\.1\.12\) for UDP 8472/);
  });

  test('MTU only: small echoes pass, DF echoes to and from n3 fail: exactly n3 fails, as MTU, with the largest size that passed', () => {
    const { plan } = cluster(4);
    // n3's underlay MTU is 1400: 1350 inner bytes fit, 1322 bytes of echo data.
    const net: Net = (a, b, size) => size <= 1322 || (a !== 'n3' && b !== 'n3');
    const results = answer(plan, net);
    assert.deepEqual(statuses(plan, results), ['n1=pass', 'n2=pass', 'n3=fail', 'n4=pass']);
    assert.equal(
      message(plan, results, 'n3'),
      "MTU: echoes of 1422 bytes with don't-fragment (FLANNEL_MTU − 28) between n3 (10.1.3.0) and its peers n1 (10.1.1.0), n2 (10.1.2.0) and n4 (10.1.4.0) get no answer over flannel (vxlan, UDP 8472), while 56-byte echoes pass; the largest that passed is 1322 bytes: check the underlay MTU on n3 (198.18.1.13) and on the path to its peers: vxlan adds 50 bytes (UDP 8472), so FLANNEL_MTU 1450 needs an underlay MTU of 1500",
    );
    assert.match(message(plan, results, 'n1'), /; 1422-byte DF echoes to n3 get no answer: n3's underlay MTU \(n3's flannel\.datapath fails\)$/);
  });

  test('a neighbour entry missing on n1 for n2: n1 fails naming n2 and the fix; n2 passes naming n1', () => {
    const { plan } = cluster(3);
    const results = answer(plan, healthy, { n1: ['n2'] });
    assert.deepEqual(statuses(plan, results), ['n1=fail', 'n2=pass', 'n3=pass']);
    assert.equal(
      message(plan, results, 'n1'),
      "n1 has no neighbour entry for n2's flannel address 10.1.2.0 on flannel.1, so echoes between n1 (10.1.1.0) and n2 (10.1.2.0) over flannel (vxlan, UDP 8472) get no answer: flanneld writes a permanent entry for each peer (its VTEP MAC); restart flanneld on n1 to write them again",
    );
    assert.match(message(plan, results, 'n2'), /no answer from n1: n1 lacks its neighbour entry \(n1's flannel\.datapath fails\)$/);
  });

  test('a pair cut between two nodes that reach everyone else: the pinger fails naming both ends and the firewall between them', () => {
    const { plan } = cluster(4);
    const net: Net = (a, b) => !(a === 'n1' && b === 'n2') && !(a === 'n2' && b === 'n1');
    const results = answer(plan, net);
    assert.deepEqual(statuses(plan, results), ['n1=fail', 'n2=pass', 'n3=pass', 'n4=pass']);
    assert.match(message(plan, results, 'n1'), /^n1 gets no answer from n2 over flannel \(vxlan, UDP 8472\) \(10\.1\.1\.0 → 10\.1\.2\.0\), while both reach other peers: check the firewall between n1 \(198\.18\.1\.11\) and n2 \(198\.18\.1\.12\) for UDP 8472 both ways/);
  });

  test('no echo anywhere while the underlay answers: ICMP may be forbidden, and --skip flannel.datapath is named', () => {
    const { plan } = cluster(3);
    const results = answer(plan, () => false);
    assert.deepEqual(statuses(plan, results), ['n1=fail', 'n2=fail', 'n3=fail']);
    assert.match(message(plan, results, 'n1'), /^no echo crossed the overlay between any two nodes over flannel \(vxlan, UDP 8472\), while the peers' underlay addresses answer ping: either every node drops UDP 8472, or the firewall forbids ICMP on the overlay\. Check UDP 8472 between the underlay addresses \(n1 \(198\.18\.1\.11\) ↔ n2 \(198\.18\.1\.12\) and n1 \(198\.18\.1\.11\) ↔ n3 \(198\.18\.1\.13\)\); if ICMP is forbidden there, run with --skip flannel\.datapath$/);
    assert.match(message(plan, answer(plan, () => false, {}, false), 'n1'), /the underlay addresses do not answer ping either/);
  });

  test('udp backend: port 8285, device flannel0, no neighbour entries asked; an MTU of 1472 needs 1500', () => {
    const tun = { links: [{ ifname: 'flannel0', kind: 'tun', flags: ['UP'], up: true }] };
    const { plan } = cluster(3, { 1: tun, 2: tun, 3: tun });
    assert.equal(plan.backend, 'udp');
    for (const a of plan.asks.values()) assert.equal(a.neigh, undefined);
    const results = answer(plan, cutNode('n3'));
    assert.match(message(plan, results, 'n3'), /^no peer reaches n3 \(10\.1\.3\.0\) over flannel \(udp, UDP 8285\)/);
  });

  test('the check reads the verdict from the cluster view; a node whose request failed is an error, not a fail', () => {
    const { nodes, inventory, facts, plan } = cluster(3);
    const results = answer(plan, healthy);
    results.set('n3', { ok: false, error: 'the echoes got no whole answer within 30s (--command-timeout)' });
    const ctx = { inventory, cluster: buildClusterView(inventory, facts, { datapath: { plan, results } }) };
    const n3 = nodes[2] as NodeSpec;
    assert.deepEqual(flannelDatapathCheck.run(n3, facts.get('n3') as NodeFacts, ctx).map((r) => `${r.status}: ${r.message}`), ['error: Could not check: the echoes got no whole answer within 30s (--command-timeout)']);
    const noRun = { inventory, cluster: buildClusterView(inventory, facts) };
    assert.equal(flannelDatapathCheck.run(n3, facts.get('n3') as NodeFacts, noRun)[0]?.status, 'skip');
  });
});
