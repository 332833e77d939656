// kube.certs (masters and workers): the serving and client certificates the apiserver and the
// kubelet use are not expired, with a warning under 30 days. Pure: now is passed in.
import type { KubeNodeExpect } from '../kube/expect.js';
import type { CertEvidence, KubeNodeEvidence } from '../kube/evidence.js';
import { result as kubeResult, warning as kubeWarning } from './result.js';
import type { CheckResult } from './types.js';
import { commonName } from '../kube/x509.js';
import { kubeNodes, kubeNodeSide } from './kube-scope.js';
import type { Check } from './types.js';

const ID = 'kube.certs';
export const CERT_WARN_DAYS = 30;
const DAY = 86_400_000;

const day = (d: Date) => d.toISOString().slice(0, 10);

function one(c: CertEvidence, now: Date): CheckResult {
  const want = `${c.what}: valid for ${CERT_WARN_DAYS} days or more`;
  if ('error' in c.cert) return kubeResult(ID, 'error', want, null, `Could not check ${c.what} ${c.path}: ${c.cert.error}`);
  if ('absent' in c.cert) return kubeResult(ID, 'fail', want, 'missing', `${c.what} ${c.path} is missing (${c.cert.absent})`);
  const { notAfter, subject } = c.cert.ok;
  const left = Math.floor((notAfter.getTime() - now.getTime()) / DAY);
  const actual = `expires ${day(notAfter)} (${left} days)`;
  const who = `${c.what} ${c.path} (CN ${commonName(subject)})`;
  if (notAfter.getTime() <= now.getTime()) return kubeResult(ID, 'fail', want, `expired ${day(notAfter)}`, `${who} expired on ${day(notAfter)}: renew it; TLS to and from it fails until then`);
  if (left < CERT_WARN_DAYS) return kubeWarning(ID, want, actual, `${who} expires in ${left} day${left === 1 ? '' : 's'}, on ${day(notAfter)}: renew it`);
  return kubeResult(ID, 'pass', want, actual, `${who} valid until ${day(notAfter)}`);
}

export function checkCerts(e: KubeNodeExpect, ev: Pick<KubeNodeEvidence, 'certs'>, now: Date): CheckResult[] {
  if (!e.master && !e.worker) return [];
  const f = ev.certs;
  if ('error' in f) return [kubeResult(ID, 'error', null, null, `Could not check: ${f.error}`)];
  if ('absent' in f) return [kubeResult(ID, 'skip', null, null, f.absent)];
  if (!f.ok.length) return [kubeResult(ID, 'skip', null, null, `no certificate named by the kubelet's or the apiserver's flags on ${e.name}`)];
  return f.ok.map((c) => one(c, now));
}

export const kubeCertsCheck: Check = kubeNodeSide(ID, kubeNodes, (e, ev, ctx) => checkCerts(e, ev, ctx.now ?? new Date()));
