// `npm run bench`: clusterctl verify --json against plain OpenSSH fan-out running the same probe,
// alternated on one lab, medians of wall time and peak RSS. Prints figures; asserts nothing
// about them. Run it under the suite lock (the npm script does): the lab is one per machine.
//
//   node --import tsx bench/bench.ts [--nodes 24[,200]] [--runs 5] [--concurrency 32[,64]] [--keep]
//   node --import tsx bench/bench.ts --etcd [--runs 5]   smoke-etcd on a 3-member lab (LAB_ETCD=cluster3)
//   node --import tsx bench/bench.ts --probe [--runs 5]  only the probe's CPU and processes on one node
// Every run also measures the probe on the lab's first node, next to the probe before issue 15.
// Every size is run at every concurrency (clusterctl --concurrency C against xargs -P C).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHECKS } from '../src/checks/index.js';
import { PROBE } from '../src/facts/probe.js';
import { benchSmokeEtcd } from './etcd.js';
import { benchProbe } from './probe.js';
import { median, run, timed } from './measure.js';
import type { Sample } from './measure.js';
import { sshFanout, sshRssSum } from './openssh.js';

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

// The baseline runs the probe and nothing else, so clusterctl skips the checks whose facts need
// more round trips (gatherers: etcdctl on etcd nodes …); what is left is one probe per node.
const GATHERED = CHECKS.filter((c) => c.needs?.length).map((c) => c.id);
const SKIP = GATHERED.length ? ['--skip', GATHERED.join(',')] : [];

function clusterctl(concurrency: number): Promise<Sample> {
  const argv = [process.execPath, BIN, 'verify', '--json', '-i', `${STATE}/inventory.yaml`, '--concurrency', String(concurrency), ...SKIP];
  return timed(argv, { scratch: SCRATCH, env: { ...process.env, NO_COLOR: '1' } });
}

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

function mustPassSsh(s: Sample, nodes: number): void {
  const done = s.stdout.split('\n').filter((l) => l === '@@clusterctl:done').length;
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
}

async function benchSize(nodes: number): Promise<Row[]> {
  await lab(['up', String(nodes)]);
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
  const ssh = { hosts, key: `${STATE}/id_ed25519`, knownHosts: `${STATE}/known_hosts`, probe: PROBE, parallel: Math.min(concurrency, nodes), scratch: SCRATCH };
  // One untimed round each: page cache, sshd's first fork, Node's compile cache.
  mustPassClusterctl(await clusterctl(concurrency), nodes);
  mustPassSsh(await sshFanout(ssh), nodes);
  const c: Sample[] = [];
  const s: Sample[] = [];
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
  const sum = await sshRssSum(ssh);
  return {
    nodes,
    concurrency,
    cMs: median(c.map((x) => x.ms)),
    sMs: median(s.map((x) => x.ms)),
    cRss: median(c.map((x) => x.rssKiB)),
    sRssMax: median(s.map((x) => x.rssKiB)),
    sRssSum: sum,
  };
}

await mkdir(SCRATCH, { recursive: true });
const rows: Row[] = [];
let etcdTable = '';
let probeTable = '';
try {
  if (values.probe) {
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
if (etcdTable || values.probe) {
  console.log(etcdTable || probeTable);
  process.exit(0);
}
console.log(`\nclusterctl verify --json ${SKIP.join(' ')} vs OpenSSH fan-out (xargs -P C ssh … PROBE, C = --concurrency), median of ${runs} alternated runs, ${new Date().toISOString()}`);
console.log('| nodes | concurrency | clusterctl | OpenSSH | ratio | clusterctl peak RSS | OpenSSH peak RSS (largest ssh / sum of all ssh) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.nodes} | ${r.concurrency} | ${(r.cMs / 1000).toFixed(2)} s | ${(r.sMs / 1000).toFixed(2)} s | ${(r.cMs / r.sMs).toFixed(2)}× | ${mib(r.cRss)} MiB | ${mib(r.sRssMax)} / ${mib(r.sRssSum)} MiB |`,
  );
}
console.log(probeTable);
