// `npm run bench`: a full clusterctl verify --json (every check, the etcd and flannel reads
// included) against a plain OpenSSH fan-out running the same commands on each node (the probe,
// and the etcdctl reads on etcd nodes, recorded from clusterctl), alternated on one lab with etcd
// and flannel, medians of wall time and peak RSS; then a re-verify over kept connections (a
// `--watch` round) against the cold verify. Prints figures; asserts nothing about them. Run it
// under the suite lock (the npm script does): the lab is one per machine.
//
//   node --import tsx bench/bench.ts [--nodes 24[,200]] [--runs 5] [--concurrency 32[,64]] [--keep] [--no-flannel]
//   node --import tsx bench/bench.ts --etcd [--runs 5]   smoke-etcd on a 3-member lab (LAB_ETCD=cluster3)
//   node --import tsx bench/bench.ts --probe [--runs 5]  only the probe's CPU and processes on one node
//   node --import tsx bench/bench.ts --pty [--nodes 24[,200]] [--runs 5]  only verify's live tree on a pty beside a pipe
// Every size is also run with verify's human output on a pty (the live tree) beside a pipe.
// Every run also measures the probe on the lab's first node, next to the probe before issue 15.
// Every size is run at every concurrency (clusterctl --concurrency C against C ssh at once).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchSmokeEtcd } from './etcd.js';
import { benchProbe } from './probe.js';
import { ptyBeside, ptyTable } from './pty.js';
import type { PtyFigures } from './pty.js';
import { median, run, timed } from './measure.js';
import type { Run, Sample } from './measure.js';
import { sshFanout, sshOwn } from './openssh.js';
import { recordVerifyCommands } from './verify-commands.js';
import { loadInventory } from '../src/inventory/load.js';
import { watchRounds } from './watch.js';
import type { WatchFigures } from './watch.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAB = `${ROOT}test/lab/lab.sh`;
const STATE = `${ROOT}test/lab/.state`;
const SCRATCH = `${ROOT}.bench`;
const BIN = `${ROOT}bin/clusterctl.js`;

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '24' },
    runs: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    keep: { type: 'boolean', default: false },
    etcd: { type: 'boolean', default: false },
    probe: { type: 'boolean', default: false },
    pty: { type: 'boolean', default: false },
    'no-flannel': { type: 'boolean', default: false },
  },
});
const sizes = (values.nodes ?? '24').split(',').map(Number);
const runs = Number(values.runs);
const concurrencies = (values.concurrency ?? '32').split(',').map(Number);
if ([...sizes, ...concurrencies].some((n) => !Number.isInteger(n) || n < 1) || !(runs >= 1)) {
  console.error('usage: bench.ts [--nodes 24[,200]] [--runs 5] [--concurrency 32[,64]] [--keep]');
  process.exit(2);
}

