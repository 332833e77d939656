import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runProbe } from '../../../src/facts/collect.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import type { ConnectionEvent } from '../../../src/run/kept.js';
import { makeConnect } from '../../../src/run/connect.js';
import type { Report } from '../../../src/run/results.js';
import { realClock } from '../../../src/run/poll.js';
import { changesBetween, watchVerify } from '../../../src/run/watch.js';
import type { WatchRound } from '../../../src/run/watch.js';
import { roundLines } from '../../../src/report/watch.js';
import { formatJsonLine } from '../../../src/report/json.js';
import { makeChalk } from '../../../src/report/format.js';
import { flannel, node } from '../../fixtures/facts/builders.js';
import { fakeClock } from '../../helpers/clock.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import type { FakeTransport } from '../../helpers/fake-transport.js';
import { startTestServer } from '../../helpers/ssh-server.js';
import type { TestServer } from '../../helpers/ssh-server.js';

// Nodes without a network section: the net.* checks skip, hostname decides pass or fail.
const spec = (name: string, over: Partial<NodeSpec> = {}): NodeSpec => node({ name, host: `198.18.1.${name.length}`, hostname: name, network: undefined, ...over });
const NO_IGNITION = { body: 'cat: /etc/.ignition-result.json: No such file or directory', rc: 1 };
const probeSaying = (hostname: string) => probeOutput({ hostname: { body: hostname }, 'hostname.file': { body: hostname }, 'ignition.result': NO_IGNITION });
const inventoryOf = (nodes: NodeSpec[]): Inventory => ({ path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes });
const ok = (stdout: string) => ({ stdout, stderr: '', code: 0, timedOut: false });
const statusOf = (r: Report, name: string, id: string) => r.nodes.find((n) => n.name === name)?.checks.find((c) => c.id === id)?.status;
const describeChange = (r: WatchRound) => r.changes.map((c) => `${c.node} ${c.to?.id ?? c.from?.id}: ${c.from?.status ?? 'new'} → ${c.to?.status ?? 'gone'}`);

