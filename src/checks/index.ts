import type { NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../inventory/types.js';
import { dnsCheck } from './dns.js';
import { hostnameCheck, hostnameFileCheck } from './hostname.js';
import { addressCheck, gatewayCheck } from './network.js';
import { routeCheck } from './route.js';
import { etcdHealthCheck, etcdMembersCheck } from './etcd.js';
import { flannelConfigCheck } from './flannel-config.js';
import { flannelDropinCheck } from './flannel-dropin.js';
import { flannelEtcdReachCheck } from './flannel-etcd-reach.js';
import { flannelInterfaceCheck } from './flannel-interface.js';
import { flannelLeaseCheck } from './flannel-lease.js';
import { flannelOverlapCheck } from './flannel-overlap.js';
import { flannelDatapathCheck } from './flannel-datapath.js';
import { serviceCheck } from './service.js';
import { ignitionCheck } from './ignition.js';
import { ignitionFilesCheck, ignitionUnitsCheck } from './ignition-drift.js';
import { kubeApiserverCheck } from './kube-apiserver.js';
import { kubeKubeletCheck } from './kube-kubelet.js';
import { kubeNodeCheck, kubeNodesCheck } from './kube-node.js';
import { kubePodCidrCheck } from './kube-podcidr.js';
import { kubeCniCheck } from './kube-cni.js';
import { kubeCertsCheck } from './kube-certs.js';
import type { Check, CheckContext, CheckResult } from './types.js';

// Every check, in report order. Add a check here; nothing registers itself.
export const CHECKS: readonly Check[] = [
  hostnameCheck,
  hostnameFileCheck,
  addressCheck,
  gatewayCheck,
  dnsCheck,
  routeCheck,
  etcdHealthCheck,
  etcdMembersCheck,
  flannelConfigCheck,
  flannelDropinCheck,
  flannelEtcdReachCheck,
  flannelOverlapCheck,
  flannelLeaseCheck,
  flannelInterfaceCheck,
  flannelDatapathCheck,
  serviceCheck,
  ignitionCheck,
  ignitionFilesCheck,
  ignitionUnitsCheck,
  kubeApiserverCheck,
  kubeKubeletCheck,
  kubeNodeCheck,
  kubePodCidrCheck,
  kubeCniCheck,
  kubeCertsCheck,
  kubeNodesCheck,
];

// 'ssh' comes from the transport layer, not from a Check; it is listed so a reporter can skip
// every check of a node it could not reach.
export const CHECK_IDS: readonly string[] = ['ssh', ...CHECKS.map((c) => c.id)];

// All checks for one node. A check that throws is a bug in clusterctl; it is reported as an
// error result so the other checks and nodes still get reported.
export function runChecks(node: NodeSpec, facts: NodeFacts, ctx: CheckContext, checks: readonly Check[] = CHECKS): CheckResult[] {
  return checks.filter((c) => c.appliesTo(node, ctx.inventory)).flatMap((check) => {
    try {
      return check.run(node, facts, ctx);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return [{ id: check.id, status: 'error', expected: null, actual: null, message: `internal error in clusterctl (please report): ${why}` }];
    }
  });
}
