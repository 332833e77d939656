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
