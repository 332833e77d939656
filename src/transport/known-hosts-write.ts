import { createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { withLockFile } from './lock-file.js';
import { parseKnownHosts, readKnownHosts, verifyHostKey } from './known-hosts.js';
import type { KnownHostLine } from './known-hosts.js';

// accept-new: record a host's key in OpenSSH format, once, and never a second key of one type
// for one host, even when 32 connections of this run, or two runs at once, learn it together.
//
// How: one promise queue per file in this process, and inside it an exclusive lock file next to
// known_hosts (lock-file.ts) that every clusterctl takes; holding both, the files are read again
// and the offered key is compared with what they hold *now*: the same key → nothing to write;
// another key of that type for the host (written by another connection or run since this run
// read them) → changed, refused like any changed key; none → one appendFile (O_APPEND, one
// write of the whole line). The queue spares our own connections the lock's polling; the lock
// makes "is it there yet? then add it" atomic across runs. OpenSSH takes no lock when it
// appends, so an ssh run at the same moment could still add its own line: O_APPEND with one
// write per line keeps either line from being torn.

const queues = new Map<string, Promise<unknown>>();

// Held for a read and one append: milliseconds. The wait is bounded well inside a handshake's
// deadline (the host key is decided during the handshake).
export const LOCK_WAIT_MS = 2000;

function serialized<T>(file: string, job: () => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.then(job, job);
  queues.set(
    file,
    next.catch(() => undefined),
  );
  return next;
}

// |1|salt|HMAC-SHA1(salt, name), as `ssh-keygen -H` and HashKnownHosts write it.
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

// What the files held when the key was to be added, and what was done.
export type RecordOutcome =
  | { kind: 'added'; entry: KnownHostLine; hashed: boolean }
  | { kind: 'present'; entry: KnownHostLine } // the same key was recorded meanwhile
  | { kind: 'changed' | 'revoked'; entry: KnownHostLine }; // another key was: nothing written

// Append `name keyType base64` to files[0] unless the files already hold that key, or another
// key of that type, for name. Hashes the name when files[0] already holds hashed entries (the
// user chose HashKnownHosts). The other files (the rest of the user's, the global ones) are
// only read.
export function appendKnownHost(files: readonly string[], name: string, keyType: string, key: Buffer): Promise<RecordOutcome> {
  const file = files[0];
  if (file === undefined) return Promise.reject(new Error('no known_hosts file to write to'));
  return serialized(file, async () => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    return withLockFile(file, () => appendLocked(file, files.slice(1), name, keyType, key), { waitMs: LOCK_WAIT_MS });
  });
}

async function appendLocked(file: string, others: string[], name: string, keyType: string, key: Buffer): Promise<RecordOutcome> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const lines = parseKnownHosts(text, file);
  const now = verifyHostKey([...lines, ...(await readKnownHosts(others))], name, keyType, key);
  if (now.kind === 'match') return { kind: 'present', entry: now.entry };
  if (now.kind !== 'unknown') return { kind: now.kind, entry: now.entry };
  const hashed = lines.some((l) => l.hosts.startsWith('|1|'));
  const lead = text !== '' && !text.endsWith('\n') ? '\n' : '';
  const line = `${lead}${hashed ? hashHostName(name) : name} ${keyType} ${key.toString('base64')}\n`;
  await appendFile(file, line, { flag: 'a', mode: 0o600 });
  // The entry as a later read of the file will see it, line number included (for messages).
  const entry = parseKnownHosts(text + line, file).at(-1) as KnownHostLine;
  return { kind: 'added', entry, hashed };
}
