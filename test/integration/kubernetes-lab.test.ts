import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { LAB_INVENTORY, LAB_STATE, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';
import { asRootOnNode, NO_DATAPATH, onNode, sysdLab } from '../helpers/systemd-lab.js';

// The Kubernetes lab (LAB_NODES=systemd LAB_K8S=1): kube-apiserver on node 1 (master + etcd),
// kubelets with containerd on all three, every unit and config from `clusterctl render`. Seen
// the way the operator sees it: Debian's kubectl with the lab's admin kubeconfig, and the
// kubelet's and apiserver's own health endpoints on the nodes. Each fault is asserted by the
// real effect it has on the cluster, and each repair by the cluster being whole again.

const NODES = [1, 2, 3];
const K8S = { LAB_K8S: '1' };
const addr = (i: number) => `198.18.1.${10 + i}`;

interface Node {
  metadata: { name: string };
  status: {
    conditions: { type: string; status: string; reason?: string; message?: string }[];
    addresses: { type: string; address: string }[];
    nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string };
  };
}

const kubectl = async (...args: string[]) => (await sysdLab(['kubectl', ...args], K8S)).trim();
async function nodes(): Promise<Map<string, Node>> {
  const list = JSON.parse(await kubectl('get', 'nodes', '-o', 'json')) as { items: Node[] };
  return new Map(list.items.map((n) => [n.metadata.name, n]));
}
const ready = (n: Node | undefined) => n?.status.conditions.find((c) => c.type === 'Ready');
const internalIp = (n: Node | undefined) => n?.status.addresses.find((a) => a.type === 'InternalIP')?.address;

// "NAME READY INTERNAL-IP" per Node, sorted: the whole cluster in one comparable value.
async function summary(): Promise<string[]> {
  return [...(await nodes()).values()].map((n) => `${n.metadata.name} ${ready(n)?.status} ${internalIp(n)}`).sort();
}
const HEALTHY = NODES.map((i) => `${nodeName(i)} True ${addr(i)}`);

