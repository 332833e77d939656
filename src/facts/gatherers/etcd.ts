// Facts for etcd.health and etcd.members, read on each etcd node with its own etcdctl: v3 first
// (one round trip for health and members); v2 in a second round trip only where v3 did not answer.
import type { Gatherer } from '../types.js';
import type { Transport } from '../../transport/types.js';
import { etcdctlBatch } from '../../etcdctl/batch.js';
import { ETCDCTL_DEFAULT_MAX_MS, etcdAccessFor } from '../../etcdctl/client.js';
import type { EtcdAccess } from '../../etcdctl/client.js';
import { parseV2Health, parseV2Members, parseV3Health, parseV3Members } from '../../etcdctl/cluster-parse.js';
import type { EtcdctlOutput } from '../../etcdctl/parse.js';
import { parseHealthText } from '../../etcdctl/health-text.js';
import type { EtcdFacts } from '../types.js';

type Output = EtcdctlOutput;

// Member list first: health is only asked of a cluster that answered (a dead one would make
// `endpoint health` wait out its timeout for nothing); v2 only where v3 did not answer. Health
// covers every member's client URLs (v3 --cluster; v2 cluster-health does so by itself), not just
// the endpoints this node is configured with.
export async function gatherEtcd(t: Transport, access: EtcdAccess, timeoutMs: number): Promise<EtcdFacts> {
  const budget = Math.min(timeoutMs, 2 * (ETCDCTL_DEFAULT_MAX_MS + 1000));
  const v3 = await etcdctlBatch(t, access, [{ api: 'v3', args: ['-w', 'json', 'member', 'list'] }, { api: 'v3', args: ['-w', 'json', 'endpoint', 'health', '--cluster'] }], budget, true);
  if (v3.etcdctlMissing) return { etcdctl: false, api: null, health: null, members: null };
  const [m3, h3] = v3.results as [Output, Output];
  const members3 = parseV3Members(m3);
  // sudo refused, or the SSH user may not read a TLS file: v2 would say the same.
  if (!members3.ok && (m3.refused || m3.hint)) return { etcdctl: true, api: null, health: null, members: null, blocked: members3.error };
  if (members3.ok) {
    const health3 = parseV3Health(h3);
    if (health3.ok) return facts('v3', health3, members3);
    // etcdctl 3.3.0–3.3.13 answer `-w json endpoint health` in text (etcd-io/etcd#9532).
    const text = parseHealthText(h3);
    if (text.length) return { ...facts('v3', { ok: true, value: text }, members3), healthFrom: 'v3 endpoint health in text, as etcdctl 3.3 prints it whatever -w says' };
    const h2 = (await etcdctlBatch(t, access, [{ api: 'v2', args: ['cluster-health'] }], budget)).results[0] as Output;
    const health2 = parseV2Health(h2);
    if (health2.ok) return { ...facts('v3', health2, members3), healthFrom: 'v2 cluster-health: v3 endpoint health printed no JSON and no health lines' };
    return facts('v3', { ok: false, error: `v3: ${health3.error}; v2: ${health2.error}` }, members3);
  }
  const v2 = await etcdctlBatch(t, access, [{ api: 'v2', args: ['member', 'list'] }, { api: 'v2', args: ['cluster-health'] }], budget, true);
  const [m2, h2] = v2.results as [Output, Output];
  const members2 = parseV2Members(m2);
  if (members2.ok) return facts('v2', parseV2Health(h2), members2);
  const error = `v3: ${members3.error}; v2: ${members2.error}`;
  return { etcdctl: true, api: null, health: null, healthError: `no endpoint answered (${error})`, members: null, membersError: error };
}

type P<T> = { ok: true; value: T } | { ok: false; error: string };
function facts(api: EtcdFacts['api'], h: P<NonNullable<EtcdFacts['health']>>, m: P<NonNullable<EtcdFacts['members']>>): EtcdFacts {
  return {
    etcdctl: true,
    api,
    health: h.ok ? h.value : null,
    ...(h.ok ? {} : { healthError: h.error }),
    members: m.ok ? m.value : null,
    ...(m.ok ? {} : { membersError: m.error }),
  };
}

export const etcdGatherer: Gatherer = {
  name: 'etcd',
  applies: (node) => node.roles.includes('etcd'),
  async gather(t, node, inventory, timeoutMs, nodeFacts) {
    nodeFacts.etcd = await gatherEtcd(t, etcdAccessFor(node, inventory), timeoutMs);
  },
};
