import type { NodeFacts, PlannedFact } from '../facts/types.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { AppliesTo } from './applies.js';
import type { ClusterView } from './cluster-view.js';

export type ClusterInput = 'kube.api';

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface CheckResult {
  id: string; // e.g. net.route
  status: CheckStatus;
  expected: string | null;
  actual: string | null;
  message: string;
}

// What a check may read besides its own node: the whole inventory and, for the checks that
// compare nodes (scope: 'cluster'), the view of every node built once after the last one.
export interface CheckContext {
  inventory: Inventory;
  cluster?: ClusterView;
  now?: Date; // for certificate expiry; default: the time the check runs
}

// A check is a pure function: what the inventory expects and what the node has → results.
export interface Check {
  id: string;
  // node: reads this node's facts alone, evaluated the moment the node is in. cluster: compares
  // nodes (leases, the config key read elsewhere), evaluated once after the last node.
  scope: 'node' | 'cluster';
  appliesTo: AppliesTo; // from the inventory alone, so reachability does not change which ids a node reports
  // Facts beyond the base probe this check reads; verify asks a planned collector (facts/collectors/
  // planned.ts) only when a selected check needs its fact (`--only net` costs one probe per node).
  needs?: readonly PlannedFact[];
  // What the check reads once for the whole run besides the nodes (run/cluster-inputs.ts reads
  // each only when a selected check names it): the Kubernetes API.
  reads?: readonly ClusterInput[];
  run(node: NodeSpec, facts: NodeFacts, ctx: CheckContext): CheckResult[];
}
