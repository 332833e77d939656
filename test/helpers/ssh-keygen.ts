import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GeneratedKey {
  private: string; // path of the private key file ssh-keygen wrote
  public: string; // its .pub line, without the newline
}

// A real key pair from the machine's ssh-keygen, in a fresh temp dir: the tests judge the
// authorized_keys parser on what OpenSSH itself writes, not on hand-made strings.
export function sshKeygen(type: 'ed25519' | 'rsa' | 'ecdsa' | 'dsa', extra: string[] = []): GeneratedKey {
  const dir = mkdtempSync(join(tmpdir(), 'keygen-'));
  const file = join(dir, `id_${type}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `${type}@test`, '-f', file, ...extra], { stdio: 'ignore' });
  return { private: file, public: readFileSync(`${file}.pub`, 'utf8').trimEnd() };
}

// A user certificate for `key`, signed by a fresh CA: the -cert.pub line.
export function sshCertificate(key: GeneratedKey): string {
  const ca = sshKeygen('ed25519');
  execFileSync('ssh-keygen', ['-q', '-s', ca.private, '-I', 'test-id', '-n', 'core', `${key.private}.pub`], { stdio: 'ignore' });
  return readFileSync(`${key.private}-cert.pub`, 'utf8').trimEnd();
}
