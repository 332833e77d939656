// kube: on the masters and workers of a cluster.kubernetes inventory, what the kube.* checks
// read. What the probe found (the components' command lines, their units, the CNI config) decides
// what is asked: healthz, /livez and /readyz, the kubelet's --config and kubeconfig, each
// certificate (gatherers/kube.ts).
import { isKubeNode } from '../../kube/expect.js';
import type { KubeNodeEvidence } from '../../kube/evidence.js';
import { okFact } from '../../util/fact.js';
import { kubeScript, planKube, readKube } from '../gatherers/kube.js';
import { planned } from '../planned-collector.js';

export const kube = planned({
  fact: 'kube',
  label: 'kube',
  applies: (node, inventory) => isKubeNode(node, inventory),
  usesProbe: true,
  prefix: 'kube',
  plan: ({ node, probe }) => ({ plan: planKube(node, probe), probe }),
  script: ({ plan }) => (plan.items.length ? kubeScript(plan) : ''),
  read: ({ plan, probe }, reply) => okFact<KubeNodeEvidence>(readKube(plan, reply.parts, probe)),
});
