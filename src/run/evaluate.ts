import { CHECKS, runChecks } from '../checks/index.js';
import { isSelected, selectResults } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import type { Check, CheckResult } from '../checks/types.js';
import { buildClusterView } from '../checks/cluster-view.js';
import type { ClusterInputs } from '../checks/cluster-view.js';
import type { Inventory } from '../inventory/types.js';
import type { NodeGathered } from './gather-node.js';
import type { NodeReport } from './results.js';

// Every check that applies to this node, as one status: a node that could not be reached or
// probed reports the same check ids as one that could, so the summary does not depend on reachability.
function unchecked(checks: readonly Check[], g: NodeGathered, inventory: Inventory): CheckResult[] {
  const [status, message] = !g.gathered ? (['skip', `skipped: ${g.node.name} is not reachable over SSH`] as const) : (['error', g.gathered.ok ? '' : g.gathered.reason] as const);
  return checks.filter((c) => c.appliesTo(g.node, inventory)).map((c) => ({ id: c.id, status, expected: null, actual: null, message }));
}

const nodeChecks = CHECKS.filter((c) => c.scope === 'node');
const clusterChecks = CHECKS.filter((c) => c.scope === 'cluster');
const selected = (checks: readonly Check[], selection: CheckSelection) => checks.filter((c) => isSelected(c.id, selection));

// Phase 2a, pure, per node as soon as its facts are in: the checks that read this node alone.
export function evaluateNode(inventory: Inventory, g: NodeGathered, selection: CheckSelection = {}): NodeReport {
  const checks = selected(nodeChecks, selection);
  const facts = g.gathered?.ok ? g.gathered.facts : null;
  const rest = facts ? runChecks(g.node, facts, { inventory }, checks) : unchecked(checks, g, inventory);
  return { name: g.node.name, host: g.node.host, reachable: g.gathered !== null, durationMs: g.durationMs, checks: selectResults([g.ssh, ...rest], selection) };
}

// Phase 2b, pure, once after the last node: the checks that compare nodes, with every node's
// facts in view. Results by node name, to be added to each node's report (withClusterResults).
export function evaluateCluster(inventory: Inventory, all: readonly NodeGathered[], selection: CheckSelection = {}, inputs: ClusterInputs = {}): Map<string, CheckResult[]> {
  const checks = selected(clusterChecks, selection);
  if (!checks.length) return new Map();
  const facts = new Map(all.map((g) => [g.node.name, g.gathered?.ok ? g.gathered.facts : null]));
  const ctx = { inventory, cluster: buildClusterView(inventory, facts, inputs) };
  return new Map(all.map((g) => [g.node.name, g.gathered?.ok ? runChecks(g.node, g.gathered.facts, ctx, checks) : unchecked(checks, g, inventory)]));
}

const ORDER = new Map(['ssh', ...CHECKS.map((c) => c.id)].map((id, i) => [id, i]));

// A node's report with the cluster phase's results for it, every result in report order (CHECKS).
export function withClusterResults(report: NodeReport, results: readonly CheckResult[]): NodeReport {
  const checks = [...report.checks, ...results].map((c, i) => ({ c, i })).sort((a, b) => (ORDER.get(a.c.id) ?? 0) - (ORDER.get(b.c.id) ?? 0) || a.i - b.i).map((x) => x.c);
  return { ...report, checks };
}

// Both phases at once, for callers that have every node's facts already (--wait, facts).
export function evaluate(inventory: Inventory, all: readonly NodeGathered[], selection: CheckSelection = {}, inputs: ClusterInputs = {}): NodeReport[] {
  const cluster = evaluateCluster(inventory, all, selection, inputs);
  return all.map((g) => withClusterResults(evaluateNode(inventory, g, selection), cluster.get(g.node.name) ?? []));
}
