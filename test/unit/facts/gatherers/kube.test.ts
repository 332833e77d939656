import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { commandLine, kubeScript, planKube, readKube } from '../../../../src/facts/gatherers/kube.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { facts, node } from '../../../fixtures/facts/builders.js';
import { PART_PREAMBLE, withNonce } from '../../../../src/util/frame-shell.js';
import { readParts } from '../../../../src/util/frames.js';
import type { Parts } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

const KUBELET = ['/opt/bin/kubelet', '--kubeconfig=/etc/kubernetes/kubelet.kubeconfig', '--node-ip=198.18.1.12', '--tls-cert-file=/etc/kubernetes/pki/kubelet.crt'];
const APISERVER = ['/opt/bin/kube-apiserver', '--etcd-servers=http://198.18.1.11:2379', '--secure-port=6443', '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt'];

// A process as the probe lists it: root unless said otherwise.
const execFileSyncText = (path: string) => readFileSync(path, 'utf8');

const proc = (pid: number, argv: string[], uid = 0) => ({ pid, name: (argv[0] ?? '').slice((argv[0] ?? '').lastIndexOf('/') + 1), uids: [uid, uid, uid, uid], argv });

// A stand-in /proc for the batch's process check: PID → its comm, uid and exe.
function fakeProc(procs: Record<number, { comm: string; uid: number; exe: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'clusterctl-proc-'));
  for (const [pid, p] of Object.entries(procs)) {
    mkdirSync(join(root, pid));
    writeFileSync(join(root, pid, 'comm'), `${p.comm}\n`);
    writeFileSync(join(root, pid, 'status'), `Name:\t${p.comm}\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\nGid:\t0\t0\t0\t0\n`);
    symlinkSync(p.exe, join(root, pid, 'exe'));
  }
  return root;
}

// The batch's kube part under a real sh, with stand-ins for curl, openssl and the files it reads;
// its reply's parts.
async function runOnNode(script: string, tools: Record<string, string>): Promise<Parts> {
  const bin = mkdtempSync(join(tmpdir(), 'clusterctl-kube-'));
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const r = await new Promise<ExecResult>((resolve) =>
    execFile('/bin/sh', ['-c', withNonce(TEST_NONCE, `${PART_PREAMBLE}\n${script}`)], { env: { PATH: `${bin}:/usr/bin:/bin` } }, (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? Number(err.code) : 0, timedOut: false })),
  );
  return readParts(r.stdout, TEST_NONCE);
}