describe('watchVerify: one kept connection per node, rounds every interval, what changed', () => {
  test('changes are reported in the round they are seen, and back again', async () => {
    const nodes = [spec('a'), spec('bb')];
    const transports: FakeTransport[] = [];
    let round = 0;
    const connect = async (n: NodeSpec) => {
      const t = fakeTransport({ [PROBE]: async () => ok(probeSaying(n.name === 'bb' && round === 2 ? 'localhost' : n.hostname)) });
      transports.push(t);
      return t;
    };
    const clock = fakeClock();
    const rounds: WatchRound[] = [];
    round = 1;
    await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 4, commandTimeoutMs: 1000 }, {
      intervalMs: 5000,
      clock,
      wall: () => Date.UTC(2026, 0, 1, 12, 0, 0) + clock.now(),
      rounds: 3,
      observer: {
        round: (r) => {
          rounds.push(r);
          round = r.round + 1;
        },
      },
    });
    assert.deepEqual(rounds.map(describeChange), [[], ['bb hostname: pass → fail', 'bb hostname.file: pass → fail'], ['bb hostname: fail → pass', 'bb hostname.file: fail → pass']]);
    assert.deepEqual(rounds.map((r) => r.report.ok), [true, false, true]);
    assert.equal(transports.length, 2, 'one connection per node for all three rounds');
    assert.deepEqual(transports.map((t) => t.commands.length), [3, 3]);
    assert.ok(transports.every((t) => t.closed), 'every kept connection is closed at the end');
    assert.deepEqual(clock.slept, [5000, 5000], 'the interval runs from one round start to the next');
    assert.deepEqual(rounds.map((r) => r.at - Date.UTC(2026, 0, 1, 12, 0, 0)), [0, 5000, 10000]);
    const lines = roundLines(rounds[1] as WatchRound, makeChalk(false, {})).split('\n');
    assert.match(lines[0] ?? '', /^\d\d:\d\d:\d\d PASS → FAIL  bb hostname: hostname is localhost/);
    assert.match(lines[2] ?? '', /^\d\d:\d\d:\d\d NOT OK: 2 nodes, \d+ passed, 2 failed/);
    assert.equal(roundLines({ ...(rounds[0] as WatchRound), changes: [] }, makeChalk(false, {})), '', 'a round without changes prints nothing');
  });

  test('a dropped connection is opened again; failed attempts back off and the round does not wait for them', async () => {
    const nodes = [spec('a')];
    const clock = fakeClock();
    const attempts: number[] = [];
    const events: string[] = [];
    let probes = 0;
    const connect = async () => {
      attempts.push(clock.now());
      // t=0: up; t=2000 and t=3000: the node is rebooting; t=5000: back.
      if (clock.now() === 2000 || clock.now() === 3000) throw new Error('connect ECONNREFUSED 198.18.1.1:22');
      return fakeTransport({
        [PROBE]: async () => {
          probes++;
          if (clock.now() === 1000) throw new Error('connection lost: read ECONNRESET');
          return ok(probeSaying('a'));
        },
      });
    };
    const ssh: string[] = [];
    await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 1, commandTimeoutMs: 1000 }, {
      intervalMs: 1000,
      clock,
      rounds: 6,
      observer: {
        round: (r) => void ssh.push(`${statusOf(r.report, 'a', 'ssh')} ${statusOf(r.report, 'a', 'hostname')}`),
        connection: (e: ConnectionEvent) => void events.push(e.kind === 'lost' ? `lost: ${e.why}` : `reconnected after ${e.after}`),
      },
    });
    assert.deepEqual(attempts, [0, 2000, 3000, 5000], 'no attempt at t=4000: the second failure backs off 2 s');
    assert.deepEqual(ssh, ['pass pass', 'pass error', 'fail skip', 'fail skip', 'fail skip', 'pass pass']);
    assert.deepEqual(events, ['lost: read ECONNRESET', 'reconnected after 2']);
    assert.equal(probes, 3);
  });

  test("the waiting node's ssh result says why and when the next attempt is", async () => {
    const nodes = [spec('a')];
    const clock = fakeClock();
    const connect = async () => {
      throw new Error('connect ETIMEDOUT');
    };
    const reports: Report[] = [];
    await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 1, commandTimeoutMs: 1000 }, { intervalMs: 500, clock, rounds: 2, observer: { round: (r) => void reports.push(r.report) } });
    assert.match(reports[1]?.nodes[0]?.checks[0]?.actual ?? '', /^connect ETIMEDOUT; next attempt in 1s$/);
  });

  test('Ctrl-C while waiting for the next round: no further round, every connection closed', async () => {
    const nodes = [spec('a'), spec('bb')];
    const transports: FakeTransport[] = [];
    const connect = async (n: NodeSpec) => {
      const t = fakeTransport({ [PROBE]: ok(probeSaying(n.hostname)) });
      transports.push(t);
      return t;
    };
    const ctrl = new AbortController();
    const rounds: number[] = [];
    const clock = { now: () => 0, sleep: async () => ctrl.abort() };
    const last = await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 2, commandTimeoutMs: 1000 }, { intervalMs: 5000, clock, signal: ctrl.signal, observer: { round: (r) => void rounds.push(r.round) } });
    assert.deepEqual(rounds, [1]);
    assert.equal(last?.round, 1);
    assert.deepEqual(transports.map((t) => t.closed), [true, true]);
  });

  test('a round cut short by Ctrl-C is not reported', async () => {
    const nodes = [spec('a')];
    const ctrl = new AbortController();
    const connect = async () => fakeTransport({ [PROBE]: async () => (ctrl.abort(), { stdout: '', stderr: '', code: null, timedOut: false }) });
    const rounds: number[] = [];
    const last = await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 1, commandTimeoutMs: 1000 }, { intervalMs: 5000, clock: fakeClock(), signal: ctrl.signal, observer: { round: (r) => void rounds.push(r.round) } });
    assert.deepEqual(rounds, []);
    assert.equal(last, null);
  });
});

