import type { Inventory, NodeSpec } from '../inventory/types.js';
import { mapLimit } from './each-node.js';
import { KeptConnections } from './kept.js';
import { evaluate } from './evaluate.js';
import { readClusterInputs } from './cluster-inputs.js';
import { gatherNode } from './gather.js';
import type { NodeGathered } from './gather.js';
import { waitFor } from './poll.js';
import type { AttemptInfo, Clock, WaitOutcome } from './poll.js';
import { buildReport, failing } from './report.js';
import type { Report } from './report.js';
import type { RunDeps } from './verify.js';

export interface WaitRun {
  timeoutMs: number;
  clock?: Clock;
  signal?: AbortSignal;
  onAttempt?: (info: AttemptInfo<Report>) => void;
}

// verify --wait: a full first pass, then only the nodes with a failing check are probed again,
// over the connection opened for the first pass (kept, opened again only where it dropped or
// never came up); passing nodes keep their facts. Every attempt re-evaluates all nodes, so
// cross-node rules see the newest facts of each.
export async function verifyUntil(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, wait: WaitRun): Promise<WaitOutcome<Report>> {
  const started = performance.now();
  const latest = new Map<string, NodeGathered>();
  // No backoff of its own: waitFor spaces the attempts already.
  const kept = new KeptConnections(deps.connect, wait.clock ? { clock: wait.clock } : {});
  const attempt = async (previous: Report | undefined): Promise<Report> => {
    const again = previous ? new Set(previous.nodes.filter(failing).map((n) => n.name)) : null;
    const todo = again ? nodes.filter((n) => again.has(n.name)) : nodes;
    // The API is asked again each attempt: a Node turns Ready while --wait waits.
    const inputs = readClusterInputs(inventory, deps.checks ?? {}, deps.commandTimeoutMs, deps.notice);
    for (const g of await mapLimit(todo, deps.concurrency, (node) => gatherNode(node, inventory, { ...deps, connect: kept.connect }))) latest.set(g.node.name, g);
    const all = nodes.map((n) => latest.get(n.name) as NodeGathered);
    return buildReport(evaluate(inventory, all, deps.checks, await inputs), performance.now() - started);
  };
  try {
    return await waitFor(attempt, (r) => r.ok, { timeoutMs: wait.timeoutMs, ...(wait.clock ? { clock: wait.clock } : {}), ...(wait.signal ? { signal: wait.signal } : {}), ...(wait.onAttempt ? { onAttempt: wait.onAttempt } : {}) });
  } finally {
    kept.closeAll();
  }
}
