// etcdctlVersion: which API a plain `etcdctl` speaks, asked only of a node whose flanneld drop-in
// runs etcdctl (the probe's flanneld.service says): a Go binary's start is ~8 ms of CPU, which
// every node would pay for nothing in the constant probe (gatherers/etcdctl-version.ts).
import { errorFact } from '../../util/fact.js';
import { ETCDCTL_VERSION_SCRIPT, NOT_ASKED_VERSION, readEtcdctlVersion, wantsEtcdctlVersion } from '../gatherers/etcdctl-version.js';
import type { EtcdctlVersionFact } from '../parse/etcdctl-version.js';
import { planned } from '../planned-collector.js';
import type { Fact } from '../../util/fact.js';

export const etcdctlVersion = planned({
  fact: 'etcdctlVersion',
  label: 'etcdctl.version',
  applies: (_node, inventory) => inventory.cluster.flannel.enabled,
  usesProbe: true,
  prefix: 'etcdctl-version',
  plan: ({ probe }) => ({ wanted: wantsEtcdctlVersion(probe) }),
  script: ({ wanted }) => (wanted ? ETCDCTL_VERSION_SCRIPT : ''),
  read: ({ wanted }, reply): Fact<EtcdctlVersionFact> => (wanted ? readEtcdctlVersion(reply.parts.get('etcdctl-version')) : NOT_ASKED_VERSION),
  failed: ({ wanted }, error): Fact<EtcdctlVersionFact> => (wanted ? errorFact(`etcdctl.version: could not be gathered: ${error}`) : NOT_ASKED_VERSION),
});
