// A batch plan that asks every planned collector (etcd, the flannel key, the reach test,
// etcdctl.version, provisioned, kube), built by facts/batch.ts planBatch from the test fixtures:
// what a node's batch looks like at its largest. `provisionedPath`: the one file the provisioned
// part checks. `probe`: facts that change what is asked (the hostile tests take the kubelet from
// its unit, not a process, so no process re-check reads this machine's /proc).
import { planBatch } from '../../src/facts/batch.js';
import type { BatchPlan } from '../../src/facts/batch.js';
import { PLANNED_COLLECTORS } from '../../src/facts/collectors/planned.js';
import type { UnitFile } from '../../src/facts/types.js';
import type { Become } from '../../src/util/become.js';
import { facts, flannel, inventory, node } from '../fixtures/facts/builders.js';
import type { FactsInput } from '../fixtures/facts/builders.js';

export const FULL_BATCH_KEY = '/coreos.com/network/config';

// flanneld dials two endpoints, and a drop-in writes the key with etcdctl (so etcdctl.version is asked).
const FLANNEL_UNIT: UnitFile[] = [
  {
    path: '/etc/systemd/system/flanneld.service.d/50-network-config.conf',
    entries: [
      { section: 'Service', key: 'Environment', value: 'FLANNELD_ETCD_ENDPOINTS=http://127.0.0.1:1,http://127.0.0.1:2' },
      { section: 'Service', key: 'ExecStartPre', value: `/usr/bin/etcdctl set ${FULL_BATCH_KEY} '{"Network":"10.1.0.0/16"}'` },
    ],
  },
];

export function fullBatchPlan(provisionedPath: string, become: Become = 'none', probe: FactsInput = {}): BatchPlan {
  const worker = node({
    name: 'lab-node-1',
    roles: ['etcd', 'worker'],
    become,
    kubernetes: { nodeName: 'lab-node-1' },
    provisioned: { files: [{ path: provisionedPath, mode: 0o644, contentKnown: false, from: 't.ign' }], units: [{ name: 'a.service', state: 'enabled', from: 't.ign' }] },
  });
  const inv = inventory([worker], { etcd: { endpoints: ['http://198.18.1.11:2379'] }, flannel: flannel({ enabled: true, configKey: FULL_BATCH_KEY }) });
  const kubeProbe = facts({ flannelUnit: FLANNEL_UNIT, kubeProcs: [{ pid: 7, name: 'kubelet', uids: [0, 0, 0, 0], argv: ['/opt/bin/kubelet'] }], ...probe });
  // Every collector applies here: the inventory has no cluster.kubernetes, which kube would need.
  const plan = planBatch(worker, inv, kubeProbe, PLANNED_COLLECTORS.map((c) => ({ ...c, applies: () => true })));
  if (!plan) throw new Error('the full batch asks nothing');
  return plan;
}
