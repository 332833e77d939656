import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { screenOf } from '../../helpers/screen.js';

// The live tree on a real pty (script(1)), as a user sees it: frames read as they arrive.
const FIXTURE = fileURLToPath(new URL('../../fixtures/report/live-tree.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'clusterctl-tree-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SPIN = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';

interface PtyRun {
  screen: () => string;
  exited: Promise<number | null>;
}

function onPty(args: string[], env: Record<string, string>): PtyRun {
  const cmd = `stty cols 100 rows 40; ${process.execPath} --import tsx ${FIXTURE} ${args.join(' ')}; echo "exit=$?"`;
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return { screen: () => out, exited: new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve(code)))) };
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not seen within ${ms} ms: ${what}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

describe('the live tree on a terminal', () => {
  test("a node's lines are printed once, the moment it is in, above the nodes still running; checks across nodes follow the last node", async () => {
    const release = join(dir, 'release');
    const run = onPty([], { RELEASE: release });
    const screen = () => screenOf(run.screen());
    // node-b is held until the release file exists: whatever shows before that did not wait for it.
    await until("node-a's and node-c's lines, node-b running", () => screen().includes('  ↓ service: no unit to look at on node-c') && screen().some((l) => new RegExp(`^${SPIN} node-b \\(198\\.18\\.1\\.12\\)$`).test(l)));
    assert.equal(existsSync(release), false);
    assert.deepEqual(screen().slice(0, 4), ['✔ node-a (198.18.1.11) ok 5 ms', '✔ node-c (198.18.1.13) ok 5 ms', '  ✔ ssh: connected to c', '  ↓ service: no unit to look at on node-c']);
    assert.equal(screen().at(-1), '1 running, 0 waiting, 2/3 done');
    assert.ok(!run.screen().includes('flannel.lease'), 'checks across nodes wait for the last node');
    writeFileSync(release, '');
    assert.equal(await run.exited, 0);
    // node-a passed everything: folded. node-b's problem came from the checks across nodes.
    assert.deepEqual(screen(), [
      '✔ node-a (198.18.1.11) ok 5 ms',
      '✔ node-c (198.18.1.13) ok 5 ms',
      '  ✔ ssh: connected to c',
      '  ↓ service: no unit to look at on node-c',
      '✔ node-b (198.18.1.12) ok 5 ms',
      'checks across nodes',
      '✖ node-b (198.18.1.12) 1 problem',
      '  ✖ flannel.lease: lease of node-b is also held by node-a',
      '✔ node-c (198.18.1.13) ok',
      '  ↓ flannel.lease: lease not checked on node-c',
      '✔ 1 more node: every check across nodes passed',
      '',
      'NOT OK: 3 nodes, 6 passed, 1 failed, 2 skipped, 0 errors in 0.0s',
      '✖ flannel.lease: 1 of 3 nodes failed: node-b',
      'exit=1',
    ]);
    // Printed once, not redrawn with every frame of the spinner.
    assert.equal(run.screen().split('node-a (198.18.1.11) ok 5 ms').length - 1, 1);
  });

  test("smoke-etcd's tree: a node that passed folds to its line, printed once", async () => {
    const smoke = onPty(['smoke'], {});
    assert.equal(await smoke.exited, 0);
    assert.deepEqual(screenOf(smoke.screen()), ['✔ node-a etcd v3 ok 9 ms', '', 'OK: etcd smoke test on 1 node, 1 passed, 0 failed; nothing left behind in 0.0s', 'exit=0']);
  });
});
