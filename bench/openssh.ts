import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { shellQuote } from '../src/util/shell.js';
import { GNU_TIME, GNU_TIME_FORMAT, machineCpuMs, run, timeLine } from './measure.js';
import type { Sent } from './verify-commands.js';
import type { Run } from './measure.js';

// The baseline: plain OpenSSH, one ssh process per node, at most `parallel` at once, each
// running the commands clusterctl runs on that node (`commands`, by host: the probe, and on etcd
// nodes the etcdctl reads), one `sh -c` each, in one ssh session. -F /dev/null keeps a user's
// ~/.ssh/config (ControlMaster, ProxyJump …) out of the measurement.
export interface FanoutSpec {
  hosts: string[];
  key: string;
  knownHosts: string;
  commands: Map<string, Sent[]>;
  parallel: number;
  scratch: string;
}

// ssh as the lab's user, with the lab's key and known_hosts only.
export function sshBase(spec: { key: string; knownHosts: string }): string[] {
  return ['ssh', '-F', '/dev/null', '-i', spec.key, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${spec.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'];
}

// One ssh a host: its argv (the recorded command lines, each `sh -c CMD` in turn) and what goes
// to its stdin. The command that was sent requests (the probe's remote shell) reads them there, as
// clusterctl's did; any other reads /dev/null.
interface Job {
  argv: string[];
  stdin: string;
}

function sshJobs(spec: FanoutSpec, prefix: string[] = []): Job[] {
  const ssh = sshBase(spec);
  return spec.hosts.map((host) => {
    const sent = spec.commands.get(host);
    if (!sent?.length) throw new Error(`no recorded command for ${host}`);
    if (sent.filter((s) => s.stdin).length > 1) throw new Error(`${host}: more than one command read stdin`);
    const remote = sent.map((s) => `sh -c ${shellQuote(s.command)}${s.stdin ? '' : ' </dev/null'}`).join('\n');
    return { argv: [...prefix, ...ssh, `core@${host}`, remote], stdin: sent.map((s) => s.stdin).join('') };
  });
}

// The fan-out: this process starts each ssh itself and writes its stdin (no shell, no `cat`, no
// xargs: only ssh's own cost on this side), at most `parallel` at once, as `xargs -P` would; wall
// time from the first start to the last exit. Exit code: the first failing ssh's, else 0.
async function fanout(jobs: Job[], parallel: number): Promise<Run> {
  const cpu0 = machineCpuMs();
  const started = performance.now();
  const results: Pick<Run, 'code' | 'stdout' | 'stderr'>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < jobs.length; i = next++) {
      const job = jobs[i] as Job;
      results[i] = await run(job.argv, process.env, job.stdin);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  const ms = performance.now() - started;
  const machine = machineCpuMs() - cpu0;
  return { ms, machineCpuMs: machine, code: results.find((r) => r.code !== 0)?.code ?? 0, stdout: results.map((r) => r.stdout).join(''), stderr: results.map((r) => r.stderr).join('') };
}

export async function sshFanout(spec: FanoutSpec): Promise<Run> {
  return fanout(sshJobs(spec), spec.parallel);
}

// Every ssh process's peak RSS and CPU (user + system), each ssh in its own GNU time: the largest
// RSS, the sum of RSS, and the sum of CPU (what the ssh clients cost this machine, apart from
// sshd and the nodes). Separate from the timed runs because the extra processes would slow them.
export async function sshOwn(spec: FanoutSpec): Promise<{ maxKiB: number; sumKiB: number; cpuMs: number }> {
  const file = join(spec.scratch, `ssh-own-${process.pid}.txt`);
  await rm(file, { force: true });
  const r = await fanout(sshJobs(spec, [GNU_TIME, '-a', '-o', file, ...GNU_TIME_FORMAT]), spec.parallel);
  if (r.code !== 0) throw new Error(`OpenSSH RSS and CPU pass failed (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
  const each = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map(timeLine);
  await rm(file, { force: true });
  return { maxKiB: Math.max(...each.map((e) => e.rssKiB)), sumKiB: each.reduce((a, e) => a + e.rssKiB, 0), cpuMs: each.reduce((a, e) => a + e.cpuMs, 0) };
}
