import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PROBE } from '../../../src/facts/probe.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import { makeConnect } from '../../../src/run/connect.js';
import { defaultNodeTimeoutMs } from '../../../src/run/deadline.js';
import type { Report } from '../../../src/run/results.js';
import { verifyUntil } from '../../../src/run/until.js';
import { runVerify } from '../../../src/run/verify.js';
import { watchVerify } from '../../../src/run/watch.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { flannel, node } from '../../fixtures/facts/builders.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import { startTestServer } from '../../helpers/ssh-server.js';
import type { Handler, ServerOptions, TestServer } from '../../helpers/ssh-server.js';

// Nodes without a network section: the net.* checks skip, hostname decides pass or fail.
const spec = (name: string, over: Partial<NodeSpec> = {}): NodeSpec => node({ name, host: `198.18.1.${name.length}`, hostname: name, network: undefined, ...over });
const NO_IGNITION = { body: 'cat: /etc/.ignition-result.json: No such file or directory', rc: 1 };
const probeSaying = (hostname: string) => probeOutput({ hostname: { body: hostname }, 'hostname.file': { body: hostname }, 'ignition.result': NO_IGNITION });
const inventoryOf = (nodes: NodeSpec[]): Inventory => ({ path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes });
const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', code: 0, timedOut: false });
const nodeOf = (r: Report, name: string) => r.nodes.find((n) => n.name === name);
const never = <T>() => new Promise<T>(() => undefined);

describe('--node-timeout: its default', () => {
  test('every connect attempt, the longest pauses between them, and the command timeout per command', () => {
    assert.equal(defaultNodeTimeoutMs({ connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 }), 10_000 + 60_000);
    // --retries 2: three attempts, pauses of at most 625 and 1250 ms (transport/retry.ts).
    assert.equal(defaultNodeTimeoutMs({ connectTimeoutMs: 10_000, commandTimeoutMs: 30_000, retries: 2 }), 30_000 + 1875 + 60_000);
    assert.equal(defaultNodeTimeoutMs({ connectTimeoutMs: 5000, commandTimeoutMs: 10_000 }, 11), 5000 + 110_000);
  });
});

