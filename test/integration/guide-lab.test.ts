import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { LAB_INVENTORY, LAB_STATE, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';
import { etcdLab } from '../fixtures/etcd/lab.js';

// A lab laid out exactly as the setup guide: etcd member app-etcd-1 on lab-node-1 peering on
// 127.0.0.1 (clients also on node 1's address, so the workers' flannel can reach it), the key
// {"Network": "…"} with no Backend written with `etcdctl set` (v2), flannel0 (udp) on every node,
// Container Linux's flanneld.service (flannel v0.11.0) everywhere and the guide's drop-in on node 1,
// whose etcdctl speaks v2 by default as Container Linux's did.
const GUIDE = { LAB_ETCD: 'single', LAB_ETCD_V2: '1', LAB_FLANNEL: 'guide' };
const NETWORK = '198.19.128.0/17';

// Every result that is neither pass nor skip, as "node id=status".
const bad = (report: JsonReport) =>
  report.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${n.name} ${c.id}=${c.status}`));
const find = (report: JsonReport, node: number, id: string) => report.nodes.find((n) => n.name === nodeName(node))?.checks.find((c) => c.id === id);

// The guide's udp backend needs flanneld's own proxy to carry packets, which the lab does not run
// (a tun device alone): flannel.datapath has nothing to test here (docs/checks.md).
const NO_DATAPATH = ['--skip', 'flannel.datapath'];

describe('the setup guide\'s layout on the real lab (etcd 3.4, flannel traces, unit files)', { skip: labSkip }, () => {
  before(async () => {
    await etcdLab(['up', '3'], GUIDE);
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('verify passes: the member is found by where it peers, flannel 0.11 reads v2, the drop-in works with a v2 etcdctl', async () => {
    const { code, report } = await verifyJson(NO_DATAPATH);
    assert.deepEqual(bad(report), []);
    assert.equal(code, 0);
    assert.match(find(report, 1, 'etcd.members')?.message ?? '', /^1 member as in the inventory \(v3\): lab-node-1's member is app-etcd-1 \([0-9a-f]{6}…\), the lone member, peering on loopback$/);
    assert.match(find(report, 1, 'flannel.config')?.message ?? '', new RegExp(`^Network ${NETWORK.replace(/[./]/g, '\\$&')}, SubnetLen 24, Backend udp — /coreos\\.com/network/config in the v2 keyspace, which flannel reads \\(v2: lab-node-1, lab-node-2, lab-node-3: flannel v0\\.11\\.0 \\(FLANNEL_IMAGE_TAG=v0\\.11\\.0 in /etc/systemd/system/flanneld\\.service\\) reads v2, being < 0\\.18\\)$`));
    assert.match(find(report, 1, 'flannel.dropin')?.message ?? '', /^50-network-config\.conf .* writes \/coreos\.com\/network\/config = \{"Network": "198\.19\.128\.0\/17"\} at every start of flanneld \(`set`, v2: etcdctl 3\.4\.\d+ speaks v2 by default\); same as the key and the inventory$/);
    // only node 1 has the drop-in; node 2 passes, saying it has none
    assert.equal(find(report, 2, 'flannel.dropin')?.status, 'pass');
    assert.equal(find(report, 2, 'flannel.dropin')?.message, "no drop-in of lab-node-2's flanneld.service writes /coreos.com/network/config");
    assert.equal(find(report, 2, 'flannel.etcd-reach')?.message, 'http://198.18.1.11:2379 accepts TCP from lab-node-2 (endpoints from cluster.etcd.endpoints in the inventory)');
    assert.equal(find(report, 3, 'flannel.interface')?.actual, 'flannel0 (tun) up, 198.19.131.0/17');
  });

  test('lint: the lab inventory (etcd reachable at node 1\'s address) is clean', async () => {
    const r = await runCli(['lint', '-i', LAB_INVENTORY, '--json']);
    assert.equal(r.code, 0, r.stdout);
  });

  const faults: [fault: string, node: number, failing: string[], message: RegExp][] = [
    ['flannel-key-v3-only', 1, ['lab-node-1 flannel.config=fail'], /\/coreos\.com\/network\/config is not in the v2 keyspace, which flannel reads \(lab-node-1, lab-node-2, lab-node-3: flannel v0\.11\.0 .*\); it is in the v3 keyspace \(\{"Network": "198\.19\.128\.0\/17"\}\), which those flannels do not read: write it with `clusterctl flannel set --network CIDR`$/],
    ['flannel-v018', 3, ['lab-node-1 flannel.config=fail'], /is not in the v3 keyspace, which flannel reads \(lab-node-3: flannel v0\.18\.1 \(FLANNEL_IMAGE_TAG=v0\.18\.1 in \/etc\/systemd\/system\/flanneld\.service\) reads v3, being ≥ 0\.18\); it is in the v2 keyspace/],
    ['flannel-dropin-v3', 1, ['lab-node-1 flannel.dropin=fail'], /etcdctl 3\.4\.\d+ speaks v3 by default and nothing sets ETCDCTL_API=2: v2 `set` does not exist in v3, so it fails at every start and flanneld never starts; add Environment=ETCDCTL_API=2 to the drop-in/],
    ['etcd-loopback-only', 1, ['lab-node-2 flannel.etcd-reach=fail', 'lab-node-3 flannel.etcd-reach=fail'], /^lab-node-3 cannot reach etcd at http:\/\/198\.18\.1\.11:2379 \(ECONNREFUSED: connect: Connection refused\): nothing listens there: make etcd listen on that address \(listen_client_urls\), not only on 127\.0\.0\.1 \(endpoints from cluster\.etcd\.endpoints in the inventory\)$/],
    // Container Linux's flanneld.service reads /run/flannel/options.env: the endpoints set there are flanneld's.
    ['flannel-options-env', 3, ['lab-node-3 flannel.etcd-reach=fail'], /^lab-node-3 cannot reach etcd at http:\/\/198\.18\.1\.11:2390 \(ECONNREFUSED: connect: Connection refused\): .*\(endpoints from FLANNELD_ETCD_ENDPOINTS in \/run\/flannel\/options\.env\)$/],
    ['etcd-unreachable', 2, ['lab-node-2 flannel.etcd-reach=fail'], /^lab-node-2 cannot reach etcd at http:\/\/198\.18\.1\.11:2379 \(EHOSTUNREACH: connect: No route to host\): check the route and any firewall between lab-node-2 and that address/],
  ];
  for (const [fault, i, failing, message] of faults) {
    test(`fault ${fault} on node ${i} fails exactly ${failing.join(' and ')}`, async () => {
      await etcdLab(['fault', fault, String(i)], GUIDE);
      try {
        const { code, report } = await verifyJson(NO_DATAPATH);
        assert.deepEqual(bad(report), failing);
        assert.equal(code, 1);
        const [node, id] = (failing.at(-1) ?? '').split(/[ =]/);
        assert.match(report.nodes.find((n) => n.name === node)?.checks.find((c) => c.id === id)?.message ?? '', message);
      } finally {
        await etcdLab(['repair', String(i)], GUIDE);
      }
    });
  }

  test('fault flannel-dropin-value on node 1: verify still passes, flannel.dropin leads with a warning naming both values', async () => {
    await etcdLab(['fault', 'flannel-dropin-value', '1'], GUIDE);
    try {
      const { code, report } = await verifyJson(NO_DATAPATH);
      assert.deepEqual(bad(report), []);
      assert.equal(code, 0);
      const r = find(report, 1, 'flannel.dropin');
      assert.equal(r?.status, 'pass');
      assert.match(r?.message ?? '', /^warning: 50-network-config\.conf .* writes Network 198\.19\.0\.0\/17, the inventory says cluster\.flannel\.network 198\.19\.128\.0\/17; warning: .* writes \{"Network": "198\.19\.0\.0\/17"\}, the key holds \{"Network": "198\.19\.128\.0\/17"\} \(v2\): the next restart of flanneld on lab-node-1 puts the drop-in's value back/);
    } finally {
      await etcdLab(['repair', '1'], GUIDE);
    }
  });

  test('fault etcdctl-33-health on node 1 (text for -w json, as etcdctl 3.3.0-3.3.13): etcd.health still reads it', async () => {
    await etcdLab(['fault', 'etcdctl-33-health', '1'], GUIDE);
    try {
      const { report } = await verifyJson(['--only', 'etcd']);
      assert.deepEqual(bad(report), []);
      assert.equal(find(report, 1, 'etcd.health')?.message, '1 endpoint healthy (v3 endpoint health in text, as etcdctl 3.3 prints it whatever -w says: http://localhost:2379)');
    } finally {
      await etcdLab(['repair', '1'], GUIDE);
    }
  });

  test('a pinned etcd.name that is not the member\'s: etcd.members fails naming both sides', async () => {
    const file = join(LAB_STATE, 'inventory-wrong-name.yaml');
    writeFileSync(file, readFileSync(LAB_INVENTORY, 'utf8').replace('name: app-etcd-1,', 'name: app-etcd-9,'));
    const { report } = await verifyJson(['--only', 'etcd.members'], { inventory: file });
    assert.deepEqual(bad(report), ['lab-node-1 etcd.members=fail']);
    assert.match(find(report, 1, 'etcd.members')?.message ?? '', /^1 member, expected 1: lab-node-1's member is app-etcd-1 \([0-9a-f]{6}…\), but the inventory pins etcd\.name app-etcd-9: correct nodes\[\]\.etcd\.name/);
  });

  test('flannel set --dry-run: writes v2 (what flannel 0.11 reads), warns that node 1\'s drop-in overwrites it at the next restart', async () => {
    const r = await runCli(['flannel', 'set', '-i', LAB_INVENTORY, '--network', '198.19.192.0/18', '--dry-run']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^keyspace v2: flannel reads it \(lab-node-1, lab-node-2, lab-node-3: flannel v0\.11\.0 /m);
    assert.match(r.stdout, /^\/coreos\.com\/network\/config \(v2\) through lab-node-1: \{"Network": "198\.19\.128\.0\/17"\} → \{"Network":"198\.19\.192\.0\/18"\}$/m);
    assert.doesNotMatch(r.stdout, /\(v3\) through/);
    assert.match(r.stdout, /^warning: lab-node-1's drop-in \/etc\/systemd\/system\/flanneld\.service\.d\/50-network-config\.conf writes \{"Network": "198\.19\.128\.0\/17"\} to \/coreos\.com\/network\/config at every start of flanneld: the next restart of flanneld on lab-node-1 overwrites this value/m);
  });
});

describe('the setup guide\'s layout on a v3-only etcd (LAB_ETCD_V2=0: the key only in v3, as on Flatcar\'s etcd 3.5)', { skip: labSkip }, () => {
  const V3 = { ...GUIDE, LAB_ETCD_V2: '0' };
  before(async () => {
    await etcdLab(['up', '3'], V3);
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('flannel.config and the drop-in fail on node 1 with the --enable-v2 hint (flannel-io/flannel#1057); nothing else', async () => {
    const { code, report } = await verifyJson(NO_DATAPATH);
    assert.deepEqual(bad(report), ['lab-node-1 flannel.config=fail', 'lab-node-1 flannel.dropin=fail']);
    assert.equal(code, 1);
    assert.match(find(report, 1, 'flannel.config')?.message ?? '', /^etcd does not serve the v2 API, and flannel reads \/coreos\.com\/network\/config from v2 \(lab-node-1, lab-node-2, lab-node-3: flannel v0\.11\.0 .*\); it is in the v3 keyspace .*: start etcd with --enable-v2 \(etcd 3\.4 and 3\.5; 3\.6 has no v2\)/);
    assert.match(find(report, 1, 'flannel.dropin')?.message ?? '', /a v2 write, but etcd does not serve the v2 API, so it fails at every start and flanneld never starts/);
  });

  test('flannel set refuses with the --enable-v2 hint and writes nothing', async () => {
    const r = await runCli(['flannel', 'set', '-i', LAB_INVENTORY, '--network', '198.19.192.0/18']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^refused: flannel reads the v2 keyspace \(lab-node-1, lab-node-2, lab-node-3: .*\), but etcd does not serve v2: start etcd with --enable-v2 .*; nothing was written$/m);
    // get judges the key as flannel.config does: the flannels read v2, which etcd does not serve;
    // the v3 copy is named as where the key is instead.
    const get = await runCli(['flannel', 'get', '-i', LAB_INVENTORY, '--json']);
    assert.equal(get.code, 1);
    const got = JSON.parse(get.stdout) as { found: boolean; api: string | null; where: string };
    assert.deepEqual([got.found, got.api], [false, null]);
    assert.match(got.where, /etcd does not serve the v2 API, and flannel reads \/coreos\.com\/network\/config from v2 .*; it is in the v3 keyspace \(\{"Network": "[^"]+"\}\), which those flannels do not read/);
  });
});
