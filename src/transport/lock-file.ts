import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';

// An exclusive lock between processes: `FILE.lock`, created with O_CREAT|O_EXCL (exactly one
// creator wins, on a local file system and on NFS v3 and later), removed when the job ends.
// Chosen over flock(2), which Node cannot call without a native module (and which OpenSSH, which
// takes no lock when it appends to known_hosts, would not honour either). A waiter waits at most
// `waitMs`; a lock nobody removes (its process was killed in the few milliseconds it holds it)
// is never broken here, since two processes breaking one stale lock could both end up holding
// it: the error names the file to remove instead.

export interface LockWait {
  waitMs: number;
  pollMs?: number; // the first pause between tries; doubled up to 50 ms, with jitter
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function holderOf(lock: string): Promise<string> {
  const text = await readFile(lock, 'utf8').catch(() => '');
  return text.trim().slice(0, 200) || 'unknown';
}

export async function withLockFile<T>(file: string, job: () => Promise<T>, wait: LockWait): Promise<T> {
  const lock = `${file}.lock`;
  const giveUp = Date.now() + wait.waitMs;
  let delay = wait.pollMs ?? 2;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      // Who holds it, for the message another process gives when it gives up waiting.
      await handle
        .writeFile(`pid ${process.pid} on ${hostname()}\n`)
        .finally(() => handle.close())
        .catch(async (err: unknown) => {
          await unlink(lock).catch(() => undefined);
          throw err;
        });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() >= giveUp) {
        throw new Error(
          `${lock} is held (${await holderOf(lock)}) for more than ${wait.waitMs / 1000}s; another clusterctl is adding a host key, or one was killed while it did: if none runs, remove ${lock}`,
        );
      }
      await pause(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 50);
    }
  }
  try {
    return await job();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