describe('watchVerify: each node keeps its own schedule', () => {
  test('a node stalled within its deadline shows its last results as stale, then its stall error; the other node is fresh every round', async () => {
    const nodes = [spec('a'), spec('bb')];
    let bbRound = 0;
    const connect = async (n: NodeSpec) =>
      fakeTransport({
        [PROBE]: async (timeoutMs) => {
          if (n.name === 'a' || ++bbRound === 1) return ok(probeSaying(n.hostname));
          // From its second round on, bb answers nothing: its request ends at its deadline.
          await new Promise((res) => setTimeout(res, timeoutMs));
          return { stdout: '', stderr: '', code: null, timedOut: true, stalled: 'reply' };
        },
      });
    const rounds: WatchRound[] = [];
    const started = performance.now();
    // Rounds every 200 ms, each cut off after 1 s (MIN_CUTOFF_MS); bb's deadline is 2.5 s.
    await watchVerify(inventoryOf(nodes), nodes, { connect, concurrency: 2, commandTimeoutMs: 30_000, nodeTimeoutMs: 2500 }, { intervalMs: 200, rounds: 4, observer: { round: (r) => void rounds.push(r) } });
    const node = (r: WatchRound, name: string) => r.report.nodes.find((x) => x.name === name);
    assert.deepEqual(rounds.map((r) => node(r, 'bb')?.stale ?? false), [false, true, true, false]);
    assert.deepEqual(rounds.map((r) => statusOf(r.report, 'bb', 'hostname')), ['pass', 'pass', 'pass', 'error']);
    assert.match(node(rounds[3] as WatchRound, 'bb')?.checks[1]?.message ?? '', /^no answer within the node's 2\.5s deadline \(--node-timeout\): stalled at reply: no end of reply$/);
    assert.deepEqual(rounds.map((r) => node(r, 'a')?.stale ?? false), [false, false, false, false]);
    assert.deepEqual(rounds.map((r) => statusOf(r.report, 'a', 'hostname')), ['pass', 'pass', 'pass', 'pass']);
    const gathered = (name: string) => rounds.map((r) => node(r, name)?.gatheredAt ?? 0);
    assert.equal(new Set(gathered('a')).size, 4, "a's results are new every round");
    assert.deepEqual(gathered('bb').slice(0, 3), Array(3).fill(gathered('bb')[0]), "bb's stale results keep the time they were gathered");
    assert.ok(performance.now() - started < 200 + 2500 + 1000 + 1000, 'no round waited past the deadline');
    const json = JSON.parse(formatJsonLine(rounds[1]?.report as Report, rounds[1] as WatchRound)) as { nodes: { name: string; stale: boolean; gatheredAt: string }[] };
    assert.deepEqual(json.nodes.map((n) => [n.name, n.stale, typeof n.gatheredAt]), [['a', false, 'string'], ['bb', true, 'string']]);
  });
});

describe('changesBetween', () => {
  const report = (checks: [string, 'pass' | 'fail' | 'skip' | 'error'][]): Report => ({
    ok: true,
    durationMs: 1,
    summary: { nodes: 1, passed: 0, failed: 0, skipped: 0, errors: 0 },
    nodes: [{ name: 'n', host: 'h', reachable: true, durationMs: 1, checks: checks.map(([id, status]) => ({ id, status, expected: null, actual: null, message: id })) }],
  });
  test('status changes, checks new and gone, a repeated id matched by its place', () => {
    const before = report([['ssh', 'pass'], ['service', 'pass'], ['service', 'pass'], ['etcd', 'fail']]);
    const after = report([['ssh', 'pass'], ['service', 'pass'], ['service', 'fail'], ['flannel.lease', 'skip']]);
    assert.deepEqual(
      changesBetween(before, after).map((c) => [c.from?.id ?? null, c.from?.status ?? null, c.to?.id ?? null, c.to?.status ?? null]),
      [
        ['service', 'pass', 'service', 'fail'],
        [null, null, 'flannel.lease', 'skip'],
        ['etcd', 'fail', null, null],
      ],
    );
  });
});

describe('watchVerify over real SSH (in-process ssh2 server)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ [PROBE]: { stdout: probeSaying('srv') } });
  });
  after(async () => {
    await server.close();
  });

  test('three rounds over one connection; the server drops it, the next round opens one more', async () => {
    const n = spec('srv', { host: '127.0.0.1', port: server.port, identityFile: server.identityFile, knownHostsFile: server.knownHostsFile });
    const ctrl = new AbortController();
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, signal: ctrl.signal };
    const connect = makeConnect({ connectTimeoutMs: 5000, ssh: { sshConfig: false, retries: 0, connectTimeoutExplicit: true } }, io, () => undefined);
    const seen: string[] = [];
    const events: string[] = [];
    const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));
    await watchVerify(inventoryOf([n]), [n], { connect: (node) => connect(node), concurrency: 1, commandTimeoutMs: 5000 }, {
      intervalMs: 0,
      // Every round waits for the node (no cut-off): this test is about the connection.
      clock: { now: realClock.now, sleep: realClock.sleep },
      rounds: 5,
      observer: {
        round: async (r) => {
          seen.push(`${r.round}: ${server.connections} connection(s), ${statusOf(r.report, 'srv', 'hostname')}`);
          if (r.round === 3) {
            server.dropAll();
            while (server.open > 0) await wait(10);
            await wait(50);
          }
        },
        connection: (e) => void events.push(e.kind),
      },
    });
    assert.deepEqual(seen, ['1: 1 connection(s), pass', '2: 1 connection(s), pass', '3: 1 connection(s), pass', '4: 2 connection(s), pass', '5: 2 connection(s), pass']);
    assert.deepEqual(events, ['lost', 'reconnected']);
    assert.equal(server.execs.length, 5);
    while (server.open > 0) await wait(10);
    assert.equal(server.open, 0, 'the watch closed its connection');
  });
});

describe('the probe session over real SSH (in-process ssh2 server)', () => {
  test('a connection dropped while a probe runs ends that probe at once with why, not at its timeout', async () => {
    const server = await startTestServer({ [PROBE]: 'hang' });
    try {
      const n = spec('srv', { host: '127.0.0.1', port: server.port, identityFile: server.identityFile, knownHostsFile: server.knownHostsFile });
      const io = { stdout: process.stdout, stderr: process.stderr, env: {}, signal: new AbortController().signal };
      const connect = makeConnect({ connectTimeoutMs: 5000, ssh: { sshConfig: false, retries: 0, connectTimeoutExplicit: true } }, io, () => undefined);
      const t = await connect(n);
      const started = performance.now();
      const probe = runProbe(t, 30_000);
      while (server.execs.length === 0) await new Promise((res) => setTimeout(res, 10));
      server.dropAll();
      assert.deepEqual(await probe, { ok: false, reason: 'probe could not run: the remote shell ended during the command: connection lost: the connection closed' });
      assert.ok(performance.now() - started < 5000);
      t.close();
    } finally {
      await server.close();
    }
  });
});
