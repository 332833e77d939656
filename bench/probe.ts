import { PROBE } from '../src/facts/probe.js';
import { newNonce, withNonce } from '../src/util/frame-shell.js';
import { shellQuote } from '../src/util/shell.js';
import { median, run } from './measure.js';
import { PROBE as OLD_PROBE } from './old-probe.js';
import { sshBase } from './openssh.js';

// The probe's own cost on one lab node, next to the probe before issue 15 (bench/old-probe.ts),
// run the way sshd runs it: `sh -c PROBE` as the lab's user (the lab's login shell is dash, so
// the current probe also pays for re-running itself under bash; LAB_NODES=systemd: a node whose
// PID 1 is systemd, where every section has work to do). Processes: clone/fork/vfork calls
// that start a process (not a thread) and execve calls, under `strace -f`. CPU: user + system time of `sh -c PROBE` and
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

async function processes(spec: ProbeBenchSpec, probe: string): Promise<Omit<Figures, 'cpuMs'> | null> {
  // The summary goes to stdout; the probe's own output is dropped. A node without strace (the
  // systemd lab's containers): no figures.
  if ((await onNode(spec, 'command -v strace || true')).trim() === '') return null;
  const out = await onNode(spec, `strace -f -e trace=clone,clone3,fork,vfork,execve -o /dev/fd/3 sh -c ${shellQuote(probe)} 3>&1 >/dev/null 2>&1`);
  const lines = out.split('\n');
  // A call's first line (an interrupted one ends "<unfinished ...>", its result comes later);
  // a thread (Go's etcdctl starts several) is not a process.
  const started = (re: RegExp) => lines.filter((l) => re.test(l));
  return {
    processes: started(/^\d+\s+(clone3?|fork|vfork)\(/).filter((l) => !l.includes('CLONE_THREAD')).length,
    execs: started(/^\d+\s+execve\(/).length,
    execFailed: started(/^\d+\s+(execve\(|<\.\.\. execve resumed>).*= -1 /).length,
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
  // Today's probe as a client sends it: its request's nonce first (util/frame-shell.ts).
  const nonce = newNonce();
  const probes = { before: OLD_PROBE, now: withNonce(nonce, PROBE) };
  const last = { before: '@@clusterctl:done\n', now: `@@clusterctl:end ${nonce} done rc=0\n` };
  for (const [name, p] of Object.entries(probes)) {
    const out = await onNode(spec, `sh -c ${shellQuote(p)}`);
    if (!out.endsWith(last[name as keyof typeof last])) throw new Error(`the ${name} probe did not finish on ${spec.host}: ${out.slice(-300)}`);
  }
  const cpu: Record<string, number[]> = { before: [], now: [] };
  for (let i = 0; i < spec.runs; i++) {
    // Alternate which goes first so drift falls on both alike.
    for (const name of i % 2 === 0 ? (['before', 'now'] as const) : (['now', 'before'] as const)) cpu[name]?.push(await cpuMs(spec, probes[name]));
    process.stderr.write(`  probe on ${spec.host}, batch ${i + 1}/${spec.runs}: before ${cpu.before?.at(-1)?.toFixed(1)} ms, now ${cpu.now?.at(-1)?.toFixed(1)} ms of CPU a run\n`);
  }
  const rows: [string, number, Omit<Figures, 'cpuMs'> | null][] = [];
  for (const name of ['before', 'now'] as const) rows.push([name, median(cpu[name] ?? []), await processes(spec, probes[name])]);
  return [
    `\nThe probe on one lab node (${spec.host}, \`sh -c PROBE\` as core), CPU: median of ${spec.runs} batches of ${BATCH} runs; processes (threads not counted) and execs: strace -f, one run, ${new Date().toISOString()}`,
    '| probe | CPU a run | processes started | execve calls (failed) |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([name, ms, p]) => `| ${name === 'before' ? 'before issue 15 (bench/old-probe.ts)' : 'now (src/facts/probe.ts)'} | ${ms.toFixed(1)} ms | ${p ? `${p.processes} | ${p.execs} (${p.execFailed})` : 'no strace on the node | –'} |`),
  ].join('\n');
}