// clusterctl verify as the operator runs it: the lab's admin kubeconfig through $KUBECONFIG.
const verify = async (...args: string[]) => (await verifyJson([...args, ...NO_DATAPATH], { env: { ...process.env, KUBECONFIG: `${LAB_STATE}admin.kubeconfig` } })).report;
// Every check that did not pass or skip, "NODE ID=STATUS", sorted.
const notPassing = (r: JsonReport) =>
  r.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${n.name} ${c.id}=${c.status}`)).sort();
const messageOf = (r: JsonReport, node: string, id: string) => r.nodes.find((n) => n.name === node)?.checks.find((c) => c.id === id && c.status !== 'pass')?.message ?? '';

// The kubelet's healthz on node i, asked on the node as kubeadm does: "ok", or curl's exit code
// (7: connection refused).
const kubeletHealthz = async (i: number) =>
  (await onNode(i, 'curl -s --max-time 3 http://127.0.0.1:10248/healthz || echo "refused (curl exit $?)"')).trim();

// Poll (bounded) until f() returns what `want` accepts; the last value otherwise, for the message.
async function until<T>(f: () => Promise<T>, want: (v: T) => boolean, seconds = 90): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await f();
    if (want(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('the Kubernetes lab: real kube-apiserver and kubelets, provisioned by render, and its faults', { skip: labSkip }, () => {
  // Cold, `up` also builds kube-apiserver and kubelet (~10 min on 2 cores; CI runs `lab.sh
  // k8s-build` first, timed) and the base image and node layer: more than one test's timeout.
  before(
    async () => {
      await sysdLab(['up', String(NODES.length)], K8S);
    },
    { timeout: 30 * 60_000 },
  );
  after(async () => {
    await sysdLab(['down'], K8S);
  });

  test('every node registered under its inventory name, Ready, with its inventory address, kubelet v1.20.2 on containerd', async () => {
    assert.deepEqual(await until(summary, (s) => s.join() === HEALTHY.join()), HEALTHY);
    for (const n of (await nodes()).values()) {
      assert.equal(n.status.nodeInfo.kubeletVersion, 'v1.20.2');
      assert.match(n.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\.6\./);
    }
    assert.equal(await kubectl('get', '--raw', '/livez'), 'ok');
    assert.match(await kubectl('version', '--short'), /^Client Version: v1\.20\.2\nServer Version: v1\.20\.2$/);
    // clusterctl verify: every kube.* check passes on every node (kube.podcidr skips: no
    // kube-controller-manager runs, so Nodes have no podCIDR).
    const r = await verify('--wait', '60s');
    assert.deepEqual(notPassing(r), []);
    for (const i of NODES) {
      const ids = new Set(r.nodes.find((n) => n.name === nodeName(i))?.checks.filter((c) => c.status === 'pass').map((c) => c.id));
      for (const id of ['kube.kubelet', 'kube.node', 'kube.cni', 'kube.certs', ...(i === 1 ? ['kube.apiserver', 'kube.nodes'] : [])]) assert.ok(ids.has(id), `${nodeName(i)} ${id} passes`);
    }
  });

  test('each kubelet answers its healthz; the apiserver answers /livez on the node itself', async () => {
    for (const i of NODES) assert.equal(await kubeletHealthz(i), 'ok');
    // No credentials: reachable, and refused as anonymous is (the kube.apiserver check's 401/403 case).
    assert.match(await onNode(1, 'curl -sk -o /dev/null -w "%{http_code}" https://127.0.0.1:6443/livez'), /^(200|401|403)$/);
  });

  test('no kubelet may reach the AWS metadata address: the unit disables the provider, the node rejects it', async () => {
    for (const i of NODES) {
      const env = await sysdLab(['enter', String(i), 'sh', '-c', 'tr "\\0" "\\n" </proc/$(systemctl show -p MainPID --value kubelet.service)/environ'], K8S);
      assert.match(env, /^AWS_EC2_METADATA_DISABLED=true$/m);
      const rules = await sysdLab(['enter', String(i), 'iptables', '-S', 'OUTPUT'], K8S);
      assert.match(rules, /^-A OUTPUT -d 169\.254\.169\.254\/32 -j REJECT/m);
    }
  });

  test('cni-missing: the Node turns NotReady with the runtime network reason; repair makes it Ready', async () => {
    await sysdLab(['fault', 'cni-missing', '2'], K8S);
    const r = ready((await nodes()).get(nodeName(2)));
    assert.equal(r?.status, 'False');
    assert.match(r?.message ?? '', /runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady .*cni plugin not initialized/);
    assert.equal(ready((await nodes()).get(nodeName(1)))?.status, 'True', 'the other nodes stay Ready');
    const v = await verify();
    assert.deepEqual(notPassing(v), ['lab-node-2 kube.cni=fail', 'lab-node-2 kube.node=fail']);
    assert.match(messageOf(v, 'lab-node-2', 'kube.node'), /cni plugin not initialized/);
    await sysdLab(['repair', '2'], K8S);
    assert.deepEqual(await summary(), HEALTHY);
  });

  test('wrong-node-name: the kubelet registers as NAME.lab.test, and no Node has the inventory name', async () => {
    await sysdLab(['fault', 'wrong-node-name', '3'], K8S);
    const names = [...(await nodes()).keys()].sort();
    assert.deepEqual(names, [nodeName(1), nodeName(2), `${nodeName(3)}.lab.test`]);
    const r = await verify();
    assert.deepEqual(notPassing(r), ['lab-node-1 kube.nodes=fail', 'lab-node-3 kube.node=fail']);
    assert.match(messageOf(r, 'lab-node-3', 'kube.node'), /no Node named lab-node-3 .*lab-node-3\.lab\.test/);
    await sysdLab(['repair', '3'], K8S);
    assert.deepEqual(await summary(), HEALTHY);
  });

  test('wrong-node-ip: the Node\'s InternalIP is the other address, not the inventory\'s', async () => {
    await sysdLab(['fault', 'wrong-node-ip', '2'], K8S);
    assert.equal(internalIp((await nodes()).get(nodeName(2))), '198.18.201.12');
    const r = await verify();
    assert.deepEqual(notPassing(r), ['lab-node-2 kube.node=fail']);
    assert.match(messageOf(r, 'lab-node-2', 'kube.node'), /InternalIP is 198\.18\.201\.12, the inventory's network\.address is 198\.18\.1\.12/);
    await sysdLab(['repair', '2'], K8S);
    assert.deepEqual(await summary(), HEALTHY);
  });

  test('kubelet-stopped: its healthz refuses the connection on that node only', async () => {
    await sysdLab(['fault', 'kubelet-stopped', '3'], K8S);
    assert.equal(await kubeletHealthz(3), 'refused (curl exit 7)');
    assert.equal(await kubeletHealthz(2), 'ok');
    assert.deepEqual(notPassing(await verify()), ['lab-node-3 kube.kubelet=fail']);
    await sysdLab(['repair', '3'], K8S);
    assert.equal(await kubeletHealthz(3), 'ok');
  });

  // Issue 23: any local user may start a process named kubelet with the flags they like. Before,
  // the probe took the first one in /proc and the batch read its --config and --kubeconfig with sudo.
  test('impostor-kubelet: nobody\'s "kubelet" comes first in /proc; the kube.* checks inspect the real one and read no path of the impostor\'s', async () => {
    await sysdLab(['fault', 'impostor-kubelet', '2'], K8S);
    try {
      const kubelet = (await asRootOnNode(2, 'systemctl show -p MainPID --value kubelet.service')).trim();
      const impostors = (await asRootOnNode(2, 'pgrep -u nobody -x kubelet')).trim().split('\n');
      // Compared as strings: the order of the /proc/[0-9]* glob.
      assert.ok(impostors.some((p) => p < kubelet), `an impostor (${impostors.join(' ')}) comes before the kubelet (${kubelet}) in /proc`);
      // Its --config would move the healthz (10999): read, kube.kubelet would say so.
      assert.deepEqual(notPassing(await verify()), []);
      const facts = await runCli(['facts', '-i', LAB_INVENTORY, '--node', nodeName(2)], { env: { ...process.env, KUBECONFIG: `${LAB_STATE}admin.kubeconfig` } });
      assert.equal(facts.code, 0, facts.stderr);
      assert.ok(!facts.stdout.includes('/tmp/impostor') && !facts.stdout.includes('/etc/shadow'), 'nothing of the impostor\'s command line reaches the facts');
      const node = (JSON.parse(facts.stdout) as { nodes: { facts: { kubeProcs: { ok: unknown[] }; kube: { ok: { kubelet: { ok: { from: string } } } } } }[] }).nodes[0];
      assert.equal(node?.facts.kube.ok.kubelet.ok.from, `/proc/${kubelet}/cmdline`);
      for (const pid of impostors) assert.ok(node?.facts.kubeProcs.ok.some((p) => isDeepStrictEqual(p, { pid: Number(pid), name: 'kubelet', uids: [65534, 65534, 65534, 65534], argv: [] })), `PID ${pid} listed with its uids only`);
    } finally {
      await sysdLab(['repair', '2'], K8S);
    }
    assert.equal((await asRootOnNode(2, 'pgrep -u nobody -x kubelet || echo none')).trim(), 'none');
  });

  test('apiserver-stopped: /livez is unreachable, from the operator and on the master; repair brings it back', async () => {
    await sysdLab(['fault', 'apiserver-stopped', '1'], K8S);
    await assert.rejects(kubectl('get', '--raw', '/livez'), /connection to the server 198\.18\.1\.11:6443 was refused/);
    assert.equal(await onNode(1, 'curl -sk --max-time 3 https://127.0.0.1:6443/livez >/dev/null; echo "curl exit $?"'), 'curl exit 7\n', 'connection refused on the node too');
    // kube.apiserver fails on the master; every check that needs the API says it could not check.
    const failed = notPassing(await verify());
    assert.deepEqual(failed.filter((f) => f.endsWith('=fail')), ['lab-node-1 kube.apiserver=fail']);
    assert.ok(failed.filter((f) => f.endsWith('=error')).every((f) => / kube\.(node|podcidr|nodes)=error$/.test(f)), failed.join('\n'));
    await sysdLab(['repair', '1'], K8S);
    assert.equal(await kubectl('get', '--raw', '/livez'), 'ok');
    assert.deepEqual(await summary(), HEALTHY);
    assert.deepEqual(notPassing(await verify()), [], 'after every repair, verify passes again');
  });

  // The operator's kubeconfig gone wrong three ways: each API check is one error naming the
  // kubeconfig and what to do; every check that reads the nodes themselves still runs and passes.
  test('a kubeconfig that points nowhere, trusts another CA, or may not list nodes: one clear error per API check, the rest still checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-kubeconfig-'));
    try {
      const admin = readFileSync(`${LAB_STATE}admin.kubeconfig`, 'utf8');
      // A CA the apiserver's certificate was not signed by.
      execFileSync('openssl', ['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=another-ca', '-keyout', join(dir, 'other.key'), '-out', join(dir, 'other.crt')], { stdio: 'ignore' });
      writeFileSync(join(dir, 'wrong-ca.kubeconfig'), admin.replace(/certificate-authority: .*/, `certificate-authority: ${join(dir, 'other.crt')}`));
      // A client the lab CA signed, in no group RBAC grants anything.
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=nobody', '-keyout', join(dir, 'nobody.key'), '-out', join(dir, 'nobody.csr')], { stdio: 'ignore' });
      execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'nobody.csr'), '-CA', `${LAB_STATE}pki/ca.crt`, '-CAkey', `${LAB_STATE}pki/ca.key`, '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '1', '-out', join(dir, 'nobody.crt')], { stdio: 'ignore' });
      writeFileSync(join(dir, 'nobody.kubeconfig'), admin.replace(/client-certificate: .*/, `client-certificate: ${join(dir, 'nobody.crt')}`).replace(/client-key: .*/, `client-key: ${join(dir, 'nobody.key')}`));
      const cases: [file: string, why: RegExp][] = [
        [join(dir, 'nowhere.kubeconfig'), /nowhere\.kubeconfig/],
        [join(dir, 'wrong-ca.kubeconfig'), /wrong-ca\.kubeconfig.*(certificate|CA|TLS)/i],
        [join(dir, 'nobody.kubeconfig'), /nobody\.kubeconfig.*(403|forbidden|permission)/i],
      ];
      for (const [file, why] of cases) {
        const { report } = await verifyJson(NO_DATAPATH, { env: { ...process.env, KUBECONFIG: file } });
        const failed = notPassing(report);
        assert.ok(failed.length > 0 && failed.every((f) => / kube\.(node|nodes|podcidr)=error$/.test(f)), `${file}: ${failed.join(', ')}`);
        for (const n of report.nodes) {
          const node = n.checks.find((c) => c.id === 'kube.node');
          assert.match(node?.message ?? '', why, `${n.name}: ${node?.message}`);
          // The node-side checks are unaffected: the kubelet and the CNI config were read on the node.
          assert.equal(n.checks.find((c) => c.id === 'kube.kubelet')?.status, 'pass');
          assert.equal(n.checks.find((c) => c.id === 'kube.cni')?.status, 'pass');
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