describe('the kube part of a node\'s batch', () => {
  test('the running process\'s command line wins over the unit\'s; none at all is absent, saying so', () => {
    const f = { kubeProcs: { ok: [proc(42, KUBELET)] }, kubeUnits: { ok: {} } };
    assert.deepEqual(commandLine(f, 'kubelet'), { ok: { argv: KUBELET, from: '/proc/42/cmdline' } });
    assert.deepEqual(commandLine({ kubeProcs: { ok: [] }, kubeUnits: { ok: {} } }, 'kubelet'), { absent: 'no root kubelet runs on the node, and systemd has no kubelet.service loaded' });
  });

  test('a master: healthz, livez, readyz and each certificate in one script; a refused healthz reads as refused', async () => {
    const master = node({ name: 'm1', roles: ['etcd', 'master'], kubernetes: { nodeName: 'm1' } });
    // The kubelet's kubeconfig names its client certificate relative to itself, as kubectl reads it.
    const etc = mkdtempSync(join(tmpdir(), 'clusterctl-kubeconfig-'));
    writeFileSync(join(etc, 'kubelet.kubeconfig'), 'users:\n- name: k\n  user:\n    client-certificate: "pki/kubelet-client.crt"\n');
    const kubelet = KUBELET.map((a) => (a.startsWith('--kubeconfig=') ? `--kubeconfig=${etc}/kubelet.kubeconfig` : a));
    const probe = facts({ kubeProcs: [proc(7, kubelet), proc(8, APISERVER)], subnetEnv: { present: true, vars: {}, subnet: '10.1.2.1/24' } });
    const plan = planKube(master, probe);
    assert.deepEqual(plan.items.map((i) => i.name), ['healthz', 'livez', 'readyz', 'kubeconfig', 'kubeconfig-cert', 'cert0', 'cert1']);
    const procs = fakeProc({ 7: { comm: 'kubelet', uid: 0, exe: '/opt/bin/kubelet' }, 8: { comm: 'kube-apiserver', uid: 0, exe: '/opt/bin/kube-apiserver' } });
    const r = await runOnNode(kubeScript(plan, procs), {
      // curl: the kubelet's port refuses (exit 7), the apiserver answers ok
      curl: 'for a; do u=$a; done; case $u in *10248*) exit 7;; esac; printf "ok\\n200"',
      openssl: 'for a; do f=$a; done; echo "notAfter=Jan  1 00:00:00 2030 GMT"; echo "subject=CN = $f"',
    });
    const ev = readKube(plan, r, probe);
    assert.deepEqual(ev.kubeletHealthz, { ok: { kind: 'refused' } });
    assert.deepEqual(ev.livez, { ok: { kind: 'http', status: 200, body: 'ok' } });
    assert.deepEqual(ev.flannelLease, { ok: '10.1.2.1/24' });
    assert.ok('ok' in ev.certs);
    assert.deepEqual(
      ev.certs.ok.map((c) => [c.path, 'ok' in c.cert ? c.cert.ok.notAfter.toISOString() : c.cert]),
      [
        ['/etc/kubernetes/pki/apiserver.crt', '2030-01-01T00:00:00.000Z'],
        ['/etc/kubernetes/pki/kubelet.crt', '2030-01-01T00:00:00.000Z'],
        [`${etc}/pki/kubelet-client.crt`, '2030-01-01T00:00:00.000Z'],
      ],
    );
  });

  test('a worker asks no apiserver; node text cannot pose as a marker', async () => {
    const worker = node({ name: 'w1', roles: ['worker'], kubernetes: { nodeName: 'w1' } });
    const probe = facts({ kubeProcs: [proc(7, ['/opt/bin/kubelet'])] });
    const plan = planKube(worker, probe);
    assert.deepEqual(plan.items.map((i) => i.name), ['healthz', 'cert0']);
    const forged = `@@clusterctl:end ${TEST_NONCE} kube.healthz rc=0\n@@clusterctl:begin ${TEST_NONCE} kube.cert0\n@@clusterctl-kube end healthz rc=0\nforged`;
    const r = await runOnNode(kubeScript(plan, fakeProc({ 7: { comm: 'kubelet', uid: 0, exe: '/opt/bin/kubelet' } })), { curl: `printf '%s\\n500' '${forged}'`, openssl: 'exit 1' });
    const ev = readKube(plan, r, probe);
    assert.deepEqual(ev.kubeletHealthz, { ok: { kind: 'http', status: 500, body: forged } });
    assert.ok('ok' in ev.certs && 'error' in (ev.certs.ok[0]?.cert ?? {}), 'cert0 is its own part: openssl failed');
    assert.deepEqual(ev.livez, { absent: 'not a master' });
  });

  test('the batch re-checks the process before it reads a path of its command line: one that changed hands reads nothing', async () => {
    const worker = node({ name: 'w1', roles: ['worker'], become: 'sudo', kubernetes: { nodeName: 'w1' } });
    const probe = facts({ kubeProcs: [proc(7, ['/opt/bin/kubelet', '--config=/etc/kubernetes/kubelet.yaml'])] });
    const plan = planKube(worker, probe);
    assert.deepEqual(plan.items.map((i) => i.name), ['healthz', 'config', 'cert0']);
    const log = join(mkdtempSync(join(tmpdir(), 'clusterctl-ran-')), 'log');
    // sudo runs what follows `--`; every tool says that it ran.
    const tools = {
      sudo: `echo "sudo $*" >>${log}; while [ "$1" != -- ]; do shift; done; shift; exec "$@"`,
      curl: `echo curl >>${log}; printf "ok\\n200"`,
      // head also bounds each item's output: only the read of a file (`head -c N -- FILE`) is logged.
      head: `case "$*" in *" -- "*) echo "head $*" >>${log}; echo "healthzPort: 10248";; *) exec /usr/bin/head "$@";; esac`,
      openssl: `echo openssl >>${log}; exit 1`,
    };
    const ran = async (procs: string) => {
      writeFileSync(log, '');
      const r = await runOnNode(kubeScript(plan, procs), tools);
      return { ev: readKube(plan, r, probe), log: execFileSyncText(log) };
    };
    // Still the root kubelet (its binary replaced on disk since it started): everything is read.
    const same = await ran(fakeProc({ 7: { comm: 'kubelet', uid: 0, exe: '/opt/bin/kubelet (deleted)' } }));
    assert.deepEqual(same.ev.kubeletHealthz, { ok: { kind: 'http', status: 200, body: 'ok' } });
    assert.match(same.log, /^sudo -n -- readlink \/.*\/7\/exe\ncurl\nsudo -n -- head -c 65536 -- \/etc\/kubernetes\/kubelet.yaml\n/);
    // Now anyone's process under that PID, or a root one running another binary: nothing runs.
    const refused = {
      'uids are 65534 65534 65534 65534': { comm: 'kubelet', uid: 65534, exe: '/tmp/kubelet' },
      'is now bash': { comm: 'bash', uid: 0, exe: '/bin/bash' },
      'runs /usr/bin/passwd': { comm: 'kubelet', uid: 0, exe: '/usr/bin/passwd' },
    };
    for (const [why, p] of Object.entries(refused)) {
      const r = await ran(fakeProc({ 7: p }));
      assert.doesNotMatch(r.log, /curl|head|openssl/, why);
      assert.ok('error' in r.ev.kubeletConfig && r.ev.kubeletConfig.error.startsWith('/etc/kubernetes/kubelet.yaml: not read: PID 7 is not the root kubelet'), JSON.stringify(r.ev.kubeletConfig));
      assert.ok(r.ev.kubeletConfig.error.endsWith(why), r.ev.kubeletConfig.error);
      assert.ok('error' in r.ev.kubeletHealthz);
    }
  });
});
