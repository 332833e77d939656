import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attemptLine, outcomeLine } from '../../../src/report/wait.js';
import { verifyUntil } from '../../../src/run/until.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import type { Report } from '../../../src/run/results.js';
import type { AttemptInfo } from '../../../src/run/poll.js';
import { flannel, node } from '../../fixtures/facts/builders.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import { fakeClock } from '../../helpers/clock.js';

// Nodes without a network section: the net.* checks skip, hostname decides pass or fail.
const spec = (name: string): NodeSpec => node({ name, host: `198.18.1.${name.length}`, hostname: name, network: undefined });
// No /etc/.ignition-result.json: the ignition check skips.
const NO_IGNITION = { body: 'cat: /etc/.ignition-result.json: No such file or directory', rc: 1 };
const probeSaying = (hostname: string) => probeOutput({ hostname: { body: hostname }, 'hostname.file': { body: hostname }, 'ignition.result': NO_IGNITION });

describe('verifyUntil: only failing nodes are probed again', () => {
  test('a node that heals on its third probe: passing nodes are probed once, the run converges', async () => {
    const nodes = [spec('a'), spec('bb'), spec('ccc')];
    const inventory: Inventory = { path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes };
    const probes = new Map<string, number>();
    const connects = new Map<string, number>();
    const connect = async (n: NodeSpec) => {
      connects.set(n.name, (connects.get(n.name) ?? 0) + 1);
      return fakeTransport({
        [PROBE]: async () => {
          const count = (probes.get(n.name) ?? 0) + 1;
          probes.set(n.name, count);
          const healthy = n.name !== 'bb' || count >= 3;
          return { stdout: probeSaying(healthy ? n.hostname : 'localhost'), stderr: '', code: 0, timedOut: false };
        },
      });
    };
    const clock = fakeClock();
    const lines: string[] = [];
    const out = await verifyUntil(inventory, nodes, { connect, concurrency: 2, commandTimeoutMs: 1000 }, {
      timeoutMs: 60_000,
      clock,
      onAttempt: (i) => lines.push(attemptLine(i, 60_000)),
    });
    assert.equal(out.converged, true);
    assert.equal(out.attempts, 3);
    assert.deepEqual(Object.fromEntries(probes), { a: 1, bb: 3, ccc: 1 });
    assert.deepEqual(Object.fromEntries(connects), { a: 1, bb: 1, ccc: 1 }, 'one kept connection per node for every attempt');
    assert.deepEqual(out.result.nodes.map((n) => n.name), ['a', 'bb', 'ccc']); // inventory order kept
    assert.equal(out.result.ok, true);
    assert.deepEqual(lines, [
      '--wait: attempt 1: 1 node failing (bb: hostname,hostname.file); next attempt in 1s, 1m left',
      '--wait: attempt 2: 1 node failing (bb: hostname,hostname.file); next attempt in 2s, 59s left',
      '--wait: attempt 3: every check passes',
    ]);
    assert.match(outcomeLine(out, 60_000), /^--wait: converged after 3 attempts in /);
  });

  test('never heals: the last results are the failing ones and the outcome says so', async () => {
    const nodes = [spec('a')];
    const inventory: Inventory = { path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes };
    const connect = async () => fakeTransport({ [PROBE]: { stdout: probeSaying('wrong') } });
    const out = await verifyUntil(inventory, nodes, { connect, concurrency: 1, commandTimeoutMs: 1000 }, { timeoutMs: 3000, clock: fakeClock() });
    assert.equal(out.converged, false);
    assert.equal(out.attempts, 3); // t=0, t=1s, t=3s (the 2 s sleep cut to what was left)
    const hostname = out.result.nodes[0]?.checks.find((c) => c.id === 'hostname');
    assert.deepEqual([hostname?.status, hostname?.expected, hostname?.actual], ['fail', 'a', 'wrong']);
    assert.match(outcomeLine(out, 3000), /still failing after 3 attempts .*\(--wait 3s\); the results above are from the last attempt/);
    const last: AttemptInfo<Report> = { attempt: 3, result: out.result, done: false, nextInMs: null, leftMs: 0 };
    assert.equal(attemptLine(last, 3000), '--wait: attempt 3: 1 node failing (a: hostname,hostname.file); out of time (--wait 3s)');
  });
});
