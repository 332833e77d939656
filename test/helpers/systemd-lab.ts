// The systemd lab (LAB_NODES=systemd, test/lab/lib/sysd.sh) for integration tests: run lab.sh
// with it, run a command on a node as core, and list what a torn-down lab must not leave behind.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { LAB, LAB_STATE } from './lab.js';

const run = promisify(execFile);

export async function sysdLab(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('bash', [LAB, ...args], { env: { ...process.env, LAB_NODES: 'systemd', ...env }, maxBuffer: 16 << 20 });
  return stdout;
}

// A command on node i as core, over the lab's ssh (real sshd, Ignition's key).
export async function onNode(i: number, script: string): Promise<string> {
  const { stdout } = await run('bash', [LAB, 'ssh', String(i), script], { maxBuffer: 16 << 20 });
  return stdout;
}

const CGROUP_DIRS = ['/sys/fs/cgroup/unified/clusterctl-lab', '/sys/fs/cgroup/systemd/clusterctl-lab', '/sys/fs/cgroup/clusterctl-lab'];
const LAB_LINK = /^\d+: (vb-lab-node-\d+|cclv-\d+|ccli-\w+|cclbr\d)[@:]/;

// Everything a lab (of either kind) may have made that still exists, one line each: processes
// running from .state or named systemd-nspawn (zombies included), mounts under .state, the
// lab's cgroups, links and namespaces, the guard route, and .state itself.
export async function leftovers(): Promise<string[]> {
  const state = LAB_STATE.replace(/\/$/, '');
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (cmd.includes(state) || comm === 'systemd-nspawn') out.push(`process ${pid} ${comm}: ${cmd}`);
    } catch {
      // gone while we looked
    }
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mountPoint = line.split(' ')[4] ?? '';
    if (mountPoint.startsWith(state)) out.push(`mount ${mountPoint}`);
  }
  for (const dir of CGROUP_DIRS) if (existsSync(dir)) out.push(`cgroup ${dir}`);
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout.split('\n');
  for (const l of links) if (LAB_LINK.test(l)) out.push(`link ${l.split(' ')[1]}`);
  const netns = (await run('ip', ['netns', 'list'])).stdout.split('\n');
  for (const n of netns) if (/^ccl-/.test(n)) out.push(`netns ${n}`);
  if ((await run('ip', ['route', 'show'])).stdout.includes('blackhole 198.18.0.0/15')) out.push('route blackhole 198.18.0.0/15');
  if (existsSync(state)) out.push(`state ${state}`);
  return out;
}

// A command on node i as root, inside the node's namespaces (lab.sh enter): what an admin with a
// root shell on the node would do behind Ignition's back.
export async function asRootOnNode(i: number, script: string): Promise<string> {
  const { stdout } = await run('bash', [LAB, 'enter', String(i), '/bin/sh', '-c', script], { env: { ...process.env, LAB_NODES: 'systemd' }, maxBuffer: 16 << 20 });
  return stdout;
}

// The systemd and Kubernetes labs run a flanneld STAND-IN that makes the device, lease and
// subnet.env but carries no packet (test/lab/systemd/rootfs/usr/lib/clusterctl-lab/flanneld-standin),
// and their image has no ping: flannel.datapath has nothing to test there. It is tested on the
// namespace lab, whose stand-in programs the kernel's vxlan (test/integration/flannel-datapath-lab.test.ts).
export const NO_DATAPATH = ['--skip', 'flannel.datapath'];
