import { CHECKS } from '../checks/index.js';
import { isSelected } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import type { CheckResult } from '../checks/types.js';
import { collectFacts } from '../facts/collect.js';
import { PLANNED_COLLECTORS } from '../facts/collectors/planned.js';
import type { PlannedCollector } from '../facts/planned-collector.js';
import type { Gathered } from '../facts/types.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Connect } from './connect.js';
import { NodeDeadline } from './deadline.js';
import { withNode } from './with-node.js';
import type { Connected } from './with-node.js';
import { STALL_WHAT } from '../transport/types.js';
import { redactDeep } from '../util/redact.js';

// What gathering one node needs besides the node: how to reach it and how long a command may run.
export interface GatherDeps {
  connect: Connect;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number | undefined; // --node-timeout: connect and every request of a node, in one run or round
  checks?: CheckSelection; // --only / --skip: the planned collectors follow from the checks left
  collectors?: readonly PlannedCollector<string, unknown>[]; // explicit list (flannel set: the probe alone); overrides checks
  local?: boolean; // --local: the probe runs on this machine, SSH is not involved
}

// The planned collectors the selected checks need, in PLANNED_COLLECTORS order: `--only net`
// costs one probe per node. Each check names the facts it needs (Check.needs).
export function collectorsFor(
  selection: CheckSelection = {},
  checks = CHECKS,
  all: readonly PlannedCollector<string, unknown>[] = PLANNED_COLLECTORS,
): PlannedCollector<string, unknown>[] {
  const needed = new Set<string>(checks.filter((c) => isSelected(c.id, selection)).flatMap((c) => c.needs ?? []));
  return all.filter((c) => needed.has(c.fact));
}

// What phase 1 learned about one node: whether SSH worked, and its facts or why there are none.
export interface NodeGathered {
  node: NodeSpec;
  durationMs: number;
  ssh: CheckResult;
  gathered: Gathered | null; // null: not reachable
}

// Phase 1 for one node: connect, gather, close. Never throws: every failure is data for this node.
export async function gatherNode(node: NodeSpec, inventory: Inventory, deps: GatherDeps): Promise<NodeGathered> {
  const started = performance.now();
  const target = `${node.user}@${node.host}:${node.port}`;
  const expected = `${target} reachable`;
  const collectors = deps.collectors ?? collectorsFor(deps.checks);
  const deadline = new NodeDeadline(deps.nodeTimeoutMs);
  const run = await withNode(deps.connect, node, (t) => collectFacts(t, node, inventory, deps.commandTimeoutMs, collectors), deadline);
  const durationMs = () => performance.now() - started;
  if (!run.ok && !run.connected) {
    const reason = run.error.message;
    const ssh: CheckResult = { id: 'ssh', status: 'fail', expected, actual: reason, message: `cannot connect to ${target}: ${reason}` };
    return { node, durationMs: durationMs(), ssh, gathered: null };
  }
  const ssh: CheckResult = deps.local
    ? { id: 'ssh', status: 'skip', expected: null, actual: null, message: 'not used: --local runs the probe on this machine' }
    : { id: 'ssh', status: 'pass', expected, actual: 'connected', message: `connected to ${target}` };
  // Secrets the node showed (flanneld's FLANNELD_ETCD_PASSWORD …) leave here hidden, before any
  // check or printer sees them (util/redact.ts).
  return { node, durationMs: durationMs(), ssh, gathered: redactDeep(gatheredOf(run, deadline)) };
}

// A node past its deadline is one error naming the step it stalled at, whatever came before; a
// probe stopped by its own timeout says the step too.
function gatheredOf(run: Connected<Gathered>, deadline: NodeDeadline): Gathered {
  if (!run.ok) return { ok: false, reason: run.error.message };
  if (deadline.passed()) return { ok: false, reason: deadline.error().message };
  const stall = deadline.stall;
  if (run.value.ok || !stall) return run.value;
  return { ok: false, reason: `${run.value.reason} (stalled at ${stall.step}: ${STALL_WHAT[stall.step]})` };
}
