// Which certificates kube.certs reads on a node, from the flags the kubelet and the apiserver run
// with; and the client certificate a kubelet's kubeconfig names or embeds. Pure.
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import type { Fact } from './fact.js';
import type { ApiserverFlags, KubeletFlags } from './flags.js';
import type { CertInfo } from './x509.js';

export const KUBELET_CERT_DIR = '/var/lib/kubelet/pki';

export interface CertToRead {
  what: string;
  path: string;
}

// The files to hand to openssl. The kubelet's client certificate comes from its kubeconfig
// (kubeconfigClientCert) when that names one; with rotation it is CERT_DIR/kubelet-client-current.pem.
export function certificatesToRead(kubelet: KubeletFlags | undefined, apiserver: ApiserverFlags | undefined): CertToRead[] {
  const out: CertToRead[] = [];
  if (apiserver?.tlsCertFile) out.push({ what: 'kube-apiserver serving certificate (--tls-cert-file)', path: apiserver.tlsCertFile });
  if (apiserver?.kubeletClientCertificate) out.push({ what: 'kube-apiserver client certificate to kubelets (--kubelet-client-certificate)', path: apiserver.kubeletClientCertificate });
  if (kubelet) {
    const dir = kubelet.certDir ?? KUBELET_CERT_DIR;
    // Without --tls-cert-file the kubelet makes a self-signed one in its cert dir.
    out.push(kubelet.tlsCertFile ? { what: 'kubelet serving certificate (--tls-cert-file)', path: kubelet.tlsCertFile } : { what: 'kubelet serving certificate (self-signed in --cert-dir)', path: `${dir}/kubelet.crt` });
  }
  return out;
}

// A kubeconfig's client certificate: a path (relative ones are relative to the kubeconfig, as
// kubectl reads them), or the certificate itself when embedded (client-certificate-data).
export function kubeconfigClientCert(text: string, file: string): Fact<{ path: string } | { info: CertInfo }> {
  let doc: unknown;
  try {
    doc = parse(text, QUIET_YAML);
  } catch (err) {
    return { error: `${file} is not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
  }
  const o = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const d = o(doc);
  const contexts = Array.isArray(d.contexts) ? d.contexts.map(o) : [];
  const users = Array.isArray(d.users) ? d.users.map(o) : [];
  const current = contexts.find((c) => c.name === d['current-context']) ?? contexts[0];
  const userName = o(current?.context).user;
  const user = o((users.find((u) => u.name === userName) ?? users[0])?.user);
  const path = user['client-certificate'];
  if (typeof path === 'string' && path !== '') return { ok: { path: path.startsWith('/') ? path : `${file.slice(0, file.lastIndexOf('/') + 1)}${path}` } };
  const data = user['client-certificate-data'];
  if (typeof data === 'string' && data !== '') {
    try {
      const x = new X509Certificate(Buffer.from(data, 'base64'));
      return { ok: { info: { notAfter: new Date(x.validTo), subject: x.subject.replace(/\n/g, ', ') } } };
    } catch (err) {
      return { error: `the client-certificate-data in ${file} is not a certificate (${err instanceof Error ? err.message : String(err)})` };
    }
  }
  return { absent: `${file} names no client certificate (a token or exec plugin, perhaps)` };
}

// flanneld takes its lease from the Node's podCIDR: --kube-subnet-mgr on its command line, or
// FLANNELD_KUBE_SUBNET_MGR=true in its environment (flannel reads every flag from FLANNELD_*).
export function flanneldKubeSubnetMgr(argv: readonly string[], env: Readonly<Record<string, string>>): boolean {
  for (const a of argv) {
    const m = /^--?kube-subnet-mgr(?:=(.*))?$/.exec(a);
    if (m) return m[1] === undefined || m[1] === 'true' || m[1] === '1';
  }
  return env.FLANNELD_KUBE_SUBNET_MGR === 'true' || env.FLANNELD_KUBE_SUBNET_MGR === '1';
}
