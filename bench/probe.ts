import { PROBE } from '../src/facts/probe.js';
import { shellQuote } from '../src/util/shell.js';
import { median, run } from './measure.js';
import { PROBE as OLD_PROBE } from './old-probe.js';
import { sshBase } from './openssh.js';

// The probe's own cost on one lab node, next to the probe before issue 15 (bench/old-probe.ts),
// run the way sshd runs it: `sh -c PROBE` as the lab's user (the lab's login shell is dash, so
// the current probe also pays for re-running itself under bash). Processes: clone/fork/vfork
// calls and execve calls under `strace -f -c`. CPU: user + system time of `sh -c PROBE` and
// everything it started (bash's `times`), a batch of runs at a time for millisecond resolution.
export interface ProbeBenchSpec {
  host: string;
  key: string;
  knownHosts: string;
  runs: number;
}

const BATCH = 10;

interface Figures {
  cpuMs: number;
  processes: number; // processes the probe started: clone, clone3, fork, vfork
  execs: number; // execve calls (failed ones included: a PATH search tries each directory)
  execFailed: number;
}

async function onNode(spec: ProbeBenchSpec, cmd: string): Promise<string> {
  const r = await run([...sshBase(spec), `core@${spec.host}`, cmd]);
  if (r.code !== 0) throw new Error(`on ${spec.host}: \`${cmd.slice(0, 80)}…\` exited ${r.code}: ${r.stderr.slice(0, 500)}`);
  return r.stdout;
}

async function processes(spec: ProbeBenchSpec, probe: string): Promise<Omit<Figures, 'cpuMs'>> {
  // The summary goes to stdout; the probe's own output is dropped.
  const out = await onNode(spec, `strace -f -c -e trace=clone,clone3,fork,vfork,execve -o /dev/fd/3 sh -c ${shellQuote(probe)} 3>&1 >/dev/null 2>&1`);
  const calls = (name: string) => {
    const row = out.split('\n').map((l) => l.trim().split(/\s+/)).find((t) => t.at(-1) === name);
    return { calls: Number(row?.[3] ?? 0), errors: row && row.length === 6 ? Number(row[4]) : 0 };
  };
  return {
    processes: ['clone', 'clone3', 'fork', 'vfork'].reduce((n, c) => n + calls(c).calls, 0),
    execs: calls('execve').calls,
    execFailed: calls('execve').errors,
  };
}

// Milliseconds of CPU for one run: a batch of runs, children's user + system time over the batch.
async function cpuMs(spec: ProbeBenchSpec, probe: string): Promise<number> {
  const out = await onNode(spec, `bash -c 'for i in $(seq ${BATCH}); do sh -c "$1" >/dev/null 2>&1; done; times' clusterctl-bench ${shellQuote(probe)}`);
  const children = out.trim().split('\n').at(-1) ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (secs.length !== 2) throw new Error(`could not read \`times\`: ${out}`);
  return ((secs[0] as number) + (secs[1] as number)) * 1000 / BATCH;
}

export async function benchProbe(spec: ProbeBenchSpec): Promise<string> {
  const probes = { before: OLD_PROBE, now: PROBE };
  for (const [name, p] of Object.entries(probes)) {
    const out = await onNode(spec, `sh -c ${shellQuote(p)}`);
    if (!out.endsWith('@@clusterctl:done\n')) throw new Error(`the ${name} probe did not finish on ${spec.host}: ${out.slice(-300)}`);
  }
  const cpu: Record<string, number[]> = { before: [], now: [] };
  for (let i = 0; i < spec.runs; i++) {
    // Alternate which goes first so drift falls on both alike.
    for (const name of i % 2 === 0 ? (['before', 'now'] as const) : (['now', 'before'] as const)) cpu[name]?.push(await cpuMs(spec, probes[name]));
    process.stderr.write(`  probe on ${spec.host}, batch ${i + 1}/${spec.runs}: before ${cpu.before?.at(-1)?.toFixed(1)} ms, now ${cpu.now?.at(-1)?.toFixed(1)} ms of CPU a run\n`);
  }
  const rows: [string, Figures][] = [];
  for (const name of ['before', 'now'] as const) rows.push([name, { cpuMs: median(cpu[name] ?? []), ...(await processes(spec, probes[name])) }]);
  return [
    `\nThe probe on one lab node (${spec.host}, \`sh -c PROBE\` as core), CPU: median of ${spec.runs} batches of ${BATCH} runs; processes and execs: strace -f -c, one run, ${new Date().toISOString()}`,
    '| probe | CPU a run | processes started | execve calls (failed) |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([name, f]) => `| ${name === 'before' ? 'before issue 15 (bench/old-probe.ts)' : 'now (src/facts/probe.ts)'} | ${f.cpuMs.toFixed(1)} ms | ${f.processes} | ${f.execs} (${f.execFailed}) |`),
  ].join('\n');
}
