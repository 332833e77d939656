import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { localTransport } from '../../../src/transport/local.js';

// A killed orphan may linger as a zombie until something reaps it: that counts as dead.
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('local transport (--local): sh -c on this machine', () => {
  test('stdout, stderr and the exit code come back as from ssh', async () => {
    const t = localTransport();
    const r = await t.exec("printf 'out\\n'; printf 'err\\n' >&2; exit 3");
    assert.deepEqual(r, { stdout: 'out\n', stderr: 'err\n', code: 3, timedOut: false });
    const ok = await t.exec('echo "$((6 * 7))"');
    assert.deepEqual([ok.stdout, ok.code], ['42\n', 0]);
    t.close();
  });

  test('a timeout kills the whole process group, a background child included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-local-'));
    const pidFile = join(dir, 'child.pid');
    const t = localTransport();
    const r = await t.exec(`sleep 300 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.code, null);
    assert.equal(r.signal, 'SIGKILL');
    const child = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(child > 1);
    for (let i = 0; i < 50 && alive(child); i++) await sleep(20);
    assert.equal(alive(child), false, `background sleep ${child} survived the timeout`);
    t.close();
  });

  test('close() kills what is still running', async () => {
    const t = localTransport();
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-local-'));
    const pending = t.exec(`echo $$ > ${join(dir, 'pid')}; exec sleep 300`);
    for (let i = 0; i < 100 && !existsSync(join(dir, 'pid')); i++) await sleep(10);
    t.close();
    const r = await pending;
    assert.equal(r.code, null);
    assert.equal(r.signal, 'SIGKILL');
  });

  test('an aborted run refuses new commands', async () => {
    const controller = new AbortController();
    const t = localTransport(controller.signal);
    controller.abort();
    await assert.rejects(t.exec('true'), /interrupted/);
  });
});
