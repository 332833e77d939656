import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';

// known_hosts as OpenSSH reads it: plain and hashed (|1|salt|hash) host patterns, [host]:port,
// * and ? wildcards, ! negation, @revoked. @cert-authority lines are reported, not used as keys.

export interface KnownHostLine {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  hosts: string; // the raw host field
  keyType: string;
  key: Buffer;
  pinned?: boolean; // learned by accept-new in this run: the host's one key for the rest of it
}

export type HostKeyVerdict =
  | { kind: 'match'; entry: KnownHostLine }
  | { kind: 'revoked'; entry: KnownHostLine }
  | { kind: 'changed'; entry: KnownHostLine }
  | { kind: 'unknown'; otherTypes: string[]; certAuthorityIgnored: boolean };

export function parseKnownHosts(text: string, file: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostLine['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, b64] = fields;
    if (hosts === undefined || keyType === undefined || b64 === undefined) return;
    out.push({ file, line: i + 1, marker, hosts, keyType, key: Buffer.from(b64, 'base64') });
  });
  return out;
}

export async function readKnownHosts(files: string[]): Promise<KnownHostLine[]> {
  const all: KnownHostLine[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // like OpenSSH: no file, no keys
      throw err;
    }
    all.push(...parseKnownHosts(text, file));
  }
  return all;
}

// The name OpenSSH looks up: plain for port 22, [host]:port otherwise.
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

// A host field compiled once: its patterns as regular expressions, negated ones apart.
function fieldMatcher(field: string): (name: string) => boolean {
  if (field.startsWith('|')) return (name) => hashedMatches(field, name);
  const positive: RegExp[] = [];
  const negative: RegExp[] = [];
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) negative.push(globToRegExp(pattern.slice(1)));
    else positive.push(globToRegExp(pattern));
  }
  // A matching negation rejects the whole line, whatever else matches.
  return (name) => !negative.some((re) => re.test(name)) && positive.some((re) => re.test(name));
}

export function hostsFieldMatches(field: string, name: string): boolean {
  return fieldMatcher(field)(name);
}

// The lines of a run's known_hosts view, indexed for lookups by name: a field of plain names (no
// wildcard, no negation, not hashed) is found in a map, the others are tried in turn, each
// compiled once. Every node's handshake looks its name up in the same view, so without the index
// a run costs nodes × lines pattern compilations (a million at 1,000 nodes). The view only grows
// (decideHostKey pins what accept-new learns), and new lines are indexed when next looked up.
class HostIndex {
  private indexed = 0;
  private readonly byName = new Map<string, number[]>();
  private readonly others: { at: number; matches: (name: string) => boolean }[] = [];

  constructor(private readonly lines: readonly KnownHostLine[]) {}

  linesFor(name: string): KnownHostLine[] {
    this.catchUp();
    const plain = this.byName.get(name.toLowerCase()) ?? [];
    const other = this.others.filter((o) => o.matches(name)).map((o) => o.at);
    // File order, as OpenSSH reads them: the first matching line decides.
    const at = other.length === 0 ? plain : [...plain, ...other].sort((a, b) => a - b);
    return at.map((i) => this.lines[i] as KnownHostLine);
  }

  private catchUp(): void {
    for (; this.indexed < this.lines.length; this.indexed++) {
      const at = this.indexed;
      const hosts = (this.lines[at] as KnownHostLine).hosts;
      const patterns = hosts.split(',');
      if (hosts.startsWith('|') || patterns.some((p) => p.startsWith('!') || /[*?]/.test(p))) {
        this.others.push({ at, matches: fieldMatcher(hosts) });
        continue;
      }
      for (const name of new Set(patterns.map((p) => p.toLowerCase()))) {
        const list = this.byName.get(name);
        if (list) list.push(at);
        else this.byName.set(name, [at]);
      }
    }
  }
}

const indexes = new WeakMap<readonly KnownHostLine[], HostIndex>();

// The lines whose host field matches `name`, in file order.
export function linesFor(lines: readonly KnownHostLine[], name: string): KnownHostLine[] {
  let index = indexes.get(lines);
  if (!index) indexes.set(lines, (index = new HostIndex(lines)));
  return index.linesFor(name);
}

export function verifyHostKey(lines: readonly KnownHostLine[], name: string, keyType: string, key: Buffer): HostKeyVerdict {
  const forHost = linesFor(lines, name);
  const revoked = lines.find((l) => l.marker === 'revoked' && l.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const keys = forHost.filter((l) => l.marker === null);
  const same = keys.find((l) => l.keyType === keyType && l.key.equals(key));
  if (same) return { kind: 'match', entry: same };
  const changed = keys.find((l) => l.keyType === keyType);
  if (changed) return { kind: 'changed', entry: changed };
  return {
    kind: 'unknown',
    otherTypes: [...new Set(keys.map((l) => l.keyType))],
    certAuthorityIgnored: forHost.some((l) => l.marker === 'cert-authority'),
  };
}

// SHA256:base64 without padding, as `ssh-keygen -l` prints it.
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

// The key type is the first length-prefixed string of an SSH public key blob.
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}
