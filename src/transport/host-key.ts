import type { StrictHostKeyChecking } from '../inventory/types.js';
import type { Endpoint } from './target.js';
import { fingerprint, keyTypeOf, linesFor, verifyHostKey } from './known-hosts.js';
import type { HostKeyVerdict, KnownHostLine } from './known-hosts.js';
import { appendKnownHost } from './known-hosts-write.js';
import type { RecordOutcome } from './known-hosts-write.js';

// What to check a host key against: the name OpenSSH would look up, its files, the policy.
export interface HostKeyTrust {
  name: string; // hostLookupName(host, port): plain, or [host]:port
  files: string[]; // the user's files, read in order; accept-new writes to the first, like OpenSSH
  globalFiles?: string[]; // GlobalKnownHostsFile: read after them, never written
  strict: StrictHostKeyChecking;
  // Every file's entries, read once per run, and every key this run has added since: a host
  // learned once is pinned for the rest of the run (see decideHostKey).
  lines: KnownHostLine[];
  portForHint: number;
  hostForHint: string;
}

export type HostKeyOutcome = { ok: true; added?: string } | { ok: false; reason: string };

function describe(t: HostKeyTrust, verdict: HostKeyVerdict, key: Buffer): string {
  const fp = `${keyTypeOf(key)} ${fingerprint(key)}`;
  switch (verdict.kind) {
    case 'revoked':
      return `host key for ${t.name} (${fp}) is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}; it is never accepted`;
    case 'changed':
      return (
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${t.name}: it offers ${fp}, but ${verdict.entry.file}:${verdict.entry.line} ` +
        `holds another ${verdict.entry.keyType} key. If the node was reinstalled, remove the old entry ` +
        `(ssh-keygen -R '${t.name}' -f ${verdict.entry.file}) and verify the new fingerprint out of band`
      );
    case 'unknown': {
      const also = verdict.otherTypes.length ? ` (known keys of other types: ${verdict.otherTypes.join(', ')})` : '';
      const ca = verdict.certAuthorityIgnored ? ' (a @cert-authority line matches, but host certificates are not supported)' : '';
      const first = t.files[0] ?? '~/.ssh/known_hosts';
      return (
        `host key for ${t.name} (${fp}) is not in ${[...t.files, ...(t.globalFiles ?? [])].join(', ')}${also}${ca}; add it after checking the fingerprint ` +
        `(ssh-keyscan -p ${t.portForHint} ${t.hostForHint} >> ${first}), or set strictHostKeyChecking: accept-new`
      );
    }
    case 'match':
      return 'host key matches';
  }
}

// How an endpoint's host key is checked, with the run's view of its files.
export function trustOf(ep: Endpoint, lines: KnownHostLine[]): HostKeyTrust {
  return { name: ep.keyName, files: ep.knownHostsFiles, globalFiles: ep.globalKnownHostsFiles, strict: ep.strict, lines, portForHint: ep.port, hostForHint: ep.host };
}

// Every file an endpoint's host key is looked up in: the user's, then the global ones.
export const knownHostsFilesOf = (ep: Endpoint): string[] => [...new Set([...ep.knownHostsFiles, ...ep.globalKnownHostsFiles])];

// Decide on a host key offered during the handshake. Nothing but the handshake has happened
// yet, so a refusal here means nothing was sent to the node: no auth, no command.
export async function decideHostKey(t: HostKeyTrust, key: Buffer): Promise<HostKeyOutcome> {
  if (t.strict === 'no') return { ok: true };
  const keyType = keyTypeOf(key);
  const verdict = verifyHostKey(t.lines, t.name, keyType, key);
  if (verdict.kind === 'match') return { ok: true };
  // A host learned in this run takes no other key for the rest of it, of any type: ssh2 asks for
  // key types in one fixed order, so the same sshd offers the same key every time.
  const pin = verdict.kind === 'unknown' ? linesFor(t.lines, t.name).find((l) => l.pinned === true) : undefined;
  if (pin) return { ok: false, reason: describe(t, { kind: 'changed', entry: pin }, key) };
  // accept-new only ever adds: a changed or revoked key fails exactly as under "yes".
  if (verdict.kind !== 'unknown' || t.strict !== 'accept-new') return { ok: false, reason: describe(t, verdict, key) };
  const file = t.files[0];
  if (file === undefined) return { ok: false, reason: 'accept-new needs a known_hosts file to write to' };
  let r: RecordOutcome;
  try {
    // Compared again with the files as they are now, under their lock: another connection or
    // run may have learned this host since they were read.
    r = await appendKnownHost([...t.files, ...(t.globalFiles ?? [])], t.name, keyType, key);
  } catch (err) {
    return { ok: false, reason: `host key for ${t.name} is new and could not be recorded in ${file}: ${(err as Error).message}` };
  }
  if (r.kind === 'changed' || r.kind === 'revoked') return { ok: false, reason: describe(t, r, key) };
  // Pinned: from now on this run compares the host's keys with this one, whatever the file says.
  t.lines.push({ ...r.entry, pinned: true });
  return { ok: true, added: r.kind === 'added' ? `added ${t.name} (${keyType} ${fingerprint(key)}) to ${file}` : '' };
}
