// The etcd member a config sets up: from a CLC's etcd: section (ct's option names), else from
// etcd-member.service's drop-ins (ETCD_* variables, or --flags on an ExecStart=, as ct ≥ v0.2.0
// writes them). Pure.
import { readFlanneldUnit } from '../facts/parse/flanneld-unit.js';
import { ETCD_UNIT } from '../render/etcd.js';
import type { NodeSource } from './source.js';
import type { Where } from './problem.js';
import { daemonSettings, unitFilesOf } from './unit-text.js';

export interface EtcdMemberFacts {
  name?: string; // absent: etcd's default on Container Linux, the machine id (ETCD_NAME=%m)
  listenClientUrls: string[];
  advertiseClientUrls: string[];
  peerUrls: string[]; // initial_advertise_peer_urls: where the others reach it
  initialCluster?: { name: string; url: string }[];
  initialClusterText?: string; // as written: render derives its default token from it
  token?: string;
  enableV2: boolean;
  from: string; // for messages
  where: Where;
}

const urls = (v: string | undefined) => (v ?? '').split(',').map((u) => u.trim()).filter(Boolean);

// name=url,name=url → pairs; a member may have several peer URLs (name=a,name=b).
export function parseInitialCluster(text: string): { name: string; url: string }[] | undefined {
  const out: { name: string; url: string }[] = [];
  for (const part of urls(text)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    out.push({ name: part.slice(0, eq), url: part.slice(eq + 1) });
  }
  return out;
}

export function readEtcdMember(src: NodeSource): EtcdMemberFacts | undefined {
  const unit = src.units.find((u) => u.name === ETCD_UNIT);
  if (!src.etcd && (!unit || (unit.enabled !== true && unit.dropins.length === 0))) return undefined;
  const files = unit ? unitFilesOf(unit) : [];
  const u = readFlanneldUnit(files);
  const fromUnit = daemonSettings(u.env, u.execStart?.argv ?? [], 'ETCD_');
  const s = { ...fromUnit, ...(src.etcd?.settings ?? {}) };
  const cluster = s.initial_cluster === undefined ? undefined : parseInitialCluster(s.initial_cluster);
  return {
    ...(s.name && s.name !== '%m' ? { name: s.name } : {}),
    listenClientUrls: urls(s.listen_client_urls),
    advertiseClientUrls: urls(s.advertise_client_urls),
    peerUrls: urls(s.initial_advertise_peer_urls),
    ...(cluster && s.initial_cluster ? { initialCluster: cluster, initialClusterText: s.initial_cluster } : {}),
    ...(s.initial_cluster_token ? { token: s.initial_cluster_token } : {}),
    enableV2: /^(true|1)$/i.test(s.enable_v2 ?? ''),
    from: src.etcd ? 'its etcd: section' : `${ETCD_UNIT}'s drop-ins`,
    where: src.etcd?.where ?? unit?.where ?? { file: src.file },
  };
}