describe('--node-timeout with a fake transport', () => {
  const a = spec('a');
  const late = spec('late');

  test("a connect that never ends is that node's ssh failure at its deadline; the other node is checked as usual", async () => {
    const started = performance.now();
    const report = await runVerify(inventoryOf([a, late]), [a, late], {
      connect: async (n) => (n.name === 'late' ? never() : fakeTransport({ [PROBE]: ok(probeSaying('a')) })),
      concurrency: 2,
      commandTimeoutMs: 30_000,
      nodeTimeoutMs: 300,
    });
    const took = performance.now() - started;
    assert.ok(took < 300 + 1000, `took ${took} ms`);
    assert.equal(nodeOf(report, 'late')?.checks[0]?.status, 'fail');
    assert.equal(nodeOf(report, 'late')?.checks[0]?.actual, "no answer within the node's 0.3s deadline (--node-timeout): stalled at connect: the connection was not up");
    assert.equal(nodeOf(report, 'a')?.checks.find((c) => c.id === 'hostname')?.status, 'pass');
  });

  test('each request gets only what is left of the deadline; the one cut short makes the node an error naming its step', async () => {
    const asked: (number | undefined)[] = [];
    const t = fakeTransport({
      [PROBE]: async (timeoutMs) => {
        asked.push(timeoutMs);
        await new Promise((res) => setTimeout(res, timeoutMs));
        return { stdout: '', stderr: '', code: null, timedOut: true, stalled: 'exec' };
      },
    });
    const started = performance.now();
    const report = await runVerify(inventoryOf([a]), [a], { connect: async () => t, concurrency: 1, commandTimeoutMs: 30_000, nodeTimeoutMs: 200 });
    const took = performance.now() - started;
    assert.ok(took < 200 + 1000, `took ${took} ms`);
    assert.ok((asked[0] ?? Infinity) <= 200, `the probe was given ${asked[0]} ms`);
    const checks = nodeOf(report, 'a')?.checks ?? [];
    assert.equal(checks[0]?.status, 'pass', 'connected');
    assert.deepEqual(new Set(checks.slice(1).map((c) => c.status)), new Set(['error']));
    assert.deepEqual(new Set(checks.slice(1).map((c) => c.message)), new Set(["no answer within the node's 0.2s deadline (--node-timeout): stalled at exec: the node never answered the exec request"]));
    assert.equal(t.closed, true);
  });

  test('--wait: no attempt waits past the deadline of a node whose every probe stalls; the healthy node is probed once', async () => {
    const probes = new Map<string, number>();
    const connect = async (n: NodeSpec) =>
      fakeTransport({
        [PROBE]: async (timeoutMs) => {
          probes.set(n.name, (probes.get(n.name) ?? 0) + 1);
          if (n.name === 'a') return ok(probeSaying('a'));
          await new Promise((res) => setTimeout(res, timeoutMs));
          return { stdout: '', stderr: '', code: null, timedOut: true, stalled: 'channel' };
        },
      });
    const attempts: number[] = [];
    const started = performance.now();
    const out = await verifyUntil(inventoryOf([a, late]), [a, late], { connect, concurrency: 2, commandTimeoutMs: 30_000, nodeTimeoutMs: 200 }, {
      timeoutMs: 1000,
      onAttempt: () => void attempts.push(performance.now() - started),
    });
    assert.equal(out.converged, false);
    assert.ok(performance.now() - started < 1000 + 200 + 1000, `took ${performance.now() - started} ms`);
    assert.ok(attempts.length >= 2, `attempts at ${attempts.join(', ')} ms`);
    assert.equal(probes.get('a'), 1);
    assert.match(nodeOf(out.result, 'late')?.checks[1]?.message ?? '', /stalled at channel: the node never confirmed the session channel$/);
  });

  test('a transport that ignores its timeout still ends the node, a grace after the deadline', async () => {
    const t = fakeTransport({ [PROBE]: () => never() });
    const started = performance.now();
    const report = await runVerify(inventoryOf([a]), [a], { connect: async () => t, concurrency: 1, commandTimeoutMs: 30_000, nodeTimeoutMs: 200 });
    const took = performance.now() - started;
    assert.ok(took < 200 + 2000, `took ${took} ms`);
    assert.match(nodeOf(report, 'a')?.checks[1]?.message ?? '', /^no answer within the node's 0\.2s deadline \(--node-timeout\): stalled at reply/);
    assert.equal(t.closed, true);
  });
});

// The four ways a node that took the connection can hold a request, each against a real SSH client.
const STALLS: { name: string; step: string; handler: Handler; options?: ServerOptions }[] = [
  { name: 'never confirms the session channel', step: 'channel', handler: { stdout: probeSaying('x') }, options: { stall: 'channel' } },
  { name: 'confirms it but never answers exec', step: 'exec', handler: { stdout: probeSaying('x') }, options: { stall: 'exec' } },
  { name: 'answers exec and then sends nothing', step: 'reply', handler: 'hang' },
  { name: 'trickles its reply a byte a millisecond', step: 'reply', handler: 'trickle' },
];

describe('--node-timeout over real SSH (in-process ssh2 servers): a stalled node is an error in time, the healthy one is checked', () => {
  let healthy: TestServer;
  before(async () => {
    healthy = await startTestServer({ [PROBE]: { stdout: probeSaying('good') } });
  });
  after(() => healthy.close());

  const at = (s: TestServer, name: string) => spec(name, { host: '127.0.0.1', port: s.port, identityFile: s.identityFile, knownHostsFile: s.knownHostsFile });
  const io = { stdout: process.stdout, stderr: process.stderr, env: {}, signal: new AbortController().signal };
  const connect = makeConnect({ connectTimeoutMs: 5000, ssh: { sshConfig: false, retries: 0, connectTimeoutExplicit: true } }, io, () => undefined);
  const DEADLINE = 1500;

  for (const stall of STALLS) {
    test(`a node that ${stall.name}: error at ${stall.step}`, async () => {
      const bad = await startTestServer({ [PROBE]: stall.handler }, stall.options);
      try {
        const nodes = [at(healthy, 'good'), at(bad, 'bad')];
        const started = performance.now();
        const report = await runVerify(inventoryOf(nodes), nodes, { connect, concurrency: 2, commandTimeoutMs: 60_000, nodeTimeoutMs: DEADLINE });
        const took = performance.now() - started;
        assert.ok(took < DEADLINE + 1000, `took ${took} ms`);
        const b = nodeOf(report, 'bad')?.checks ?? [];
        assert.equal(b[0]?.status, 'pass', 'the connection itself was up');
        assert.deepEqual(new Set(b.slice(1).map((c) => c.status)), new Set(['error']));
        assert.match(b[1]?.message ?? '', new RegExp(`^no answer within the node's 1\\.5s deadline \\(--node-timeout\\): stalled at ${stall.step}: `));
        assert.equal(nodeOf(report, 'good')?.checks.find((c) => c.id === 'hostname')?.status, 'pass');
      } finally {
        await bad.close();
      }
    });
  }

  test('--watch goes on to its next round: the healthy node is in every round, the silent one stale while within its deadline, then its error', async () => {
    const bad = await startTestServer({ [PROBE]: 'hang' });
    try {
      const nodes = [at(healthy, 'good'), at(bad, 'bad')];
      const rounds: Report[] = [];
      await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 2, commandTimeoutMs: 60_000, nodeTimeoutMs: DEADLINE }, { intervalMs: 200, rounds: 3, observer: { round: (r) => void rounds.push(r.report) } });
      assert.deepEqual(rounds.map((r) => [nodeOf(r, 'good')?.stale ?? false, nodeOf(r, 'good')?.checks.find((c) => c.id === 'hostname')?.status]), [[false, 'pass'], [false, 'pass'], [false, 'pass']]);
      assert.deepEqual(rounds.map((r) => [nodeOf(r, 'bad')?.stale ?? false, nodeOf(r, 'bad')?.checks[1]?.status]), [[false, 'error'], [true, 'error'], [false, 'error']]);
      assert.match(nodeOf(rounds[2] as Report, 'bad')?.checks[1]?.message ?? '', /stalled at reply: no end of reply$/);
    } finally {
      await bad.close();
    }
  });

  test('without --node-timeout, the command timeout alone covers the channel: a probe stuck at exec is an error naming it', async () => {
    const bad = await startTestServer({ [PROBE]: { stdout: probeSaying('x') } }, { stall: 'exec' });
    try {
      const nodes = [at(bad, 'bad')];
      const started = performance.now();
      const report = await runVerify(inventoryOf(nodes), nodes, { connect, concurrency: 1, commandTimeoutMs: 1000 });
      assert.ok(performance.now() - started < 1000 + 1000);
      assert.equal(nodeOf(report, 'bad')?.checks[1]?.message, 'probe timed out after 1s and was stopped (stalled at exec: the node never answered the exec request)');
    } finally {
      await bad.close();
    }
  });
});
