import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shellQuote } from '../src/util/shell.js';
import { GNU_TIME, timed } from './measure.js';
import type { Sent } from './verify-commands.js';
import type { Sample } from './measure.js';

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

// Each host's remote command line and stdin go to files first: xargs then only substitutes the
// host. The command that was sent requests (the probe's session) reads them on its stdin, as
// clusterctl's did; any other reads /dev/null.
async function sshArgv(spec: FanoutSpec): Promise<string[]> {
  const dir = join(spec.scratch, 'fanout');
  await mkdir(dir, { recursive: true });
  for (const host of spec.hosts) {
    const sent = spec.commands.get(host);
    if (!sent?.length) throw new Error(`no recorded command for ${host}`);
    if (sent.filter((s) => s.stdin).length > 1) throw new Error(`${host}: more than one command read stdin`);
    await writeFile(join(dir, host), sent.map((s) => `sh -c ${shellQuote(s.command)}${s.stdin ? '' : ' </dev/null'}`).join('\n'));
    await writeFile(join(dir, `${host}.stdin`), sent.map((s) => s.stdin).join(''));
  }
  const ssh = sshBase(spec);
  return ['sh', '-c', `exec ${ssh.map(shellQuote).join(' ')} "core@$1" "$(cat ${shellQuote(dir)}/"$1")" <${shellQuote(dir)}/"$1".stdin`, 'sh', '{}'];
}

// xargs -I substitutes {} (the host), one ssh per input line.
export async function sshFanout(spec: FanoutSpec): Promise<Sample> {
  const argv = ['xargs', '-P', String(spec.parallel), '-I{}', ...(await sshArgv(spec))];
  return timed(argv, { scratch: spec.scratch, stdin: `${spec.hosts.join('\n')}\n` });
}

// Sum of every ssh process's peak RSS: each ssh wrapped in its own GNU time. Separate from the
// timed runs because the extra processes would slow them.
export async function sshRssSum(spec: FanoutSpec): Promise<number> {
  const file = join(spec.scratch, `ssh-rss-${process.pid}.txt`);
  await rm(file, { force: true });
  const argv = ['xargs', '-P', String(spec.parallel), '-I{}', GNU_TIME, '-a', '-o', file, '-f', '%M', ...(await sshArgv(spec))];
  const s = await timed(argv, { scratch: spec.scratch, stdin: `${spec.hosts.join('\n')}\n` });
  if (s.code !== 0) throw new Error(`OpenSSH RSS pass failed (exit ${s.code}): ${s.stderr.slice(0, 500)}`);
  const kib = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map(Number);
  await rm(file, { force: true });
  return kib.reduce((a, b) => a + b, 0);
}
