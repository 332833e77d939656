import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
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
    const f = { kubeProcs: { ok: [{ pid: 42, argv: KUBELET }] }, kubeUnits: { ok: {} } };
    assert.deepEqual(commandLine(f, 'kubelet'), { ok: { argv: KUBELET, from: '/proc/42/cmdline' } });
    assert.deepEqual(commandLine({ kubeProcs: { ok: [] }, kubeUnits: { ok: {} } }, 'kubelet'), { absent: 'no kubelet runs on the node, and systemd has no kubelet.service loaded' });
  });

  test('a master: healthz, livez, readyz and each certificate in one script; a refused healthz reads as refused', async () => {
    const master = node({ name: 'm1', roles: ['etcd', 'master'], kubernetes: { nodeName: 'm1' } });
    // The kubelet's kubeconfig names its client certificate relative to itself, as kubectl reads it.
    const etc = mkdtempSync(join(tmpdir(), 'clusterctl-kubeconfig-'));
    writeFileSync(join(etc, 'kubelet.kubeconfig'), 'users:\n- name: k\n  user:\n    client-certificate: "pki/kubelet-client.crt"\n');
    const kubelet = KUBELET.map((a) => (a.startsWith('--kubeconfig=') ? `--kubeconfig=${etc}/kubelet.kubeconfig` : a));
    const probe = facts({ kubeProcs: [{ pid: 7, argv: kubelet }, { pid: 8, argv: APISERVER }], subnetEnv: { present: true, vars: {}, subnet: '10.1.2.1/24' } });
    const plan = planKube(master, probe);
    assert.deepEqual(plan.items.map((i) => i.name), ['healthz', 'livez', 'readyz', 'kubeconfig', 'kubeconfig-cert', 'cert0', 'cert1']);
    const r = await runOnNode(kubeScript(plan), {
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
    const probe = facts({ kubeProcs: [{ pid: 7, argv: ['/opt/bin/kubelet'] }] });
    const plan = planKube(worker, probe);
    assert.deepEqual(plan.items.map((i) => i.name), ['healthz', 'cert0']);
    const forged = `@@clusterctl:end ${TEST_NONCE} kube.healthz rc=0\n@@clusterctl:begin ${TEST_NONCE} kube.cert0\n@@clusterctl-kube end healthz rc=0\nforged`;
    const r = await runOnNode(kubeScript(plan), { curl: `printf '%s\\n500' '${forged}'`, openssl: 'exit 1' });
    const ev = readKube(plan, r, probe);
    assert.deepEqual(ev.kubeletHealthz, { ok: { kind: 'http', status: 500, body: forged } });
    assert.ok('ok' in ev.certs && 'error' in (ev.certs.ok[0]?.cert ?? {}), 'cert0 is its own part: openssl failed');
    assert.deepEqual(ev.livez, { absent: 'not a master' });
  });
});
