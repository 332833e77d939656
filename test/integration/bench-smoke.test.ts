import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { labSkip } from '../helpers/lab.js';

const run = promisify(execFile);
const BENCH = fileURLToPath(new URL('../../bench/bench.ts', import.meta.url));

// The benchmark as a smoke test: it runs end to end on a small lab and prints a well-formed
// table. Its figures are not asserted (2 shared cores: timings are not test material).
describe('npm run bench (smoke, small N)', { skip: labSkip }, () => {
  test('brings up 3 nodes with etcd and flannel, runs both sides, a watch and the human output on a pty, prints a row of figures in each table (the CPU one too) and the probe\'s, leaves the lab down', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', BENCH, '--nodes', '3', '--runs', '1'], { timeout: 300_000, maxBuffer: 8 << 20 });
    const [row, cpu, perNode, watch, pty] = stdout.split('\n').filter((l) => l.startsWith('| 3 | 32 |'));
    assert.ok(row && cpu && perNode && watch && pty, stdout);
    assert.match(row, /^\| 3 \| 32 \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \| [\d.]+ MiB \| [\d.]+ \/ [\d.]+ MiB \|$/);
    // Where the CPU went: machine / own / the rest, for each side, and the clients' ratio.
    assert.match(cpu, /^\| 3 \| 32 \| [\d.]+ s \/ [\d.]+ s \/ -?[\d.]+ s \| [\d.]+ s \/ [\d.]+ s \/ -?[\d.]+ s \| [\d.]+× \|$/);
    // What a node costs: requests a round (mean, fewest/most), clusterctl's CPU (all / the first
    // node alone), and a node's share with start-up taken out (issue 22 item 7).
    assert.match(perNode, /^\| 3 \| 32 \| [\d.]+ \(\d+\/\d+\) \| [\d.]+ s \/ [\d.]+ s \| -?[\d.]+ ms \|$/);
    assert.match(watch, /^\| 3 \| 32 \| [\d.]+ s \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \| [\d.]+ s \/ [\d.]+ s \|$/);
    // verify's human output: into a pipe, and on a pty (the live tree), with the load it ran under.
    assert.match(pty, /^\| 3 \| 32 \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \| [\d.]+ → [\d.]+ \|$/);
    assert.match(stdout, /^verify's human output on a terminal .*; target: the pty within 1\.5×; \d{4}-\d\d-\d\dT[\d:.]+Z, \d+ × .+$/m);
    // Every node's session was sent the probe and its batch (the etcdctl reads on node 1, the reach
    // test everywhere): the OpenSSH side replayed both, not the probe alone.
    const counts = /3 nodes: LAB_ETCD=single LAB_FLANNEL=1, (\d+)\/(\d+) requests a node, one SSH session/.exec(stdout);
    assert.ok(counts, stdout);
    assert.ok(Number(counts[1]) >= 2, `a node was sent ${counts[1]} request(s): its batch is missing`);
    // The probe on the first node, before issue 15 and now: CPU, processes, execve calls.
    for (const probe of ['before issue 15 (bench/old-probe.ts)', 'now (src/facts/probe.ts)']) {
      assert.match(stdout, new RegExp(`^\\| ${probe.replace(/[().]/g, '\\$&')} \\| [\\d.]+ ms \\| \\d+ \\| \\d+ \\(\\d+\\) \\|$`, 'm'));
    }
    const { stdout: status } = await run('bash', [fileURLToPath(new URL('../lab/lab.sh', import.meta.url)), 'status']);
    assert.match(status, /\(lab is down\)/);
  });
});
