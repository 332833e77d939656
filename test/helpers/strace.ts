import { execFileSync } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

// `argv` run under `strace -ff` (signals not shown, only the `trace` calls), its stdin from the
// file `stdin` (default /dev/null): each process's calls, in the order the processes started
// (the first is argv's own). undefined where strace is missing or may not trace here, which the
// test's output says.
export function straced(t: TestContext, dir: string, trace: string, argv: string[], stdin = '/dev/null'): string[] | undefined {
  try {
    execFileSync('strace', ['-ff', '-qq', '-e', 'signal=none', '-e', `trace=${trace}`, '-o', join(dir, 'trace'), ...argv], { stdio: [openSync(stdin, 'r'), 'ignore', 'ignore'] });
  } catch (err) {
    t.diagnostic(`not checked: strace did not run (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
  return readdirSync(dir)
    .filter((f) => f.startsWith('trace.'))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}
