import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

// One timed run of a command: wall time measured here; peak RSS (KiB) and the CPU of the command
// with its waited-for descendants (user + system) by GNU time (`-f "%M %U %S"`); and the CPU the
// whole machine spent meanwhile (machineCpuMs: every process on every core, the lab's nodes
// included). GNU time's %M is the largest ru_maxrss among the process and its descendants.
export interface Run {
  ms: number;
  machineCpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}
export interface Sample extends Run {
  rssKiB: number;
  cpuMs: number;
}

export const GNU_TIME = '/usr/bin/time';
export const GNU_TIME_FORMAT = ['-f', '%M %U %S'];

// A line of GNU time's output in GNU_TIME_FORMAT.
export function timeLine(line: string): { rssKiB: number; cpuMs: number } {
  const [rss, user, sys] = line.trim().split(' ').map(Number);
  if (![rss, user, sys].every((n) => Number.isFinite(n))) throw new Error(`could not read GNU time's line: ${line}`);
  return { rssKiB: rss as number, cpuMs: ((user as number) + (sys as number)) * 1000 };
}

// Busy CPU of the whole machine so far, in ms: /proc/stat's first line (USER_HZ ticks), user +
// nice + system + irq + softirq; idle, iowait and steal (the hypervisor's) are not ours.
export function machineCpuMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = f;
  return ((user + nice + system + irq + softirq) * 1000) / 100;
}

export async function timed(argv: string[], opts: { scratch: string; env?: NodeJS.ProcessEnv; stdin?: string }): Promise<Sample> {
  const out = join(opts.scratch, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const cpu0 = machineCpuMs();
  const started = performance.now();
  const { code, stdout, stderr } = await run([GNU_TIME, ...GNU_TIME_FORMAT, '-o', out, ...argv], opts.env, opts.stdin);
  const ms = performance.now() - started;
  const machine = machineCpuMs() - cpu0;
  const own = timeLine((await readFile(out, 'utf8')).trim().split('\n').at(-1) ?? '');
  await rm(out, { force: true });
  return { ms, machineCpuMs: machine, ...own, code, stdout, stderr };
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
