import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { LAB_INVENTORY, lab, labSkip, nodeName } from '../helpers/lab.js';
import { streaming } from '../helpers/streaming.js';

const sh = promisify(execFile);
const NODES = 4;
const CHECKS_PER_NODE = 8; // ssh, hostname, hostname.file, net.address, net.gateway, net.dns, net.route, ignition

// Established TCP connections to sshd inside node I's namespace, counted by the kernel.
async function sshConnections(i: number): Promise<number> {
  const { stdout } = await sh('ip', ['netns', 'exec', `ccl-${i}`, 'ss', '-Htn', 'state', 'established', '( sport = :22 )']);
  return stdout.split('\n').filter((l) => l.trim() !== '').length;
}
const everyNode = () => Promise.all(Array.from({ length: NODES }, (_, i) => sshConnections(i + 1)));

describe('verify streams per node, and --watch over kept connections (real lab)', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', String(NODES));
  });
  after(async () => {
    await lab('down');
  });

  test("one node blackholed (--connect-timeout 8): every healthy node's lines are printed before the timeout expires", async () => {
    await sh('ip', ['-n', 'ccl-2', 'route', 'add', 'blackhole', '198.18.0.1/32']);
    try {
      const run = streaming(['verify', '-i', LAB_INVENTORY, '--connect-timeout', '8', '--retries', '0']);
      const code = await run.closed;
      assert.equal(code, 1, run.stderr());
      const healthy = [1, 3, 4].map(nodeName);
      for (const name of healthy) {
        const own = run.lines.filter((l) => l.text.includes(` ${name} `));
        assert.equal(own.length, CHECKS_PER_NODE, `${name}: ${own.map((l) => l.text).join(' | ')}`);
        for (const l of own) assert.ok(l.at < 8000, `${name} printed ${l.at} ms after the start, past the 8 s connect timeout: ${l.text}`);
      }
      const dead = run.lines.find((l) => /^FAIL  lab-node-2 ssh: .*no answer to the TCP connect within 8s/.test(l.text));
      assert.ok(dead, run.lines.map((l) => l.text).join('\n'));
      assert.ok(dead.at >= 8000, `the blackholed node's line came at ${dead.at} ms, before its timeout: the test proves nothing`);
      const lastHealthy = Math.max(...run.lines.filter((l) => healthy.some((n) => l.text.includes(` ${n} `))).map((l) => l.at));
      assert.ok(lastHealthy < dead.at - 4000, `healthy lines up to ${lastHealthy} ms, the dead node at ${dead.at} ms`);
    } finally {
      await sh('ip', ['-n', 'ccl-2', 'route', 'del', 'blackhole', '198.18.0.1/32']);
    }
  });

  test('--watch 2s --json: a node blackholed mid-watch holds no other node: theirs are fresh every round, its own stale within its deadline, then its stall error', async () => {
    const interval = 2000;
    const deadline = 8000;
    const w = streaming(['verify', '-i', LAB_INVENTORY, '--json', '--watch', `${interval / 1000}s`, '--node-timeout', `${deadline / 1000}`]);
    type Line = { round: number; time: string; durationMs: number; nodes: { name: string; stale: boolean; gatheredAt: string; checks: { id: string; status: string; message: string }[] }[] };
    const rounds = () => w.lines.filter((l) => l.text.startsWith('{')).map((l) => ({ at: l.at, r: JSON.parse(l.text) as Line }));
    try {
      await w.line(/^\{"ok":true/, 60_000);
      const faulted = Date.now() - w.started;
      await lab('fault', 'blackhole', '2');
      // Past the deadline of the node's first round after the fault, and of the one after it.
      await w.line(/"round":\d+/, 2 * deadline + 3 * interval + 4000, faulted + 2 * deadline + 2 * interval);
      const after = rounds().filter((x) => x.at > faulted);
      assert.ok(after.length >= 8, `rounds after the fault: ${after.map((x) => x.at).join(', ')}`);
      // The other nodes' results keep arriving every interval: each round reports within its own
      // interval (at its end when a node is still running, sooner when every node is in), so no
      // two reports are more than two intervals apart. Before issue 22, one round took 19.3 s.
      const durations = after.map((x) => x.r.durationMs);
      assert.ok(Math.max(...durations) < interval + 1000, `rounds took ${durations.join(', ')} ms`);
      const gaps = after.slice(1).map((x, i) => x.at - (after[i] as { at: number }).at);
      assert.ok(Math.max(...gaps) < 2 * interval + 1000, `gaps between rounds: ${gaps.join(', ')} ms`);
      for (const { r } of after) {
        for (const name of [1, 3, 4].map(nodeName)) {
          const n = r.nodes.find((x) => x.name === name);
          assert.equal(n?.stale, false, `round ${r.round}: ${name} is stale`);
          assert.ok(Date.parse(r.time) - Date.parse(n?.gatheredAt ?? '') < interval + 1500, `round ${r.round}: ${name} gathered at ${n?.gatheredAt}, reported at ${r.time}`);
          assert.ok(n?.checks.every((c) => c.status === 'pass' || c.status === 'skip'), `round ${r.round}: ${name}: ${JSON.stringify(n?.checks)}`);
        }
      }
      const node2 = after.map(({ r }) => r.nodes.find((x) => x.name === nodeName(2)));
      assert.ok(node2.some((n) => n?.stale === true), 'node 2 is stale while within its deadline');
      const stalled = node2.find((n) => n?.stale === false && n.checks.some((c) => c.status === 'error'));
      assert.match(stalled?.checks.find((c) => c.status === 'error')?.message ?? JSON.stringify(node2), /^no answer within the node's 8s deadline \(--node-timeout\): stalled at (channel|exec|reply): /);
    } finally {
      // Repaired first, so the client's close reaches node 2: a close sent into the blackhole
      // would leave sshd holding the connection, and the next test counts connections.
      await lab('repair', '2');
      w.interrupt();
    }
    assert.equal(await w.closed, 130, w.stderr());
    for (let i = 0; i < 100 && (await sshConnections(2)) > 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await sshConnections(2), 0, "node 2's sshd still holds the watch's connection");
  });

  test('--watch: a fault and its repair each print as a change within two intervals, one SSH connection per node throughout; Ctrl-C exits 130 and closes them', async () => {
    const interval = 3000;
    const w = streaming(['verify', '-i', LAB_INVENTORY, '--watch', `${interval / 1000}s`]);
    try {
      await w.line(/^OK: 4 nodes, 28 passed, 0 failed, 4 skipped, 0 errors/, 60_000);
      const counts = [await everyNode()];
      const faulted = Date.now() - w.started;
      await lab('fault', 'dns', '2');
      const fail = await w.line(/^\d\d:\d\d:\d\d PASS → FAIL  lab-node-2 net\.dns: /, 4 * interval, faulted);
      assert.ok(fail.at - faulted <= 2 * interval, `the fault was printed ${fail.at - faulted} ms after it was made`);
      await w.line(/^\d\d:\d\d:\d\d NOT OK: 4 nodes, 27 passed, 1 failed/, interval, faulted);
      counts.push(await everyNode());
      const repaired = Date.now() - w.started;
      await lab('repair', '2');
      const back = await w.line(/^\d\d:\d\d:\d\d FAIL → PASS  lab-node-2 net\.dns: /, 4 * interval, repaired);
      assert.ok(back.at - repaired <= 2 * interval, `the repair was printed ${back.at - repaired} ms after it was made`);
      counts.push(await everyNode());
      // Nothing else changed: the change lines are the fault's and the repair's, each with its summary.
      const after = w.lines.filter((l) => l.at >= faulted).map((l) => l.text);
      assert.equal(after.length, 4, after.join('\n'));
      assert.deepEqual(counts, [Array(NODES).fill(1), Array(NODES).fill(1), Array(NODES).fill(1)], 'one kept connection per node for the whole watch');
    } finally {
      w.interrupt();
    }
    assert.equal(await w.closed, 130, w.stderr());
    let left = await everyNode();
    for (let i = 0; i < 50 && left.some((n) => n > 0); i++) {
      await new Promise((res) => setTimeout(res, 100));
      left = await everyNode();
    }
    assert.deepEqual(left, Array(NODES).fill(0), 'no connection left open after Ctrl-C');
  });
});
