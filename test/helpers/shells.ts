import { execFileSync } from 'node:child_process';
import type { ExecFileSyncOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNonce } from '../../src/util/frame-shell.js';
import { TEST_NONCE } from './nonce.js';

// The two shells a probe meets: bash (Flatcar, Container Linux, most login shells) and dash
// (Debian's /bin/sh). The probe runs itself under bash wherever bash is on PATH, so the dash run
// gets a PATH with every command of this machine but bash: the probe's POSIX path.
export interface Shell {
  name: 'bash' | 'dash';
  bin: string;
  // PATH for a run: the caller's (a stand-in node's tools), or this machine's (without bash for dash).
  path(dir?: string): string;
}

let noBash: string | undefined;
function machineWithoutBash(): string {
  if (noBash) return noBash;
  noBash = mkdtempSync(join(tmpdir(), 'cclnobash-'));
  chmodSync(noBash, 0o755); // a test may run the probe as nobody
  const seen = new Set(['bash', 'rbash']);
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      if (seen.has(name)) continue;
      seen.add(name);
      symlinkSync(join(d, name), join(noBash, name));
    }
  }
  return noBash;
}

export const SHELLS: readonly Shell[] = [
  { name: 'bash', bin: '/bin/bash', path: (dir) => dir ?? process.env.PATH ?? '/usr/bin:/bin' },
  { name: 'dash', bin: '/bin/dash', path: (dir) => dir ?? machineWithoutBash() },
];


// Run a script the way sshd would (`SHELL -c SCRIPT`) as the client sends it, its first line the
// request's nonce (util/frame-shell.ts; TEST_NONCE), with stdout as text.
export function runIn(shell: Shell, script: string, opts: { dir?: string; env?: NodeJS.ProcessEnv } & Pick<ExecFileSyncOptions, 'maxBuffer'> = {}): string {
  const env = { ...(opts.env ?? process.env), PATH: shell.path(opts.dir) };
  return execFileSync(shell.bin, ['-c', withNonce(TEST_NONCE, script)], { env, encoding: 'utf8', maxBuffer: opts.maxBuffer ?? 16 << 20 });
}
