// kube.apiserver (masters): the node's own apiserver answers /livez and /readyz, and runs on
// the inventory's etcd. Pure.
import type { KubeNodeExpect } from '../kube/expect.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';
import type { Fact } from '../kube/fact.js';
import { apiserverBaseUrl, apiserverFlags } from '../kube/flags.js';
import type { ApiserverFlags } from '../kube/flags.js';
import { describeAnswer } from '../kube/http-answer.js';
import type { HttpAnswer } from '../kube/http-answer.js';
import { result as kubeResult, warning as kubeWarning } from './result.js';
import type { CheckResult } from './types.js';
import { kubeMasters, kubeNodeSide } from './kube-scope.js';
import type { Check } from './types.js';

const ID = 'kube.apiserver';

// http://Host:2379/ and http://host:2379 are one endpoint.
export function sameEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim();
  }
}

function health(node: string, base: string, livez: Fact<HttpAnswer>, readyz: Fact<HttpAnswer>): CheckResult {
  const want = `${base}/livez and /readyz answer 200 ok`;
  if (!('ok' in livez)) return kubeResult(ID, 'error', want, null, `Could not check /livez: ${'error' in livez ? livez.error : livez.absent}`);
  if (!('ok' in readyz)) return kubeResult(ID, 'error', want, null, `Could not check /readyz: ${'error' in readyz ? readyz.error : readyz.absent}`);
  const l = livez.ok;
  const r = readyz.ok;
  const actual = `/livez: ${describeAnswer(l)}; /readyz: ${describeAnswer(r)}`;
  const isOk = (a: HttpAnswer) => a.kind === 'http' && a.status === 200;
  if (isOk(l) && isOk(r)) return kubeResult(ID, 'pass', want, actual, `${base} is live and ready`);
  const denied = [l, r].find((a) => a.kind === 'http' && (a.status === 401 || a.status === 403));
  if (denied && [l, r].every((a) => isOk(a) || (a.kind === 'http' && (a.status === 401 || a.status === 403)))) {
    const code = denied.kind === 'http' ? denied.status : 0;
    const why = code === 401 ? '401 Unauthorized: it refuses anonymous requests (--anonymous-auth=false)' : "403 Forbidden: anonymous users may not read health (RBAC's system:public-info-viewer is missing)";
    return kubeWarning(ID, want, actual, `kube-apiserver on ${node} is reachable at ${base} but unauthorized, ${why}, so its health could not be read`);
  }
  if (l.kind === 'refused' && r.kind === 'refused') {
    return kubeResult(ID, 'fail', want, actual, `nothing listens at ${base} on ${node}: kube-apiserver is not running (see \`journalctl -u kube-apiserver\`, or the kubelet's log for a static pod)`);
  }
  if (l.kind === 'timeout' || r.kind === 'timeout') return kubeResult(ID, 'fail', want, actual, `kube-apiserver at ${base} on ${node} does not answer in time (${actual})`);
  return kubeResult(ID, 'fail', want, actual, `kube-apiserver at ${base} on ${node} is not healthy: ${actual}`);
}

type Read = ApiserverFlags & { from: string; hidden?: string[] | undefined };

function etcdServers(e: KubeNodeExpect, flags: Fact<Read>): CheckResult {
  const want = `--etcd-servers ${e.etcdEndpoints.join(',')} (${e.etcdFrom})`;
  if ('error' in flags) return kubeResult(ID, 'error', want, null, `Could not check the etcd servers: ${flags.error}`);
  if ('absent' in flags) return kubeResult(ID, 'fail', want, null, `no kube-apiserver on ${e.name}: ${flags.absent}`);
  const f = flags.ok;
  const actual = f.etcdServers.length ? `--etcd-servers ${f.etcdServers.join(',')}` : 'no --etcd-servers';
  const have = new Set(f.etcdServers.map(sameEndpoint));
  const wanted = new Set(e.etcdEndpoints.map(sameEndpoint));
  const missing = e.etcdEndpoints.filter((u) => !have.has(sameEndpoint(u)));
  const extra = f.etcdServers.filter((u) => !wanted.has(sameEndpoint(u)));
  if (!missing.length && !extra.length) return kubeResult(ID, 'pass', want, actual, `kube-apiserver uses the inventory's etcd (${f.from})`);
  const parts = [...(missing.length ? [`not ${missing.join(', ')}`] : []), ...(extra.length ? [`also ${extra.join(', ')}, which ${e.etcdFrom} does not list`] : [])];
  // A unit's EnvironmentFile= may set flags this reading cannot see.
  const hidden = f.hidden?.length ? `; variables from ${f.hidden.join(', ')} are not seen here` : '';
  return kubeResult(ID, 'fail', want, actual, `kube-apiserver on ${e.name} runs with ${actual} (${f.from}${hidden}), ${parts.join('; ')}: it keeps the cluster's state in another etcd than the inventory's`);
}

export function checkApiserver(e: KubeNodeExpect, ev: Pick<KubeNodeEvidence, 'apiserver' | 'livez' | 'readyz'>): CheckResult[] {
  if (!e.master) return [];
  const run = ev.apiserver;
  const flags: Fact<Read> = 'ok' in run ? { ok: { ...apiserverFlags(run.ok.argv), from: run.ok.from, hidden: run.ok.hidden } } : run;
  const base = apiserverBaseUrl('ok' in flags ? flags.ok : undefined);
  return [health(e.name, base, ev.livez, ev.readyz), etcdServers(e, flags)];
}

export const kubeApiserverCheck: Check = kubeNodeSide(ID, kubeMasters, (e, ev) => checkApiserver(e, ev));
