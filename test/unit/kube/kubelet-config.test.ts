import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveKubelet, parseKubeletConfig } from '../../../src/kube/kubelet-config.js';
import { kubeletFlags } from '../../../src/kube/flags.js';

// kubeadm 1.20's /var/lib/kubelet/config.yaml, shortened.
const KUBEADM = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
healthzBindAddress: 127.0.0.1
healthzPort: 10248
kind: KubeletConfiguration
rotateCertificates: true
staticPodPath: /etc/kubernetes/manifests
`;

describe("the kubelet's --config file", () => {
  test('kubeadm\'s: healthz port and address', () => {
    assert.deepEqual(parseKubeletConfig(KUBEADM, '/var/lib/kubelet/config.yaml'), { ok: { healthzPort: 10248, healthzBindAddress: '127.0.0.1' } });
  });
  test('not YAML, not a mapping, another kind', () => {
    assert.ok('error' in parseKubeletConfig('a: [', '/c'));
    assert.deepEqual(parseKubeletConfig('- 1\n', '/c'), { error: '/c is not a KubeletConfiguration (not a mapping)' });
    assert.deepEqual(parseKubeletConfig('kind: KubeProxyConfiguration\n', '/c'), { error: '/c is a KubeProxyConfiguration, not a KubeletConfiguration' });
  });
  test('flags win over the file', () => {
    const cfg = parseKubeletConfig('kind: KubeletConfiguration\nhealthzPort: 0\ntlsCertFile: /etc/k/a.crt\n', '/c');
    assert.deepEqual(effectiveKubelet(kubeletFlags(['kubelet', '--healthz-port=10248']), cfg), { healthzPort: 10248, tlsCertFile: '/etc/k/a.crt' });
    assert.deepEqual(effectiveKubelet(kubeletFlags(['kubelet']), { absent: 'no --config' }), {});
  });
});
