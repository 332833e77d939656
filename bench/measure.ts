import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

// One timed run of a command: wall time measured here, peak RSS by GNU time (`-f %M`, KiB).
// GNU time reports the largest ru_maxrss among the process and its waited-for descendants, so
// for `xargs -P N ssh …` it is the biggest single process, not the sum; see sumRss for that.
export interface Sample {
  ms: number;
  rssKiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export const GNU_TIME = '/usr/bin/time';

export async function timed(argv: string[], opts: { scratch: string; env?: NodeJS.ProcessEnv; stdin?: string }): Promise<Sample> {
  const out = join(opts.scratch, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const started = performance.now();
  const { code, stdout, stderr } = await run([GNU_TIME, '-f', '%M', '-o', out, ...argv], opts.env, opts.stdin);
  const ms = performance.now() - started;
  const rssKiB = Number((await readFile(out, 'utf8')).trim().split('\n').at(-1));
  await rm(out, { force: true });
  return { ms, rssKiB, code, stdout, stderr };
}

export function run(argv: string[], env?: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A child that exits without reading its stdin (GNU time, for one) must not crash the bench.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
