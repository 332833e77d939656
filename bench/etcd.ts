import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { makeConnect } from '../src/run/connect.js';
import { noticeTo } from '../src/report/notice.js';
import { smokeEtcdCommand } from '../src/commands/smoke-etcd.js';
import type { NodeSpec } from '../src/inventory/types.js';
import { shellQuote } from '../src/util/shell.js';
import { median, timed } from './measure.js';
import type { Sample } from './measure.js';

// smoke-etcd against "the same etcdctl commands run by hand over one ssh session per node".
// The commands are the ones clusterctl itself sent (recorded from one in-process run), so both
// sides do the same etcd work; by hand, each node's commands run as one script in one ssh.
export interface EtcdBenchSpec {
  inventory: string;
  key: string;
  knownHosts: string;
  bin: string;
  runs: number;
  scratch: string;
}

async function recordCommands(inventory: string): Promise<Map<NodeSpec, string[]>> {
  const sink = new PassThrough().resume();
  const io = { stdout: sink, stderr: sink, env: {}, signal: new AbortController().signal };
  const real = makeConnect({ connectTimeoutMs: 10_000 }, io, noticeTo(io));
  const seen = new Map<NodeSpec, string[]>();
  const connect = async (node: NodeSpec) => {
    const t = await real(node);
    const cmds: string[] = [];
    seen.set(node, cmds);
    return { exec: (cmd: string, o?: { timeoutMs?: number }) => (cmds.push(cmd), t.exec(cmd, o)), close: () => t.close() };
  };
  const code = await smokeEtcdCommand({ inventory, api: 'auto', json: true, concurrency: 32, connectTimeoutMs: 10_000, commandTimeoutMs: 10_000 }, io, connect);
  if (code !== 0) throw new Error(`smoke-etcd failed while recording its commands (exit ${code}): is the lab up with LAB_ETCD=cluster3?`);
  return seen;
}

export async function benchSmokeEtcd(spec: EtcdBenchSpec): Promise<string> {
  const recorded = await recordCommands(spec.inventory);
  const ssh = `ssh -F /dev/null -i ${shellQuote(spec.key)} -o IdentitiesOnly=yes -o UserKnownHostsFile=${shellQuote(spec.knownHosts)} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  const lines = [...recorded].map(([node, cmds]) => `${ssh} ${shellQuote(`${node.user}@${node.host}`)} ${shellQuote(cmds.join('\n'))} >/dev/null &`);
  const script = join(spec.scratch, 'etcd-by-hand.sh');
  // Each ssh's status is the last etcdctl call's (the cleanup): a failure there fails the run.
  await writeFile(script, `pids=\n${lines.map((l) => `${l} pids="$pids $!"`).join('\n')}\nrc=0\nfor p in $pids; do wait "$p" || rc=1; done\nexit $rc\n`);
  const commands = [...recorded.values()].map((c) => c.length);
  const c: Sample[] = [];
  const h: Sample[] = [];
  for (let i = 0; i <= spec.runs; i++) {
    // Run 0 warms both up and is not counted; then alternate which goes first.
    const order = i % 2 === 0 ? ['c', 'h'] : ['h', 'c'];
    for (const which of order) {
      const s = which === 'c' ? await timed([process.execPath, spec.bin, 'smoke-etcd', '--json', '-i', spec.inventory], { scratch: spec.scratch }) : await timed(['bash', script], { scratch: spec.scratch });
      if (s.code !== 0) throw new Error(`${which === 'c' ? 'clusterctl smoke-etcd' : 'etcdctl by hand'} failed (exit ${s.code}): ${s.stdout.slice(0, 300)} ${s.stderr.slice(0, 300)}`);
      if (i > 0) (which === 'c' ? c : h).push(s);
    }
  }
  const cm = median(c.map((x) => x.ms));
  const hm = median(h.map((x) => x.ms));
  return [
    `\nclusterctl smoke-etcd --json vs the same etcdctl commands by hand (one ssh per node, ${commands.join('/')} commands), median of ${spec.runs}`,
    '| etcd members | clusterctl smoke-etcd | etcdctl by hand | ratio | clusterctl peak RSS |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${recorded.size} | ${(cm / 1000).toFixed(2)} s | ${(hm / 1000).toFixed(2)} s | ${(cm / hm).toFixed(2)}× | ${(median(c.map((x) => x.rssKiB)) / 1024).toFixed(1)} MiB |`,
  ].join('\n');
}
