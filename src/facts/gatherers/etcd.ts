// Facts for etcd.health and etcd.members, read on each etcd node with its own etcdctl, as part of
// the node's one batch (facts/batch.ts): v3 member list, then health; v2 only where v3 did not
// answer. The commands run in order on the node, each only if the answers before it call for it.
import type { Transport } from '../../transport/types.js';
import { etcdctlBatch, failed, ran0 } from '../../etcdctl/batch.js';
import type { BatchCommand } from '../../etcdctl/batch.js';
import type { EtcdAccess } from '../../etcdctl/client.js';
import { parseV2Health, parseV2Members, parseV3Health, parseV3Members } from '../../etcdctl/cluster-parse.js';
import type { EtcdctlOutput } from '../../etcdctl/parse.js';
import { parseHealthText } from '../../etcdctl/health-text.js';
import type { EtcdFacts } from '../values.js';

// Member list first: health is only asked of a cluster that answered (a dead one would make
// `endpoint health` wait out its timeout for nothing). Health covers every member's client URLs
// (v3 --cluster; v2 cluster-health does so by itself). v2 cluster-health also where v3's health
// failed: etcdctl builds that print neither JSON nor health lines. `at`: where these commands
// start in the batch.
export function etcdCommands(at: number): BatchCommand[] {
  return [
    { api: 'v3', args: ['-w', 'json', 'member', 'list'] },
    { api: 'v3', args: ['-w', 'json', 'endpoint', 'health', '--cluster'], when: ran0(at) },
    { api: 'v2', args: ['member', 'list'], when: failed(at) },
    { api: 'v2', args: ['cluster-health'], when: `{ ${failed(at)} && ${ran0(at + 2)}; } || { ${ran0(at)} && ${failed(at + 1)}; }` },
  ];
}

// Some API answered the member list: etcd is there to be asked anything else.
export const etcdAnswered = (at: number): string => `{ ${ran0(at)} || ${ran0(at + 2)}; }`;

// The four results of etcdCommands, as facts.
export function readEtcd(etcdctlMissing: boolean, results: readonly EtcdctlOutput[]): EtcdFacts {
  if (etcdctlMissing) return { etcdctl: false, api: null, health: null, members: null };
  const none: EtcdctlOutput = { stdout: '', stderr: '', code: null, timedOut: false };
  const [m3 = none, h3 = none, m2 = none, h2 = none] = results;
  const members3 = parseV3Members(m3);
  // sudo refused, or the SSH user may not read a TLS file: v2 would say the same.
  if (!members3.ok && (m3.refused || m3.hint)) return { etcdctl: true, api: null, health: null, members: null, blocked: members3.error };
  if (members3.ok) {
    const health3 = parseV3Health(h3);
    if (health3.ok) return facts('v3', health3, members3);
    // etcdctl 3.3.0–3.3.13 answer `-w json endpoint health` in text (etcd-io/etcd#9532).
    const text = parseHealthText(h3);
    if (text.length) return { ...facts('v3', { ok: true, value: text }, members3), healthFrom: 'v3 endpoint health in text, as etcdctl 3.3 prints it whatever -w says' };
    const health2 = parseV2Health(h2);
    if (health2.ok) return { ...facts('v3', health2, members3), healthFrom: 'v2 cluster-health: v3 endpoint health printed no JSON and no health lines' };
    return facts('v3', { ok: false, error: `v3: ${health3.error}; v2: ${health2.error}` }, members3);
  }
  const members2 = parseV2Members(m2);
  if (members2.ok) return facts('v2', parseV2Health(h2), members2);
  const error = `v3: ${members3.error}; v2: ${members2.error}`;
  return { etcdctl: true, api: null, health: null, healthError: `no endpoint answered (${error})`, members: null, membersError: error };
}

// The etcd part alone, in one round trip (tests, and any caller outside verify's batch).
export async function gatherEtcd(t: Transport, access: EtcdAccess, timeoutMs: number): Promise<EtcdFacts> {
  const r = await etcdctlBatch(t, access, etcdCommands(0), timeoutMs);
  return readEtcd(r.etcdctlMissing, r.results);
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
