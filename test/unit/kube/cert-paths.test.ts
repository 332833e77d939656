import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatesToRead, flanneldKubeSubnetMgr, kubeconfigClientCert } from '../../../src/kube/cert-paths.js';
import { apiserverFlags, kubeletFlags } from '../../../src/kube/flags.js';

describe('which certificates kube.certs reads', () => {
  test('from the apiserver\'s and the kubelet\'s flags; the kubelet\'s self-signed one by default', () => {
    const api = apiserverFlags(['kube-apiserver', '--tls-cert-file=/etc/kubernetes/tls/apiserver.crt', '--kubelet-client-certificate=/etc/kubernetes/tls/kc.crt']);
    assert.deepEqual(certificatesToRead(kubeletFlags(['kubelet']), api), [
      { what: 'kube-apiserver serving certificate (--tls-cert-file)', path: '/etc/kubernetes/tls/apiserver.crt' },
      { what: 'kube-apiserver client certificate to kubelets (--kubelet-client-certificate)', path: '/etc/kubernetes/tls/kc.crt' },
      { what: 'kubelet serving certificate (self-signed in --cert-dir)', path: '/var/lib/kubelet/pki/kubelet.crt' },
    ]);
    assert.deepEqual(certificatesToRead(kubeletFlags(['kubelet', '--tls-cert-file=/etc/kubernetes/tls/w1.crt']), undefined), [{ what: 'kubelet serving certificate (--tls-cert-file)', path: '/etc/kubernetes/tls/w1.crt' }]);
  });

  test('the kubelet kubeconfig\'s client certificate: a path (relative to the file), embedded data decoded, or none', () => {
    const kc = (user: string) => `apiVersion: v1\nkind: Config\nusers:\n- name: kubelet\n  user:\n${user}\ncontexts:\n- name: c\n  context: {cluster: lab, user: kubelet}\ncurrent-context: c\n`;
    assert.deepEqual(kubeconfigClientCert(kc('    client-certificate: tls/w1.crt\n    client-key: tls/w1.key'), '/etc/kubernetes/kubelet.kubeconfig'), { ok: { path: '/etc/kubernetes/tls/w1.crt' } });
    assert.deepEqual(kubeconfigClientCert(kc('    token: abc'), '/k'), { absent: '/k names no client certificate (a token or exec plugin, perhaps)' });
    assert.ok('error' in kubeconfigClientCert('users: [\n', '/k'));
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-kc-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c.crt'), '-days', '5', '-subj', '/O=system:nodes/CN=system:node:w1'], { stdio: 'ignore' });
      const data = readFileSync(join(dir, 'c.crt')).toString('base64');
      const r = kubeconfigClientCert(kc(`    client-certificate-data: ${data}`), '/k');
      assert.ok('ok' in r && 'info' in r.ok);
      assert.match(r.ok.info.subject, /CN=system:node:w1/);
      const days = (r.ok.info.notAfter.getTime() - Date.now()) / 86_400_000;
      assert.ok(days > 4.9 && days <= 5, `${days}`);
      assert.ok('error' in kubeconfigClientCert(kc('    client-certificate-data: bm90IGEgY2VydA=='), '/k'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('flanneld --kube-subnet-mgr: flag (bare or =true), or FLANNELD_KUBE_SUBNET_MGR', () => {
    assert.equal(flanneldKubeSubnetMgr(['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr'], {}), true);
    assert.equal(flanneldKubeSubnetMgr(['/opt/bin/flanneld', '--kube-subnet-mgr=false'], { FLANNELD_KUBE_SUBNET_MGR: 'true' }), false);
    assert.equal(flanneldKubeSubnetMgr(['/opt/bin/flanneld'], { FLANNELD_KUBE_SUBNET_MGR: 'true' }), true);
    assert.equal(flanneldKubeSubnetMgr(['/opt/bin/flanneld', '--etcd-endpoints=http://198.18.0.11:2379'], {}), false);
  });
});
