// Where clusterctl's CPU goes in one `verify --json`, by hand: Linux perf samples the process on
// CPU (every thread: the JIT's and GC's too, and the kernel's work in its system calls) with
// Node's --perf-basic-prof naming the JavaScript frames, and each sample is counted once, under
// the first of the areas below that its stack passes through. The V8 profiler (--cpu-prof) is no
// use here: it samples wall time, so on a machine whose cores the lab's nodes share, a function
// gets the time the process sat descheduled in it.
//
//   node --import tsx bench/where-cpu.ts -i INVENTORY [--hz 999] [--concurrency 32]
//
// Needs root and Debian's linux-perf; prints figures, asserts nothing; not part of any test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { run } from './measure.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

// First match wins: a sample in the kex under a timer callback is the kex's.
export const AREAS: [string, RegExp][] = [
  ['JIT compiler threads', /OptimizingCompileDispatcher|Compiler::Compile|CompileTask/],
  ['garbage collector', /Heap::CollectGarbage|Scavenge|ConcurrentMarking|MarkCompact|Sweeper|Heap::/],
  ['module loading (start-up)', /modules\/esm|modules\/cjs|CompileToplevel|compileSourceTextModule/],
  ['inventory (yaml, zod, rules)', /node_modules\/yaml|node_modules\/zod|dist\/inventory\//],
  ['known_hosts lookup', /transport\/known-hosts\.js/],
  ['host key signature check (ssh2)', /keyParser\.js:401|verifyOneShot/],
  ['login: signing (ssh2)', /keyParser\.js:371|signOneShot|authPK|USERAUTH/],
  ['key exchange (ssh2)', /protocol\/kex\.js/],
  ['redaction of secrets', /util\/redact\.js/],
  ['facts: reading replies', /dist\/facts\//],
  ['checks', /dist\/checks\/|dist\/run\/verify|dist\/run\/evaluate/],
  ['report', /dist\/report\//],
  ['remote shell (reply framing)', /transport\/remote-shell\.js|dist\/util\/frames/],
  ['ssh2 packets and channels', /node_modules\/ssh2/],
  ['TCP connect (kernel: ARP, SYN)', /internalConnect|__connect/],
  ['socket writes (kernel)', /writeGeneric|writeBuffer|__libc_write|Socket\._write/],
  ['socket reads (kernel)', /onStreamRead|__libc_read|readv/],
  ['promise and timer plumbing', /processTicksAndRejections|listOnTimeout|processTimers/],
];

// Counts of `perf script` samples (blank-line separated stacks) by area.
export function areasOf(script: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const stack of script.split('\n\n')) {
    if (!stack.trim()) continue;
    const area = AREAS.find(([, re]) => re.test(stack))?.[0] ?? (/\[kernel/.test(stack) ? 'other (kernel)' : 'other (Node, libc, OpenSSL)');
    counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  return counts;
}

// perf exits as the verify did: 0, or 1 when a check failed; anything else is a failed run.
async function output(argv: string[]): Promise<string> {
  const r = await run(argv);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr.trim().slice(-500)}`);
  return r.stdout;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { inventory: { type: 'string', short: 'i' }, hz: { type: 'string', default: '999' }, concurrency: { type: 'string', default: '32' } } });
  const hz = Number(values.hz);
  if (!values.inventory || !(hz > 0)) {
    console.error('usage: where-cpu.ts -i INVENTORY [--hz 999] [--concurrency 32]');
    process.exit(2);
  }
  const dir = await mkdtemp(join(tmpdir(), 'clusterctl-where-'));
  try {
    const data = join(dir, 'perf.data');
    const verify = [process.execPath, '--perf-basic-prof', MAIN, 'verify', '--json', '-i', values.inventory, '--concurrency', String(values.concurrency)];
    await output(['perf', 'record', '-q', '-F', String(hz), '-g', '-o', data, '--', ...verify]);
    const counts = areasOf(await output(['perf', 'script', '-i', data, '-F', 'comm,tid,ip,sym,dso']));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`${total} samples at ${hz} Hz: ${(total / hz).toFixed(2)} s of CPU`);
    for (const [area, n] of [...counts].sort((a, b) => b[1] - a[1]))
      console.log(`${area.padEnd(34)} ${((n / hz) * 1000).toFixed(0).padStart(6)} ms ${((100 * n) / total).toFixed(1).padStart(5)}%`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
