// Which nodes the kube.* checks concern, and how a node-side one reads its node's evidence (the
// kube fact its batch gathered). Every kube.* check in checks/kube-*.ts is built from these.
import type { NodeFacts } from '../facts/types.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';
import { isKubeNode, kubeExpect } from '../kube/expect.js';
import type { KubeNodeExpect } from '../kube/expect.js';
import type { KubeApiRead } from '../kube/view.js';
import { viewOf } from './cluster-view.js';
import { factError } from './result.js';
import type { Check, CheckContext, CheckResult } from './types.js';

export const kubeNodes = (node: NodeSpec, inv: Inventory): boolean => isKubeNode(node, inv);
export const kubeMasters = (node: NodeSpec, inv: Inventory): boolean => isKubeNode(node, inv) && node.roles.includes('master');
export const expectOf = (node: NodeSpec, inv: Inventory): KubeNodeExpect => kubeExpect(node, inv) as KubeNodeExpect;

// A node-side kube.* check: the node's evidence (from its batch) through the check's logic.
export function kubeNodeSide(id: string, appliesTo: Check['appliesTo'], run: (e: KubeNodeExpect, ev: KubeNodeEvidence, ctx: CheckContext) => CheckResult[]): Check {
  return {
    id,
    scope: 'node',
    appliesTo,
    needs: ['kube'],
    run(node: NodeSpec, facts: NodeFacts, ctx: CheckContext) {
      if (!('ok' in facts.kube)) return [factError(id, facts.kube, null)];
      return run(expectOf(node, ctx.inventory), facts.kube.ok, ctx);
    },
  };
}

const API_NOT_READ: KubeApiRead = { ok: false, kubeconfig: null, error: 'the Kubernetes API was not read in this run' };

// The run's one read of the Kubernetes API (checks that declare `reads: ['kube.api']`).
export const apiOf = (ctx: CheckContext): KubeApiRead => viewOf(ctx).kube ?? API_NOT_READ;
