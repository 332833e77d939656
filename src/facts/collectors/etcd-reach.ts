// etcdReach: on each flannel node, a TCP connect to every etcd endpoint its flanneld dials
// (flannel.etcd-reach); which endpoints, the probe's flanneld.service says (gatherers/etcd-reach.ts).
import { okFact } from '../../util/fact.js';
import { planReach, readReach } from '../gatherers/etcd-reach.js';
import { CONNECT_TIMEOUT_S, reachScript } from '../gatherers/etcd-reach-script.js';
import { planned } from '../planned-collector.js';
import type { EtcdReachFact } from '../values.js';

export const etcdReach = planned({
  fact: 'etcdReach',
  label: 'flannel.etcd-reach',
  applies: (_node, inventory) => inventory.cluster.flannel.enabled,
  usesProbe: true,
  prefix: 'reach',
  plan: ({ node, inventory, probe }) => planReach(node, inventory, probe),
  script: (plan) => (plan.targets.length ? reachScript(plan.targets) : ''),
  // etcdctl's own timeouts sit inside the request's; the connects add at most one connect timeout.
  extraMs: () => (CONNECT_TIMEOUT_S + 1) * 1000,
  read: (plan, reply) => okFact<EtcdReachFact>(readReach(plan, reply.parts)),
  // Each endpoint it would have tried, and why it could not.
  failed: (plan, error) => okFact<EtcdReachFact>(readReach(plan, { error })),
});
