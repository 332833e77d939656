import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecResult, Transport } from '../../src/transport/types.js';


// The remote scripts run for real under /bin/sh, with a stand-in etcdctl first in PATH.
export function localSh(script: string): Transport {
  const bin = mkdtempSync(join(tmpdir(), 'clusterctl-etcdctl-'));
  writeFileSync(join(bin, 'etcdctl'), script);
  chmodSync(join(bin, 'etcdctl'), 0o755);
  return {
    exec: (command, o) =>
      new Promise<ExecResult>((resolve) => {
        execFile('/bin/sh', ['-c', command], { env: { PATH: `${bin}:/usr/bin:/bin` }, timeout: o?.timeoutMs ?? 10_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
          resolve({ stdout, stderr, code, timedOut: false });
        });
      }),
    close() {},
  };
}
