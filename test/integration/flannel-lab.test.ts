import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { LAB, LAB_INVENTORY, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';

const run = promisify(execFile);
const FLANNEL = ['flannel.config', 'flannel.etcd-reach', 'flannel.overlap', 'flannel.lease', 'flannel.interface'];

// The lab with real etcd (v2 and v3) and flannel's traces on every node.
const labEnv = { ...process.env, LAB_ETCD: 'single', LAB_ETCD_V2: '1', LAB_FLANNEL: '1' };
const lab = async (...args: string[]) => (await run('bash', [LAB, ...args], { env: labEnv, maxBuffer: 16 << 20 })).stdout;

// Every result that is neither pass nor skip, as "node id=status".
const bad = (report: JsonReport) =>
  report.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${n.name} ${c.id}=${c.status}`));
const find = (report: JsonReport, node: number, id: string) => report.nodes.find((n) => n.name === nodeName(node))?.checks.find((c) => c.id === id);

describe('flannel checks, lint and flannel get|set on the real lab (etcd 3.4, vxlan devices)', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', '3');
  });
  after(async () => {
    await lab('down');
  });

  test('a healthy lab passes every flannel check on every node; service skips because PID 1 is not systemd', async () => {
    const { code, report } = await verifyJson();
    assert.deepEqual(bad(report), []);
    assert.equal(code, 0);
    // The config is cluster-wide: reported on the etcd node only.
    assert.deepEqual(report.nodes.map((n) => n.checks.filter((c) => FLANNEL.includes(c.id)).map((c) => `${c.id}=${c.status}`)), [
      FLANNEL.map((id) => `${id}=pass`),
      FLANNEL.slice(1).map((id) => `${id}=pass`),
      FLANNEL.slice(1).map((id) => `${id}=pass`),
    ]);
    // No flanneld.service or flanneld in the lab: v2, as every Container Linux and Flatcar flannel reads.
    assert.match(find(report, 1, 'flannel.config')?.message ?? '', /^Network 198\.19\.128\.0\/17, SubnetLen 24, Backend vxlan — \/coreos\.com\/network\/config in the v2 keyspace, which flannel reads \(v2: lab-node-1, lab-node-2, lab-node-3: no flannel version found on the node/);
    assert.equal(find(report, 2, 'flannel.etcd-reach')?.message, 'http://198.18.1.11:2379 accepts TCP from lab-node-2 (endpoints from cluster.etcd.endpoints in the inventory)');
    assert.equal(find(report, 2, 'flannel.lease')?.actual, 'FLANNEL_NETWORK=198.19.128.0/17 FLANNEL_SUBNET=198.19.130.1/24');
    assert.equal(find(report, 3, 'flannel.interface')?.actual, 'flannel.1 (vxlan) up, 198.19.131.0/32');
    const services = report.nodes.flatMap((n) => n.checks.filter((c) => c.id === 'service').map((c) => `${n.name} ${c.status} ${c.expected}`));
    assert.deepEqual(services, [
      'lab-node-1 skip flanneld.service active and enabled',
      'lab-node-1 skip etcd-member.service active and enabled',
      'lab-node-2 skip flanneld.service active and enabled',
      'lab-node-3 skip flanneld.service active and enabled',
    ]);
    assert.match(find(report, 2, 'service')?.message ?? '', /PID 1 is '[^']+', not systemd/);
  });

  const faults: [fault: string, node: number, failing: string[], message: RegExp][] = [
    ['flannel-overlap', 2, ['lab-node-2 flannel.overlap=fail'], /route 198\.19\.200\.0\/24 via 198\.18\.0\.124 dev eth0 \(198\.19\.200\.0\/24\) overlaps flannel Network 198\.19\.128\.0\/17/],
    ['flannel-json', 1, ['lab-node-1 flannel.config=fail'], /not valid JSON/],
    ['flannel-key-missing', 1, ['lab-node-1 flannel.config=fail'], /\/coreos\.com\/network\/config is not in the v2 keyspace, which flannel reads \(.*\), nor in the v3 keyspace: write it with `clusterctl flannel set --network CIDR`/],
    ['flannel-lease-outside', 3, ['lab-node-3 flannel.lease=fail'], /lease 198\.19\.64\.0\/24 is outside Network 198\.19\.128\.0\/17/],
    ['flannel-lease-dup', 3, ['lab-node-2 flannel.lease=fail', 'lab-node-3 flannel.lease=fail'], /lease 198\.19\.130\.0\/24 is also held by lab-node-2/],
    ['flannel-device-missing', 2, ['lab-node-2 flannel.interface=fail'], /no flannel\.1 on lab-node-2/],
  ];
  for (const [fault, i, failing, message] of faults) {
    test(`fault ${fault} on node ${i} fails exactly ${failing.join(' and ')}`, async () => {
      await lab('fault', fault, String(i));
      try {
        const { code, report } = await verifyJson();
        assert.deepEqual(bad(report), failing);
        assert.equal(code, 1);
        const [node, id] = (failing.at(-1) ?? '').split(/[ =]/);
        const check = report.nodes.find((n) => n.name === node)?.checks.find((c) => c.id === id);
        assert.match(check?.message ?? '', message);
      } finally {
        await lab('repair', String(i));
      }
    });
  }

  test('flannel get prints the config and where it was read', async () => {
    const r = await runCli(['flannel', 'get', '-i', LAB_INVENTORY, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { node: string; key: string; value: string; api: string; valid: boolean };
    assert.deepEqual([got.node, got.key, got.api, got.valid], ['lab-node-1', '/coreos.com/network/config', 'v2', true]);
    assert.equal(got.value, '{"Network": "198.19.128.0/17", "Backend": {"Type": "vxlan"}}');
  });

  test('flannel set refuses a Network that overlaps the nodes, naming the clash, and writes nothing', async () => {
    const r = await runCli(['flannel', 'set', '-i', LAB_INVENTORY, '--network', '198.18.0.0/16']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^refused: Network 198\.18\.0\.0\/16 overlaps/m);
    assert.match(r.stdout, /lab-node-2: eth0 address 198\.18\.1\.12\/16 \(198\.18\.0\.0\/16\) overlaps flannel Network 198\.18\.0\.0\/16/);
    const after = JSON.parse((await runCli(['flannel', 'get', '-i', LAB_INVENTORY, '--json'])).stdout) as { value: string };
    assert.equal(after.value, '{"Network": "198.19.128.0/17", "Backend": {"Type": "vxlan"}}');
  });

  test('flannel set --dry-run shows old → new and writes nothing; set writes both keyspaces and reads back; repair restores', async () => {
    const args = ['flannel', 'set', '-i', LAB_INVENTORY, '--network', '198.19.192.0/18', '--subnet-len', '26', '--backend', 'vxlan'];
    const want = '{"Network":"198.19.192.0/18","SubnetLen":26,"Backend":{"Type":"vxlan"}}';
    const old = '{"Network": "198.19.128.0/17", "Backend": {"Type": "vxlan"}}';
    const dry = await runCli([...args, '--dry-run']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.ok(dry.stdout.includes(`/coreos.com/network/config (v2) through lab-node-1: ${old} → ${want}`), dry.stdout);
    assert.match(dry.stdout, /dry run: nothing was written/);
    assert.equal((JSON.parse((await runCli(['flannel', 'get', '-i', LAB_INVENTORY, '--json'])).stdout) as { value: string }).value, old);
    try {
      const set = await runCli(args);
      assert.equal(set.code, 0, set.stdout + set.stderr);
      assert.match(set.stdout, /written and read back \(v2\)\nwritten and read back \(v3\)/);
      const now = JSON.parse((await runCli(['flannel', 'get', '-i', LAB_INVENTORY, '--json'])).stdout) as { value: string; where: string };
      assert.equal(now.value, want);
      // The value the flannels read (flannel.config's resolution): v2 here, the lab's flannels give no version.
      assert.match(now.where, /in the v2 keyspace, which flannel reads \(v2: lab-node-1, lab-node-2, lab-node-3: no flannel version found/);
      // The inventory still says 198.19.128.0/17: verify notices the change.
      const { report } = await verifyJson();
      assert.match(find(report, 1, 'flannel.config')?.message ?? '', /Network is 198\.19\.192\.0\/18, the inventory says 198\.19\.128\.0\/17/);
    } finally {
      await lab('repair', '1');
    }
    assert.equal((JSON.parse((await runCli(['flannel', 'get', '-i', LAB_INVENTORY, '--json'])).stdout) as { value: string }).value, old);
  });

  test('lint: the lab inventory is clean (exit 0), with no SSH', async () => {
    const r = await runCli(['lint', '-i', LAB_INVENTORY, '--json']);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout).problems, []);
  });
});
