// What the kube.* checks need from a node, gathered by the probe and the node's batch (the
// engine fills it; the parsers of this folder make each piece). Every field is required, and
// says present, absent with why, or unreadable.
import type { Fact } from './fact.js';
import type { CommandLine } from './flags.js';
import type { HttpAnswer } from './http-answer.js';
import type { CniConfig } from './cni.js';
import type { CertInfo } from './x509.js';
import type { KubeletConfigSettings } from './kubelet-config.js';

// One certificate a component uses: what it is for, where it is, what openssl says of it.
export interface CertEvidence {
  what: string; // "kube-apiserver serving certificate (--tls-cert-file)"
  path: string; // on the node; "(embedded in FILE)" for kubeconfig data
  cert: Fact<CertInfo>;
}

export interface KubeNodeEvidence {
  // The kubelet's command line: /proc/PID/cmdline of the running kubelet, else the ExecStart of
  // kubelet.service (absent: neither).
  kubelet: Fact<CommandLine>;
  // parseKubeletConfig of the file its --config names (absent: no --config); flags win over it.
  kubeletConfig: Fact<KubeletConfigSettings>;
  // GET of kubeletHealthzUrl(flags) on the node; absent when not asked (healthz disabled).
  kubeletHealthz: Fact<HttpAnswer>;
  // Masters: kube-apiserver's command line, the same way (absent on workers).
  apiserver: Fact<CommandLine>;
  // Masters: GET apiserverBaseUrl(flags) + /livez and /readyz on the node.
  livez: Fact<HttpAnswer>;
  readyz: Fact<HttpAnswer>;
  // parseCniConfig(ls -1 /etc/cni/net.d, the first config's text).
  cni: Fact<CniConfig>;
  // certificatesToRead(...), each read with openssl (or decoded from a kubeconfig).
  certs: Fact<CertEvidence[]>;
  // FLANNEL_SUBNET of /run/flannel/subnet.env (absent: no file).
  flannelLease: Fact<string>;
  // flanneld runs with --kube-subnet-mgr (flanneldKubeSubnetMgr on its unit or command line).
  kubeSubnetMgr: Fact<boolean>;
}
