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
  test('brings up 3 nodes with etcd and flannel, runs both sides and a watch, prints a row of figures in each table, leaves the lab down', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', BENCH, '--nodes', '3', '--runs', '1'], { timeout: 300_000, maxBuffer: 8 << 20 });
    const [row, watch] = stdout.split('\n').filter((l) => l.startsWith('| 3 | 32 |'));
    assert.ok(row && watch, stdout);
    assert.match(row, /^\| 3 \| 32 \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \| [\d.]+ MiB \| [\d.]+ \/ [\d.]+ MiB \|$/);
    assert.match(watch, /^\| 3 \| 32 \| [\d.]+ s \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \|$/);
    // Node 1 runs etcd: the OpenSSH side ran clusterctl's etcdctl reads there too, not the probe alone.
    const counts = /3 nodes: LAB_ETCD=single LAB_FLANNEL=1, (\d+)\/(\d+) commands a node/.exec(stdout);
    assert.ok(counts, stdout);
    assert.ok(Number(counts[2]) >= 2, `the etcd node ran ${counts[2]} command(s): the etcdctl reads are missing`);
    const { stdout: status } = await run('bash', [fileURLToPath(new URL('../lab/lab.sh', import.meta.url)), 'status']);
    assert.match(status, /\(lab is down\)/);
  });
});
