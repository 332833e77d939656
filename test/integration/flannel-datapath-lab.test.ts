import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { LAB, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';

const run = promisify(execFile);
const labEnv = { ...process.env, LAB_ETCD: 'single', LAB_FLANNEL: '1' };
const lab = async (...args: string[]) => (await run('bash', [LAB, ...args], { env: labEnv, maxBuffer: 16 << 20 })).stdout;
const NODES = [1, 2, 3];
const ns = (i: number) => `ccl-${i}`;
const ipt = async (i: number, ...args: string[]) => (await run('ip', ['netns', 'exec', ns(i), 'iptables', ...args])).stdout;

// Two counting rules (no target: they count and let the packet on) at the top of each node's
// OUTPUT chain: anything sent off the node outside 198.18.0.0/15 (the lab's range: nothing may
// leave it), and the echo requests sent into the overlay (198.19.128.0/17, the flannel Network).
const LEAK = ['!', '-o', 'lo', '!', '-d', '198.18.0.0/15', '-m', 'comment', '--comment', 'clusterctl-leak'];
const ECHO = ['-d', '198.19.128.0/17', '-p', 'icmp', '--icmp-type', 'echo-request', '-m', 'comment', '--comment', 'clusterctl-echo'];
async function counted(i: number, comment: string): Promise<number> {
  const line = (await ipt(i, '-L', 'OUTPUT', '-v', '-x', '-n')).split('\n').find((l) => l.includes(`/* ${comment} */`));
  assert.ok(line, `node ${i}: no ${comment} rule`);
  return Number(line.trim().split(/\s+/)[0]);
}
const total = async (comment: string) => (await Promise.all(NODES.map((i) => counted(i, comment)))).reduce((a, b) => a + b, 0);

const bad = (report: JsonReport) =>
  report.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${n.name} ${c.id}=${c.status}`));
const datapath = (report: JsonReport, i: number) => report.nodes.find((n) => n.name === nodeName(i))?.checks.find((c) => c.id === 'flannel.datapath');

describe('flannel.datapath on the real lab: the kernel\'s vxlan programmed as flanneld does, iputils-ping (LAB_FLANNEL=1)', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', '3');
    for (const i of NODES) {
      await ipt(i, '-I', 'OUTPUT', '1', ...LEAK);
      await ipt(i, '-I', 'OUTPUT', '1', ...ECHO);
    }
  });
  after(async () => {
    try {
      // Nothing any test sent left the lab's addresses.
      assert.equal(await total('clusterctl-leak'), 0);
    } finally {
      await lab('down');
    }
  });

  test('healthy: every check passes on every node; each node\'s echoes cross to its 2 peers, full size with DF too', async () => {
    const before = await total('clusterctl-echo');
    const { code, report } = await verifyJson();
    assert.deepEqual(bad(report), []);
    assert.equal(code, 0);
    assert.deepEqual(NODES.map((i) => datapath(report, i)?.status), ['pass', 'pass', 'pass']);
    assert.equal(datapath(report, 2)?.message, "lab-node-2 reaches lab-node-3 (198.19.131.0) and lab-node-1 (198.19.129.0) over flannel (vxlan, UDP 8472), 1422 bytes with don't-fragment too");
    // 3 nodes × 2 peers × (a small echo + a DF echo): no retries, no bisection.
    assert.equal((await total('clusterctl-echo')) - before, 12);
  });

  // The fault on node 2, its message there, and the healthy nodes whose echoes it cuts (they name node 2).
  const faults: [fault: string, message: RegExp, naming: number[]][] = [
    ['flannel-drop-vxlan', /^no peer reaches lab-node-2 \(198\.19\.130\.0\) over flannel \(vxlan, UDP 8472\): echoes from lab-node-1 \(198\.19\.129\.0\) and lab-node-3 \(198\.19\.131\.0\) get no answer, while they reach other peers; check that lab-node-2 \(198\.18\.1\.12\) accepts UDP 8472 from lab-node-1 \(198\.18\.1\.11\) and lab-node-3 \(198\.18\.1\.13\)/, [1, 3]],
    ['flannel-underlay-mtu', /^MTU: echoes of 1422 bytes with don't-fragment \(FLANNEL_MTU − 28\) between lab-node-2 \(198\.19\.130\.0\) and its peers lab-node-1 \(198\.19\.129\.0\) and lab-node-3 \(198\.19\.131\.0\) get no answer over flannel \(vxlan, UDP 8472\), while 56-byte echoes pass; the largest that passed is 13\d\d bytes: check the underlay MTU on lab-node-2 \(198\.18\.1\.12\) and on the path to its peers: vxlan adds 50 bytes \(UDP 8472\), so FLANNEL_MTU 1450 needs an underlay MTU of 1500$/, [1, 3]],
    ['flannel-neigh-missing', /^lab-node-2 has no neighbour entry for lab-node-3's flannel address 198\.19\.131\.0 on flannel\.1, so echoes between lab-node-2 \(198\.19\.130\.0\) and lab-node-3 \(198\.19\.131\.0\) over flannel \(vxlan, UDP 8472\) get no answer: flanneld writes a permanent entry for each peer \(its VTEP MAC\); restart flanneld on lab-node-2 to write them again$/, [3]],
  ];
  for (const [fault, message, naming] of faults) {
    test(`fault ${fault} on node 2 fails flannel.datapath on node 2 alone, naming both ends and the fix`, async () => {
      await lab('fault', fault, '2');
      try {
        const { code, report } = await verifyJson(['--only', 'flannel']);
        assert.deepEqual(bad(report), ['lab-node-2 flannel.datapath=fail']);
        assert.equal(code, 1);
        assert.match(datapath(report, 2)?.message ?? '', message);
        // The healthy nodes whose echoes the fault cuts pass, naming the peer at fault.
        for (const i of naming) assert.match(datapath(report, i)?.message ?? '', /lab-node-2's flannel\.datapath fails/);
      } finally {
        await lab('repair', '2');
      }
    });
  }

  test('ICMP forbidden on the overlay (every node drops echoes arriving on flannel.1): every node fails saying so, and names --skip flannel.datapath', async () => {
    const RULE = ['INPUT', '-i', 'flannel.1', '-p', 'icmp', '-j', 'DROP'];
    for (const i of NODES) await ipt(i, '-I', ...RULE);
    try {
      const { code, report } = await verifyJson(['--only', 'flannel']);
      assert.equal(code, 1);
      assert.deepEqual(bad(report), NODES.map((i) => `${nodeName(i)} flannel.datapath=fail`));
      assert.match(datapath(report, 2)?.message ?? '', /^no echo crossed the overlay between any two nodes over flannel \(vxlan, UDP 8472\), while the peers' underlay addresses answer ping: either every node drops UDP 8472, or the firewall forbids ICMP on the overlay\. Check UDP 8472 between the underlay addresses \(lab-node-2 \(198\.18\.1\.12\) ↔ lab-node-1 \(198\.18\.1\.11\) and lab-node-2 \(198\.18\.1\.12\) ↔ lab-node-3 \(198\.18\.1\.13\)\); if ICMP is forbidden there, run with --skip flannel\.datapath$/);
    } finally {
      for (const i of NODES) await ipt(i, '-D', ...RULE);
    }
  });

  test('--skip flannel.datapath: no echo is sent and the check is not reported, with a fault that would fail it', async () => {
    await lab('fault', 'flannel-drop-vxlan', '2');
    try {
      const before = await total('clusterctl-echo');
      const { code, report } = await verifyJson(['--skip', 'flannel.datapath']);
      assert.equal(code, 0);
      assert.deepEqual(report.nodes.flatMap((n) => n.checks.filter((c) => c.id === 'flannel.datapath')), []);
      assert.equal((await total('clusterctl-echo')) - before, 0);
    } finally {
      await lab('repair', '2');
    }
  });
});
