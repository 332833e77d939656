// The flannel config as the whole cluster sees it, for checks that compare a node with it.
import type { CheckContext } from './types.js';
import { validateFlannelConfig } from '../flannel/config.js';
import type { FlannelConfig } from '../flannel/config.js';
import { keyVerdict } from '../flannel/key-verdict.js';
import { clusterReaders } from '../flannel/readers.js';

export interface ClusterFlannel {
  network?: string; // from the config key when readable and valid, else the inventory's
  subnetLen?: number;
  backendType?: string;
  source: string; // for messages: "the config key (read on lab-node-1)" or "cluster.flannel.network"
}

// The first valid config read on any node, in inventory order, from the keyspace the flannels
// read; else what the inventory expects.
export function clusterFlannel(ctx: CheckContext): ClusterFlannel {
  const settings = ctx.inventory.cluster.flannel;
  const { readers } = clusterReaders(ctx.inventory, ctx.facts);
  for (const n of ctx.inventory.nodes) {
    const fact = ctx.facts.get(n.name)?.flannelConfig;
    if (!fact) continue;
    const r = keyVerdict(fact, readers);
    if (r.kind !== 'found') continue;
    const v = validateFlannelConfig(r.value);
    if (!v.ok) continue;
    const c: FlannelConfig = v.config;
    return { network: c.network, subnetLen: c.subnetLen, backendType: c.backendType, source: `the config key (read on ${n.name})` };
  }
  return {
    ...(settings.network === undefined ? {} : { network: settings.network }),
    ...(settings.subnetLen === undefined ? {} : { subnetLen: settings.subnetLen }),
    source: 'cluster.flannel.network',
  };
}
