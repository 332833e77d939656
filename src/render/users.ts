import type { NodeSpec } from '../inventory/types.js';
import type { LoginUser } from './model.js';

// Key lines of an authorized_keys file: blank lines and # comments are not keys.
export function keysOfFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

// The login user clusterctl connects as, with the node's keys: the inline ones, then the
// file's (read by the command, passed in by path), each once, in order. No key: no user entry.
export function loginUser(node: NodeSpec, keyFiles: ReadonlyMap<string, string[]>): LoginUser | undefined {
  const fromFile = node.sshAuthorizedKeysFile === undefined ? [] : (keyFiles.get(node.sshAuthorizedKeysFile) ?? []);
  const keys = [...new Set([...(node.sshAuthorizedKeys ?? []), ...fromFile])];
  return keys.length === 0 ? undefined : { name: node.user, sshAuthorizedKeys: keys };
}
