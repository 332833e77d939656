import type { NodeSpec } from '../inventory/types.js';
import { keyLineProblem, privateKeyHeader } from '../util/authorized-keys.js';
import type { LoginUser } from './model.js';

export interface KeyFileProblem {
  line: number; // 1-based
  message: string;
}

// The end of a block that is one thing as a whole: a PEM private key, an RFC 4716 public key.
const BLOCK_END = /^-{4,5} ?END [A-Z0-9 ]+ ?-{4,5}$/;
const RFC4716 = /^---- BEGIN SSH2 PUBLIC KEY ----$/;

// The key lines of an authorized_keys file (blank lines and # comments are not keys) and every
// line that is not a public key sshd would take. A private key or an RFC 4716 block is one
// problem at its first line, its body unread; a PuTTY key file is one problem for the rest.
export function keysOfFile(text: string): { keys: string[]; problems: KeyFileProblem[] } {
  const keys: string[] = [];
  const problems: KeyFileProblem[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').replace(/^[ \t]+|[ \t]+$/g, ''));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '' || line.startsWith('#')) continue;
    const header = privateKeyHeader(line);
    const rfc4716 = RFC4716.test(line);
    const problem = rfc4716 ? 'an RFC 4716 (SSH2) public key: convert it with ssh-keygen -i -f FILE' : keyLineProblem(line);
    if (problem === undefined) {
      keys.push(line);
      continue;
    }
    problems.push({ line: i + 1, message: problem });
    if (header?.startsWith('a PuTTY')) break;
    if (header !== undefined || rfc4716) {
      while (i + 1 < lines.length && !BLOCK_END.test(lines[i] ?? '')) i++;
    }
  }
  return { keys, problems };
}

// The login user clusterctl connects as, with the node's keys: the inline ones, then the
// file's (read by the command, passed in by path), each once, in order. No key: no user entry.
export function loginUser(node: NodeSpec, keyFiles: ReadonlyMap<string, string[]>): LoginUser | undefined {
  const fromFile = node.sshAuthorizedKeysFile === undefined ? [] : (keyFiles.get(node.sshAuthorizedKeysFile) ?? []);
  const keys = [...new Set([...(node.sshAuthorizedKeys ?? []), ...fromFile])];
  return keys.length === 0 ? undefined : { name: node.user, sshAuthorizedKeys: keys };
}
