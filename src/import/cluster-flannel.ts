// cluster.flannel from the configs: one prefix (so configKey), one Network and SubnetLen, a
// drop-in's write that flanneld does not read, and v3 when every flannel reads v3. Pure.
import { DEFAULT_FLANNEL_KEY } from '../inventory/schema.js';
import { flannelReads } from '../flannel/keyspace.js';
import type { ImportedNode } from './node.js';
import type { ImportProblem } from './problem.js';
import { agreed, at } from './agree.js';

export interface FlannelDraft {
  network?: string;
  subnetLen?: number;
  etcdApi?: 'v3';
  configKey?: string;
  configDropin?: boolean;
}

export function flannelDraft(nodes: readonly ImportedNode[], problems: ImportProblem[]): FlannelDraft {
  const fl = nodes.filter((n) => n.flannel);
  const prefix = agreed(fl, (n) => n.flannel?.prefix ?? '/coreos.com/network', 'the flannel etcd prefix (FLANNELD_ETCD_PREFIX / --etcd-prefix)', problems);
  const key = `${(prefix ?? '/coreos.com/network').replace(/\/+$/, '')}/config`;
  for (const n of fl) {
    const c = n.flannel?.config;
    if (c && c.key !== `${(n.flannel?.prefix ?? '/coreos.com/network').replace(/\/+$/, '')}/config`) {
      problems.push({ ...at(n, n.flannel?.where), message: `${c.from} writes ${c.key}, but flanneld reads ${n.flannel?.prefix}/config (its etcd prefix is ${n.flannel?.prefix}): the value never reaches it` });
    }
  }
  const network = agreed(fl, (n) => n.flannel?.config?.network, 'the flannel Network', problems);
  const subnetLen = agreed(fl, (n) => n.flannel?.config?.subnetLen, 'the flannel SubnetLen', problems);
  const versions = fl.map((n) => n.flannel?.version);
  const v3 = (versions.length > 0 && versions.every((v) => v && flannelReads(v) === 'v3')) || fl.some((n) => n.flannel?.config?.api === 'v3');
  return {
    ...(network === undefined ? {} : { network }),
    ...(subnetLen === undefined ? {} : { subnetLen }),
    ...(v3 ? { etcdApi: 'v3' as const } : {}),
    ...(key === DEFAULT_FLANNEL_KEY ? {} : { configKey: key }),
    ...(fl.some((n) => n.flannel?.config) ? { configDropin: true } : {}),
  };
}

