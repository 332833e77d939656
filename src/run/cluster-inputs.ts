// What a run reads once for the whole cluster, besides the nodes: the Kubernetes API (Nodes and
// /version), for the kube.* checks that ask it. Started with the SSH connects, awaited only by
// the cluster phase. Never throws (kube/client.ts).
import { CHECKS } from '../checks/index.js';
import { isSelected } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import type { ClusterInputs } from '../checks/cluster-view.js';
import { isKubeNode } from '../kube/expect.js';
import { readKubeApi } from '../kube/client.js';
import type { Inventory } from '../inventory/types.js';

// The checks that read the API: those that declare it.
export const API_CHECKS: readonly string[] = CHECKS.filter((c) => c.reads?.includes('kube.api')).map((c) => c.id);

export async function readClusterInputs(inventory: Inventory, selection: CheckSelection, timeoutMs: number, notice?: (message: string) => void): Promise<ClusterInputs> {
  const k = inventory.cluster.kubernetes;
  if (!k || !inventory.nodes.some((n) => isKubeNode(n, inventory)) || !API_CHECKS.some((id) => isSelected(id, selection))) return {};
  return { kube: await readKubeApi({ kubeconfig: k.kubeconfig, timeoutMs, ...(notice ? { onNotice: notice } : {}) }) };
}