async function lab(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const r = await run(['bash', LAB, ...args], env);
  if (r.code !== 0) throw new Error(`lab.sh ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  process.stderr.write(r.stdout);
}

// etcd on node 1 as the setup guide runs it, and flannel's leases and devices on every node, so
// verify's etcd and flannel reads run. The lab's flannel stops at 127 nodes; past that, etcd only.
const FLANNEL_MAX = 127;
// --no-flannel: etcd only at any size (a node without a reach test: one request a round).
const flannel = (nodes: number) => nodes <= FLANNEL_MAX && !values['no-flannel'];
const labEnv = (nodes: number): NodeJS.ProcessEnv => ({ ...process.env, LAB_ETCD: 'single', ...(flannel(nodes) ? { LAB_FLANNEL: '1' } : {}) });
const labKind = (nodes: number) => (flannel(nodes) ? 'LAB_ETCD=single LAB_FLANNEL=1' : 'LAB_ETCD=single');

const verifyArgv = (concurrency: number) => [process.execPath, BIN, 'verify', '--json', '-i', `${STATE}/inventory.yaml`, '--concurrency', String(concurrency)];
const humanArgv = (concurrency: number) => verifyArgv(concurrency).filter((a) => a !== '--json');
const clusterctl = (concurrency: number): Promise<Sample> => timed(verifyArgv(concurrency), { scratch: SCRATCH, env: { ...process.env, NO_COLOR: '1' } });

// A run that did not do the whole job would make its timing meaningless: refuse it. Failed
// checks are allowed (a default lab runs no flanneld), unreachable nodes and errors are not.
interface Checked {
  summary: { nodes: number; errors: number };
  nodes: { reachable: boolean }[];
}
function mustPassClusterctl(s: Sample, nodes: number): void {
  const report = s.code === 0 || s.code === 1 ? (JSON.parse(s.stdout) as Checked) : null;
  const whole = report && report.summary.nodes === nodes && report.summary.errors === 0 && report.nodes.every((n) => n.reachable);
  if (!whole) throw new Error(`clusterctl verify did not probe all ${nodes} nodes (exit ${s.code}): ${s.stdout.slice(0, 300)} ${s.stderr.slice(0, 500)}`);
}

function mustPassSsh(s: Run, nodes: number): void {
  // Each probe request's reply ends with its `done` part, framed with the request's nonce.
  const done = s.stdout.split('\n').filter((l) => /^@@clusterctl:end [0-9a-f]{16} done rc=0$/.test(l)).length;
  if (s.code !== 0 || done !== nodes) throw new Error(`OpenSSH fan-out: ${done}/${nodes} probes completed (exit ${s.code}): ${s.stderr.slice(0, 500)}`);
}

const mib = (kib: number) => (kib / 1024).toFixed(1);

interface Row {
  nodes: number;
  concurrency: number;
  cMs: number;
  sMs: number;
  cRss: number;
  sRssMax: number;
  sRssSum: number;
  cMachineCpu: number; // machine CPU during a run (every process on every core), median
  sMachineCpu: number;
  cOwnCpu: number; // clusterctl's own process, median
  sOwnCpu: number; // the ssh clients, summed (from the separate pass)
  commands: string; // requests per node (the probe, the batch), fewest/most
  requestsMean: number; // requests a node in the round, on average
  cOneCpu: number; // clusterctl's own CPU verifying the first node alone (start-up and fixed costs), median
  watch: WatchFigures | string; // --watch round 1 (connects), later rounds (kept connections); why it failed
  pty: PtyFigures;
}

async function benchSize(nodes: number): Promise<Row[]> {
  await lab(['up', String(nodes)], labEnv(nodes));
  const rows: Row[] = [];
  for (const c of concurrencies) rows.push(await benchOne(nodes, c));
  return rows;
}

async function labHosts(): Promise<string[]> {
  return (await run(['bash', '-c', `grep -E '^ +host:' ${STATE}/inventory.yaml | awk '{print $2}'`])).stdout.trim().split('\n');
}

async function probeOnFirstNode(): Promise<string> {
  const [host] = await labHosts();
  if (!host) throw new Error('no node in the lab inventory');
  return benchProbe({ host, key: `${STATE}/id_ed25519`, knownHosts: `${STATE}/known_hosts`, runs });
}

async function benchOne(nodes: number, concurrency: number): Promise<Row> {
  const hosts = await labHosts();
  if (hosts.length !== nodes) throw new Error(`expected ${nodes} hosts in the lab inventory, found ${hosts.length}`);
  const commands = await recordVerifyCommands(`${STATE}/inventory.yaml`);
  // Requests a node: each exec, or each probe and script its remote shell was sent.
  const counts = [...commands.values()].map((sent) => sent.reduce((n, s) => n + s.requests, 0));
  const ssh = { hosts, key: `${STATE}/id_ed25519`, knownHosts: `${STATE}/known_hosts`, commands, parallel: Math.min(concurrency, nodes), scratch: SCRATCH };
  // One untimed round each: page cache, sshd's first fork, Node's compile cache.
  mustPassClusterctl(await clusterctl(concurrency), nodes);
  mustPassSsh(await sshFanout(ssh), nodes);
  const c: Sample[] = [];
  const s: Run[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first so drift (other load, sshd state) falls on both alike.
    const order = i % 2 === 0 ? ['c', 's'] : ['s', 'c'];
    for (const which of order) {
      if (which === 'c') {
        const x = await clusterctl(concurrency);
        mustPassClusterctl(x, nodes);
        c.push(x);
      } else {
        const x = await sshFanout(ssh);
        mustPassSsh(x, nodes);
        s.push(x);
      }
    }
    process.stderr.write(`  ${nodes} nodes, concurrency ${concurrency}, run ${i + 1}/${runs}: clusterctl ${c.at(-1)?.ms.toFixed(0)} ms, OpenSSH ${s.at(-1)?.ms.toFixed(0)} ms\n`);
  }
  // The same verify of the first node alone: what is left of clusterctl's CPU is start-up and
  // what does not grow with the nodes, so (all − one) / (nodes − 1) is what a node costs it.
  const first = (await loadInventory(`${STATE}/inventory.yaml`)).nodes[0]?.name ?? '';
  const one: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const x = await timed([...verifyArgv(concurrency), '--limit', first], { scratch: SCRATCH, env: { ...process.env, NO_COLOR: '1' } });
    mustPassClusterctl(x, 1);
    one.push(x);
  }
  const own = await sshOwn(ssh);
  const pty = await ptyBeside(humanArgv(concurrency), nodes, concurrency, runs);
  // A watch that fails (a round with errors) is a figure too: the table says why, and the other
  // figures of this size, which took the longest to measure, are still printed.
  const w = await watchRounds(verifyArgv(concurrency), nodes, runs).catch((err: Error) => err);
  process.stderr.write(
    w instanceof Error
      ? `  ${nodes} nodes, concurrency ${concurrency}: --watch failed: ${w.message}\n`
      : `  ${nodes} nodes, concurrency ${concurrency}: --watch round 1 ${w.firstMs} ms, later rounds ${w.againMs} ms (median of ${w.rounds})\n`,
  );
  return {
    nodes,
    concurrency,
    cMs: median(c.map((x) => x.ms)),
    sMs: median(s.map((x) => x.ms)),
    cRss: median(c.map((x) => x.rssKiB)),
    sRssMax: own.maxKiB,
    sRssSum: own.sumKiB,
    cMachineCpu: median(c.map((x) => x.machineCpuMs)),
    sMachineCpu: median(s.map((x) => x.machineCpuMs)),
    cOwnCpu: median(c.map((x) => x.cpuMs)),
    sOwnCpu: own.cpuMs,
    commands: `${Math.min(...counts)}/${Math.max(...counts)}`,
    requestsMean: counts.reduce((a, b) => a + b, 0) / counts.length,
    cOneCpu: median(one.map((x) => x.cpuMs)),
    watch: w instanceof Error ? w.message.split('\n', 1)[0] ?? 'failed' : w,
    pty,
  };
}

await mkdir(SCRATCH, { recursive: true });
const rows: Row[] = [];
let etcdTable = '';
let probeTable = '';
const ptyRows: PtyFigures[] = [];
try {
  if (values.pty) {
    for (const n of sizes) {
      await lab(['up', String(n)], labEnv(n));
      for (const c of concurrencies) ptyRows.push(await ptyBeside(humanArgv(c), n, c, runs));
    }
  } else if (values.probe) {
    await lab(['up', '1']);
    probeTable = await probeOnFirstNode();
  } else if (values.etcd) {
    await lab(['up', '3'], { ...process.env, LAB_ETCD: 'cluster3' });
    const spec = { inventory: `${STATE}/inventory.yaml`, key: `${STATE}/id_ed25519`, knownHosts: `${STATE}/known_hosts`, bin: BIN, runs, scratch: SCRATCH };
    etcdTable = await benchSmokeEtcd(spec);
  } else {
    for (const n of sizes) rows.push(...(await benchSize(n)));
    probeTable = await probeOnFirstNode();
  }
} finally {
  if (!values.keep) await lab(['down']);
}
if (values.pty) {
  console.log(ptyTable(ptyRows, runs));
  process.exit(0);
}
if (etcdTable || values.probe) {
  console.log(etcdTable || probeTable);
  process.exit(0);
}
const labs = [...new Set(rows.map((r) => `${r.nodes} nodes: ${labKind(r.nodes)}, ${r.commands} requests a node, one SSH session`))].join('; ');
console.log(`\nclusterctl verify --json (every check) vs OpenSSH fan-out of the same commands (C ssh at once, each started directly by the bench, one session a node, C = --concurrency; OpenSSH peak RSS from a separate pass), median of ${runs} alternated runs, ${new Date().toISOString()} (${labs})`);
console.log('| nodes | concurrency | clusterctl | OpenSSH | ratio | clusterctl peak RSS | OpenSSH peak RSS (largest ssh / sum of all ssh) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.nodes} | ${r.concurrency} | ${(r.cMs / 1000).toFixed(2)} s | ${(r.sMs / 1000).toFixed(2)} s | ${(r.cMs / r.sMs).toFixed(2)}× | ${mib(r.cRss)} MiB | ${mib(r.sRssMax)} / ${mib(r.sRssSum)} MiB |`,
  );
}
// Where the CPU went: both sides run on the lab's cores with the nodes, so the node work (sshd,
// the shells, the probe, etcdctl) is in both wall times alike; what each side adds is its own
// client. The nodes' share is the machine's CPU less the client's.
const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log('\nCPU of the same runs (median): the whole machine (/proc/stat: every process, the nodes included), the client itself (clusterctl\'s process; the ssh processes summed, from a separate pass), and the rest (sshd, shells, probes, etcdctl on the nodes)');
console.log('| nodes | concurrency | clusterctl: machine / own / rest | OpenSSH: machine / ssh clients / rest | client CPU ratio |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.nodes} | ${r.concurrency} | ${s1(r.cMachineCpu)} / ${s1(r.cOwnCpu)} / ${s1(r.cMachineCpu - r.cOwnCpu)} | ${s1(r.sMachineCpu)} / ${s1(r.sOwnCpu)} / ${s1(r.sMachineCpu - r.sOwnCpu)} | ${(r.cOwnCpu / r.sOwnCpu).toFixed(2)}× |`,
  );
}
console.log("\nWhat a node costs clusterctl in a round: its requests (the probe's, with what rides in it, and the batch's), and clusterctl's own CPU a node with start-up taken out ((all nodes − the first alone) / (nodes − 1), medians); printed, never asserted");
console.log('| nodes | concurrency | requests a node a round (mean, fewest/most) | clusterctl CPU: all nodes / first node alone | clusterctl CPU a node |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const perNode = r.nodes > 1 ? `${((r.cOwnCpu - r.cOneCpu) / (r.nodes - 1)).toFixed(1)} ms` : 'n/a';
  console.log(`| ${r.nodes} | ${r.concurrency} | ${r.requestsMean.toFixed(2)} (${r.commands}) | ${s1(r.cOwnCpu)} / ${s1(r.cOneCpu)} | ${perNode} |`);
}
console.log(`\nre-verify over kept connections (verify --watch --json, a round after the first; durationMs of ${runs} rounds, median) vs the cold verify above (a new process, wall time)`);
console.log('| nodes | concurrency | cold verify | watch round 1 (connects) | watch round over kept connections | ratio to cold | machine CPU: cold verify / a watch round |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const w = r.watch;
  if (typeof w === 'string') console.log(`| ${r.nodes} | ${r.concurrency} | ${(r.cMs / 1000).toFixed(2)} s | failed: ${w.replaceAll('|', '/')} | | | |`);
  else console.log(`| ${r.nodes} | ${r.concurrency} | ${(r.cMs / 1000).toFixed(2)} s | ${(w.firstMs / 1000).toFixed(2)} s | ${(w.againMs / 1000).toFixed(2)} s | ${(w.againMs / r.cMs).toFixed(2)}× | ${s1(r.cMachineCpu)} / ${s1(w.againCpuMs)} |`);
}
console.log(ptyTable(rows.map((r) => r.pty), runs));
console.log(probeTable);
