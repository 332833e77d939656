import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { datapathScript } from '../../../src/facts/gatherers/datapath.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import { sendDatapath } from '../../../src/run/datapath.js';
import { runVerify } from '../../../src/run/verify.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { NodeGathered } from '../../../src/run/gather-node.js';
import { framePart } from '../../../src/util/frames.js';
import { flannel as flannelSpec, node } from '../../fixtures/facts/builders.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import type { FakeAnswer, FakeTransport } from '../../helpers/fake-transport.js';
import { flannelFacts } from '../../helpers/flannel-checks.js';
import { TEST_NONCE } from '../../helpers/nonce.js';

const NODES: NodeSpec[] = [1, 2, 3].map((i) => node({ name: `n${i}`, host: `198.18.1.1${i}`, network: { interface: 'eth0', address: `198.18.1.1${i}/24`, dns: [], routes: [] } }));
const inventory: Inventory = { path: '/t/inventory.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannelSpec({ enabled: true, network: '10.1.0.0/16' }) }, nodes: NODES };
const gathered: NodeGathered[] = NODES.map((n, k) => ({
  node: n,
  durationMs: 1,
  ssh: { id: 'ssh', status: 'pass', expected: null, actual: null, message: '' },
  gathered: { ok: true, facts: flannelFacts(k + 1, { subnetEnv: { present: true, vars: {}, network: '10.1.0.0/16', subnet: `10.1.${k + 1}.1/24`, mtu: 1450 } }) },
}));

// Node i's request as the plan makes it: echoes to the two after it on the ring.
const scriptOf = (i: number) => {
  const peers = [1, 2].map((d) => ((i - 1 + d) % 3) + 1);
  const pingers = [1, 2].map((d) => ((i - 1 - d + 3) % 3) + 1);
  const uniq = [...new Set([...peers, ...pingers])];
  return datapathScript({
    targets: peers.map((p) => ({ peer: `n${p}`, addr: `10.1.${p}.0`, underlay: `198.18.1.1${p}` })),
    waitS: 1,
    size: 1422,
    neigh: { dev: 'flannel.1', peers: uniq.map((p) => ({ peer: `n${p}`, addr: `10.1.${p}.0` })) },
  });
};
const REPLY = ['dp.0.s', 'dp.0.d', 'dp.1.s', 'dp.1.d'].map((p) => framePart(TEST_NONCE, p, 0, '1 packets transmitted, 1 received, 0% packet loss, time 0ms')).join('');

function connectWith(answer: (i: number) => FakeAnswer) {
  const transports = new Map<string, FakeTransport>();
  const connect = async (n: NodeSpec) => {
    const i = Number(n.name.slice(1));
    const t = fakeTransport({ [scriptOf(i)]: answer(i) });
    transports.set(n.name, t);
    return t;
  };
  return { connect, transports };
}

describe('run/datapath: flannel.datapath\'s one request a node in the cluster phase', () => {
  test('every flannel node gets one request, its peers quoted in it; the answers are read with its nonce', async () => {
    const { connect, transports } = connectWith(() => ({ stdout: REPLY }));
    const r = await sendDatapath(inventory, gathered, { connect, concurrency: 2, commandTimeoutMs: 5000 });
    assert.deepEqual([...transports].map(([n, t]) => `${n}: ${t.commands.length} request, closed ${t.closed}`), ['n1: 1 request, closed true', 'n2: 1 request, closed true', 'n3: 1 request, closed true']);
    assert.deepEqual([...(r.datapath?.results ?? [])].map(([n, f]) => `${n}: ${f.ok && f.peers.map((p) => `${p.peer} ${p.small.ok} ${p.df?.ok}`).join(', ')}`), ['n1: n2 true true, n3 true true', 'n2: n3 true true, n1 true true', 'n3: n1 true true, n2 true true']);
  });

  test('--skip flannel.datapath (or --only net): nothing is sent, nothing connects', async () => {
    let connects = 0;
    const connect = async () => {
      connects++;
      return fakeTransport({});
    };
    assert.deepEqual(await sendDatapath(inventory, gathered, { connect, concurrency: 2, commandTimeoutMs: 5000, checks: { skip: ['flannel.datapath'] } }), {});
    assert.deepEqual(await sendDatapath(inventory, gathered, { connect, concurrency: 2, commandTimeoutMs: 5000, checks: { only: ['net'] } }), {});
    assert.equal(connects, 0);
  });

  test('a node whose request times out, or that cannot be reached, is an error for that node alone; a busy node (--watch) is not asked', async () => {
    const { connect } = connectWith((i) => (i === 2 ? { stdout: '', timedOut: true, code: null } : { stdout: REPLY }));
    const failing = async (n: NodeSpec) => (n.name === 'n3' ? Promise.reject(new Error('connect ECONNREFUSED')) : connect(n));
    const r = await sendDatapath(inventory, gathered, { connect: failing, concurrency: 3, commandTimeoutMs: 5000 }, new Set(['n1']));
    assert.deepEqual([...(r.datapath?.results ?? [])].sort().map(([n, f]) => `${n}: ${f.ok ? 'ok' : f.error}`), [
      'n2: the echoes got no whole answer within 5s (--command-timeout)',
      'n3: the echoes could not run: connect ECONNREFUSED',
    ]);
  });
});

describe('runVerify: flannel.datapath over the connection each node was gathered on', () => {
  test('one connection a node: the probe, then the echoes once every lease is known; closed at the end', async () => {
    const probe = (i: number) =>
      probeOutput({
        'flannel.env': { body: `FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.${i}.1/24\nFLANNEL_MTU=1450\n` },
        links: { fmt: 'json', body: JSON.stringify([{ ifname: 'flannel.1', flags: ['UP'], linkinfo: { info_kind: 'vxlan', info_data: { id: 1 } } }]) },
      });
    const transports: FakeTransport[] = [];
    const connect = async (n: NodeSpec) => {
      const i = Number(n.name.slice(1));
      const t = fakeTransport({ [PROBE]: { stdout: probe(i) }, [scriptOf(i)]: { stdout: REPLY } });
      transports.push(t);
      return t;
    };
    const report = await runVerify(inventory, NODES, { connect, concurrency: 3, commandTimeoutMs: 5000, checks: { only: ['flannel.datapath'] } });
    assert.equal(transports.length, 3);
    assert.deepEqual(transports.map((t) => [t.commands.length, t.closed]), [[2, true], [2, true], [2, true]]);
    assert.deepEqual(report.nodes.map((n) => n.checks.map((c) => `${c.id}=${c.status}`).join(' ')), ['ssh=pass flannel.datapath=pass', 'ssh=pass flannel.datapath=pass', 'ssh=pass flannel.datapath=pass']);
  });
});
