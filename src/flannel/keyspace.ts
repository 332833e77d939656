// Which etcd keyspace a node's flannel reads its config from, decided from evidence on the node:
// flannel ≤ 0.17 (Container Linux ships 0.11, Flatcar's flanneld runs 0.14) reads v2, ≥ 0.18
// reads v3. With no evidence, v2: every Container Linux and Flatcar flannel so far reads v2.
// cluster.flannel.etcdApi v2|v3 overrides the evidence; auto follows it. Pure.
import type { FlannelVersion } from '../facts/parse/flanneld-unit.js';

export type EtcdApi = 'v2' | 'v3';

export interface KeyspaceDecision {
  api: EtcdApi;
  flannel?: string; // the flannel version found, when one was
  why: string; // one clause for the report: where the decision comes from
  warning?: string; // etcdApi says one keyspace, the node's flannel reads the other
}

export const flannelReads = (v: Pick<FlannelVersion, 'major' | 'minor'>): EtcdApi => (v.major > 0 || v.minor >= 18 ? 'v3' : 'v2');

const NO_EVIDENCE = 'no flannel version found on the node (no FLANNEL_IMAGE_TAG in flanneld.service, no flanneld on PATH): v2 assumed, as every Container Linux and Flatcar flannel so far reads v2';

export function decideKeyspace(etcdApi: 'auto' | EtcdApi, version: FlannelVersion | undefined): KeyspaceDecision {
  const found = version ? flannelReads(version) : undefined;
  const said = version ? `flannel ${version.version} (${version.evidence}) reads ${found}, being ${found === 'v2' ? '< 0.18' : '≥ 0.18'}` : undefined;
  if (etcdApi !== 'auto') {
    const d: KeyspaceDecision = { api: etcdApi, why: `cluster.flannel.etcdApi is ${etcdApi}`, ...(version ? { flannel: version.version } : {}) };
    if (found && found !== etcdApi) d.warning = `cluster.flannel.etcdApi is ${etcdApi}, but ${said}; set etcdApi to auto or ${found}`;
    return d;
  }
  if (!version || !found || !said) return { api: 'v2', why: NO_EVIDENCE };
  return { api: found, flannel: version.version, why: said };
}

export interface NodeDecision {
  node: string;
  decision: KeyspaceDecision;
}

// The keyspaces the cluster's flannels read, each with the nodes that read it and why, grouped so
// that fifty nodes with the same evidence make one clause: "lab-node-1, lab-node-2: flannel v0.11.0 …".
export function groupByKeyspace(ds: readonly NodeDecision[]): Map<EtcdApi, { nodes: string[]; reasons: string }> {
  const out = new Map<EtcdApi, { nodes: string[]; reasons: string }>();
  for (const api of ['v2', 'v3'] as const) {
    const mine = ds.filter((d) => d.decision.api === api);
    if (!mine.length) continue;
    const byWhy = new Map<string, string[]>();
    for (const d of mine) byWhy.set(d.decision.why, [...(byWhy.get(d.decision.why) ?? []), d.node]);
    const reasons = [...byWhy].map(([why, nodes]) => `${nodes.join(', ')}: ${why}`).join('; ');
    out.set(api, { nodes: mine.map((d) => d.node), reasons });
  }
  return out;
}
