import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The live tree on a real pty (script(1)), as a user sees it: frames read as they arrive.
const FIXTURE = fileURLToPath(new URL('../../fixtures/report/live-tree.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'clusterctl-tree-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// log-update redraws a frame after erasing the last one and moving to column 0 (ESC[G).
const frames = (raw: string): string[][] =>
  raw.split('\x1b[G').map((f) => f.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '').split('\n').filter((l) => l.trim() !== ''));

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
  test("a node's line and its own checks appear while another node is still out; checks across nodes are added after", async () => {
    const release = join(dir, 'release');
    const run = onPty([], { RELEASE: release });
    const seen = (line: string) => frames(run.screen()).some((f) => f.includes(line));
    // node-b is held until the release file exists: whatever shows before that did not wait for it.
    await until("node-a's and node-c's own leaves", () => seen('  ✔ hostname: hostname is node-a') && seen('  ↓ service: no unit to look at on node-c'));
    assert.equal(existsSync(release), false);
    assert.ok(!run.screen().includes('node-b (198.18.1.12) ok') && !run.screen().includes('hostname is node-b'), 'node-b is not in yet');
    assert.ok(!run.screen().includes('flannel.lease'), 'checks across nodes wait for the last node');
    writeFileSync(release, '');
    assert.equal(await run.exited, 0);
    const all = frames(run.screen());
    const last = all.filter((f) => f.some((l) => l.includes('node-a'))).at(-1) ?? [];
    // node-a passed everything: folded. node-b's problem came from the checks across nodes.
    assert.deepEqual(last.slice(0, 9), [
      '✔ node-a (198.18.1.11) ok 5 ms',
      '⚠ node-b (198.18.1.12) 1 problem 5 ms',
      '  ✔ ssh: connected to b',
      '  ✔ hostname: hostname is node-b',
      '  ✖ flannel.lease: lease of node-b is also held by node-a',
      '✔ node-c (198.18.1.13) ok 5 ms',
      '  ✔ ssh: connected to c',
      '  ↓ service: no unit to look at on node-c',
      '  ↓ flannel.lease: lease not checked on node-c',
    ]);
    assert.match(run.screen(), /NOT OK: 3 nodes, 6 passed, 1 failed, 2 skipped, 0 errors/);
    assert.match(run.screen(), /exit=1/);
  });

  test('each skip is printed once in every frame (verify and smoke-etcd)', async () => {
    const release = join(dir, 'release-2');
    writeFileSync(release, '');
    const verify = onPty([], { RELEASE: release });
    const smoke = onPty(['smoke'], {});
    assert.equal(await verify.exited, 0);
    assert.equal(await smoke.exited, 0);
    const most = (raw: string, text: string) => Math.max(...frames(raw).map((f) => f.filter((l) => l.includes(text)).length));
    assert.equal(most(verify.screen(), 'no unit to look at on node-c'), 1);
    assert.equal(most(verify.screen(), 'lease not checked on node-c'), 1);
    assert.equal(most(smoke.screen(), 'mkdir 3 ms: v3 has no directories'), 1);
    assert.equal(most(smoke.screen(), 'rmdir 3 ms: v3 has no directories'), 1);
    assert.ok(frames(smoke.screen()).some((f) => f.includes('  ↓ mkdir 3 ms: v3 has no directories')), 'the skip shows, with the skip icon');
  });
});
