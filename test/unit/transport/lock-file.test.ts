import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ssh2 from 'ssh2';
import { appendKnownHost } from '../../../src/transport/known-hosts-write.js';
import { withLockFile } from '../../../src/transport/lock-file.js';

const dir = mkdtempSync(join(tmpdir(), 'clusterctl-lock-'));
const newKey = () => Buffer.from(ssh2.utils.generateKeyPairSync('ed25519').public.split(' ')[1] ?? '', 'base64');

describe('the known_hosts lock file', () => {
  test('held while the job runs, removed after it, also when it throws', async () => {
    const file = join(dir, 'kh1');
    const seen = await withLockFile(file, async () => readFileSync(`${file}.lock`, 'utf8'), { waitMs: 1000 });
    assert.match(seen, new RegExp(`^pid ${process.pid} on `));
    assert.equal(existsSync(`${file}.lock`), false);
    await assert.rejects(withLockFile(file, () => Promise.reject(new Error('job failed')), { waitMs: 1000 }), /job failed/);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  test('another run holding the lock: the append waits for it, then sees its line and refuses a second key', async () => {
    const file = join(dir, 'kh2');
    // The other run (another process) took the lock, found no entry, and is about to write one.
    writeFileSync(`${file}.lock`, 'pid 1 on elsewhere\n');
    const mine = appendKnownHost([file], 'node1', 'ssh-ed25519', newKey());
    await new Promise((r) => setTimeout(r, 50));
    const theirs = newKey();
    writeFileSync(file, `node1 ssh-ed25519 ${theirs.toString('base64')}\n`);
    unlinkSync(`${file}.lock`);
    const r = await mine;
    assert.equal(r.kind, 'changed');
    assert.deepEqual([r.entry.file, r.entry.line, r.entry.key.equals(theirs)], [file, 1, true]);
    assert.equal(readFileSync(file, 'utf8'), `node1 ssh-ed25519 ${theirs.toString('base64')}\n`);
  });

  test('a lock never released: the wait is bounded and the error names the file to remove', async () => {
    const file = join(dir, 'kh3');
    writeFileSync(`${file}.lock`, 'pid 4242 on elsewhere\n');
    await assert.rejects(
      withLockFile(file, async () => assert.fail('ran without the lock'), { waitMs: 100 }),
      new RegExp(`${file}\\.lock is held \\(pid 4242 on elsewhere\\) for more than 0\\.1s; .*remove ${file}\\.lock`),
    );
    assert.equal(readFileSync(`${file}.lock`, 'utf8'), 'pid 4242 on elsewhere\n'); // never broken
  });
});
