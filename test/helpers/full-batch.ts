// A batch plan that asks every gatherer (etcd, the flannel key, etcdctl.version, provisioned,
// kube, the reach test), built from the test fixtures: what a node's batch looks like at its
// largest. `provisionedPath`: the one file the provisioned part checks.
import type { BatchPlan } from '../../src/facts/batch.js';
import { etcdAnswered, etcdCommands } from '../../src/facts/gatherers/etcd.js';
import { reachTargets } from '../../src/facts/gatherers/etcd-reach-script.js';
import { keyCommands } from '../../src/facts/gatherers/flannel-key.js';
import { planKube } from '../../src/facts/gatherers/kube.js';
import type { Become } from '../../src/util/become.js';
import { facts, node } from '../fixtures/facts/builders.js';

export const FULL_BATCH_KEY = '/coreos.com/network/config';

export function fullBatchPlan(provisionedPath: string, become: Become = 'none'): BatchPlan {
  const worker = node({ name: 'lab-node-1', roles: ['etcd', 'worker'], kubernetes: { nodeName: 'lab-node-1' } });
  const kubeProbe = facts({ kubeProcs: [{ pid: 7, name: 'kubelet', uids: [0, 0, 0, 0], argv: ['/opt/bin/kubelet'] }] });
  const reach = reachTargets(['http://127.0.0.1:1', 'http://127.0.0.1:2']);
  return {
    become,
    access: { endpoints: ['http://198.18.1.11:2379'] },
    cmds: [...etcdCommands(0), ...keyCommands(FULL_BATCH_KEY, etcdAnswered(0))],
    etcdAt: 0,
    keyAt: 4,
    key: FULL_BATCH_KEY,
    reach: { endpoints: reach.targets.map((t) => t.endpoint), from: 'the test', ...reach },
    etcdctlVersion: true,
    provisioned: { spec: { files: [{ path: provisionedPath, mode: 0o644, contentKnown: false, from: 't.ign' }], units: [{ name: 'a.service', state: 'enabled', from: 't.ign' }] } },
    kube: { plan: planKube(worker, kubeProbe), probe: kubeProbe },
  };
}
