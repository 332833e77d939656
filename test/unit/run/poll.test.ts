import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attemptLine, outcomeLine } from '../../../src/report/wait.js';
import { verifyUntil } from '../../../src/run/until.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import type { Report } from '../../../src/run/report.js';
import { backoffDelay, formatDuration, parseDuration, waitFor } from '../../../src/run/poll.js';
import type { AttemptInfo, Clock } from '../../../src/run/poll.js';
import { flannel, node } from '../../fixtures/facts/builders.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';

// A clock that only moves when slept on (or when a test moves it): no real waiting.
function fakeClock(): Clock & { slept: number[]; advance(ms: number): void } {
  let t = 0;
  const c = {
    slept: [] as number[],
    now: () => t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => void (t += ms),
  };
  return c;
}

describe('waitFor: backoff and deadline', () => {
  test('backoff doubles from 1 s and is capped at 15 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n)), [1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  test('stops at the first success; the delays follow the backoff', async () => {
    const clock = fakeClock();
    const seen: (number | undefined)[] = [];
    const out = await waitFor(
      async (prev: number | undefined, n) => {
        seen.push(prev);
        return n;
      },
      (r) => r >= 4,
      { timeoutMs: 60_000, clock },
    );
    assert.deepEqual(out, { result: 4, attempts: 4, converged: true });
    assert.deepEqual(clock.slept, [1000, 2000, 4000]);
    assert.deepEqual(seen, [undefined, 1, 2, 3]); // each attempt sees the previous result
  });

  test('out of time: the last sleep is cut to the deadline, one last attempt runs there, not converged', async () => {
    const clock = fakeClock();
    const infos: AttemptInfo<string>[] = [];
    const out = await waitFor(async () => 'bad', () => false, { timeoutMs: 10_000, clock, onAttempt: (i) => infos.push(i) });
    assert.deepEqual(clock.slept, [1000, 2000, 4000, 3000]);
    assert.equal(out.attempts, 5);
    assert.equal(out.converged, false);
    assert.deepEqual(infos.map((i) => [i.attempt, i.nextInMs, i.leftMs]), [[1, 1000, 10000], [2, 2000, 9000], [3, 4000, 7000], [4, 3000, 3000], [5, null, 0]]);
  });

  test('time spent inside an attempt counts against the deadline', async () => {
    const clock = fakeClock();
    const out = await waitFor(
      async () => {
        clock.advance(6000); // e.g. a connect timeout
        return false;
      },
      (r) => r,
      { timeoutMs: 10_000, clock },
    );
    assert.deepEqual(clock.slept, [1000]);
    assert.equal(out.attempts, 2);
  });

  test('an abort stops the loop without another attempt', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    const out = await waitFor(
      async () => {
        if (++calls === 2) controller.abort();
        return false;
      },
      (r) => r,
      { timeoutMs: 60_000, clock, signal: controller.signal },
    );
    assert.equal(calls, 2);
    assert.equal(out.converged, false);
  });
});

describe('durations', () => {
  test('parse the forms --wait takes', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('45'), 45_000);
    assert.equal(parseDuration('2.5s'), 2500);
    for (const bad of ['', 'five', '5 m', '-3s', '5d', 'm5']) assert.equal(parseDuration(bad), null, bad);
  });
  test('format for humans', () => {
    assert.deepEqual([999, 1000, 59_000, 60_000, 90_500].map(formatDuration), ['1s', '1s', '59s', '1m', '1m31s']);
  });
});

// Nodes without a network section: the net.* checks skip, hostname decides pass or fail.
const spec = (name: string): NodeSpec => node({ name, host: `198.18.1.${name.length}`, hostname: name, network: undefined });
const probeSaying = (hostname: string) => probeOutput({ hostname: { body: hostname }, 'hostname.file': { body: hostname } });

describe('verifyUntil: only failing nodes are probed again', () => {
  test('a node that heals on its third probe: passing nodes are probed once, the run converges', async () => {
    const nodes = [spec('a'), spec('bb'), spec('ccc')];
    const inventory: Inventory = { path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes };
    const probes = new Map<string, number>();
    const connect = async (n: NodeSpec) => {
      const count = (probes.get(n.name) ?? 0) + 1;
      probes.set(n.name, count);
      const healthy = n.name !== 'bb' || count >= 3;
      return fakeTransport({ [PROBE]: { stdout: probeSaying(healthy ? n.hostname : 'localhost') } });
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
