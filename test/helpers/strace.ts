import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

// `argv` run under `strace -ff` (signals not shown, only the `trace` calls), its stdin from the
// file `stdin` (default /dev/null): each process's calls, in the order the processes started
// (the first is argv's own). undefined where strace is missing, may not trace here, or the
// command failed, which the test's output says.
export async function straced(t: TestContext, dir: string, trace: string, argv: string[], stdin = '/dev/null'): Promise<string[] | undefined> {
  const fd = openSync(stdin, 'r');
  const why = await new Promise<string | undefined>((resolve) => {
    const child = spawn('strace', ['-ff', '-qq', '-e', 'signal=none', '-e', `trace=${trace}`, '-o', join(dir, 'trace'), ...argv], { stdio: [fd, 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : `exit ${code}: ${stderr.split('\n')[0]}`));
  });
  closeSync(fd);
  if (why !== undefined) {
    t.diagnostic(`not checked: strace did not run (${why})`);
    return undefined;
  }
  return readdirSync(dir)
    .filter((f) => f.startsWith('trace.'))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}
