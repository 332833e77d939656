import type { Gatherer } from '../facts/gather.js';
import { readFlannelConfig } from './read.js';

// The flannel config key, read through the etcd nodes' etcdctl (one or two execs: v2, v3).
export const flannelConfigGatherer: Gatherer = {
  name: 'flannel.config',
  applies: (node) => node.roles.includes('etcd'),
  async gather(transport, node, inventory, timeoutMs, facts) {
    facts.flannelConfig = await readFlannelConfig(transport, node, inventory, timeoutMs);
  },
};
