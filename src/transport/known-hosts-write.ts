import { createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostsFieldMatches, parseKnownHosts } from './known-hosts.js';

// accept-new: record a host's key in OpenSSH format, exactly once, even when 32 connections
// learn 32 keys at the same moment.
//
// How: one promise queue per file in this process, and inside it re-read → skip if present →
// one appendFile (O_APPEND, a single write of the whole line). The queue makes "is it there
// yet? then add it" atomic for our own connections (two connections to hosts that share a name
// can not both add it); O_APPEND with one write per line means a line written by another
// process at the same time (ssh, another clusterctl) is never torn or overwritten. A lock file
// was not used: OpenSSH takes none, so it would not exclude the writer most likely to race us,
// and a stale lock after a crash would block the user.

const queues = new Map<string, Promise<unknown>>();

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

export interface AppendResult {
  added: boolean; // false: the same key for this name was already there (another writer won)
  hashed: boolean;
}

// Append `name keyType base64` to `file` unless that exact key is already recorded for name.
// Hashes the name when the file already holds hashed entries (the user chose HashKnownHosts).
export function appendKnownHost(file: string, name: string, keyType: string, key: Buffer): Promise<AppendResult> {
  return serialized(file, async () => {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    }
    const lines = parseKnownHosts(text, file);
    const hashed = lines.some((l) => l.hosts.startsWith('|1|'));
    if (lines.some((l) => l.marker === null && l.keyType === keyType && l.key.equals(key) && hostsFieldMatches(l.hosts, name))) {
      return { added: false, hashed };
    }
    const lead = text !== '' && !text.endsWith('\n') ? '\n' : '';
    const line = `${lead}${hashed ? hashHostName(name) : name} ${keyType} ${key.toString('base64')}\n`;
    await appendFile(file, line, { flag: 'a', mode: 0o600 });
    return { added: true, hashed };
  });
}
