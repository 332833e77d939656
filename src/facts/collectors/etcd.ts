// etcd: on each etcd node, its own etcdctl's member list and health (etcd.health, etcd.members):
// v3 member list, then health; v2 only where v3 did not answer (gatherers/etcd.ts). Its plan
// needs nothing from the probe.
import { okFact } from '../../util/fact.js';
import { etcdCommands, readEtcd } from '../gatherers/etcd.js';
import { planned } from '../planned-collector.js';
import type { EtcdFacts } from '../values.js';

export const etcd = planned({
  fact: 'etcd',
  label: 'etcd',
  applies: (node) => node.roles.includes('etcd'),
  usesProbe: false,
  plan: ({ at }) => ({ at }),
  etcdctl: ({ at }) => etcdCommands(at),
  read: (_plan, reply) => okFact<EtcdFacts>(readEtcd(reply.etcdctlMissing, reply.results)),
});
