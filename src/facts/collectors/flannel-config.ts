// flannelConfig: on each etcd node of a flannel cluster, the flannel config key in both
// keyspaces, through its etcdctl (gatherers/flannel-key.ts). Where the etcd collector asks the
// member list in the same request, the reads run only if some API answered it: otherwise they
// would only wait out the same timeout.
import { okFact, valueOf } from '../../util/fact.js';
import { etcdAnswered } from '../gatherers/etcd.js';
import { keyCommands, readKey } from '../gatherers/flannel-key.js';
import { earlierFact, planned } from '../planned-collector.js';
import type { FlannelConfigFact } from '../values.js';
import { etcd } from './etcd.js';

export const flannelConfig = planned({
  fact: 'flannelConfig',
  label: 'flannel.config',
  applies: (node, inventory) => inventory.cluster.flannel.enabled && node.roles.includes('etcd'),
  usesProbe: false,
  plan: ({ inventory, earlier }) => {
    const members = earlier.get(etcd.fact);
    return { key: inventory.cluster.flannel.configKey, when: members ? etcdAnswered(members.at) : undefined };
  },
  etcdctl: ({ key, when }) => keyCommands(key, when),
  read: ({ key }, reply) => {
    // Not asked because the member list got no answer: say why it got none (a file the SSH user
    // may not read, sudo refused, etcd down), which holds for the key as well.
    const e = valueOf(earlierFact(reply, etcd));
    const notAsked = e?.blocked ?? `not asked: etcd answered neither the v3 nor the v2 member list${e?.membersError ? ` (${e.membersError})` : ''}`;
    return okFact<FlannelConfigFact>(readKey(key, reply.etcdctlMissing ? 'etcdctl missing' : reply.results, reply.timeoutMs, notAsked));
  },
});
