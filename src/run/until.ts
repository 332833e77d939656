import type { Inventory, NodeSpec } from '../inventory/types.js';
import { mapLimit } from './each-node.js';
import { KeptConnections } from './kept.js';
import { readClusterInputs } from './cluster-inputs.js';
import { waitFor } from './poll.js';
import type { AttemptInfo, Clock, WaitOutcome } from './poll.js';
import { failing } from './results.js';
import type { Report } from './results.js';
import { checkNode, clusterReport } from './verify.js';
import type { NodeChecked, RunDeps } from './verify.js';

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
  const latest = new Map<string, NodeChecked>();
  // No backoff of its own: waitFor spaces the attempts already.
  const kept = new KeptConnections(deps.connect, wait.clock ? { clock: wait.clock } : {});
  // runVerify's per-node step, each node within its deadline, over the kept connections.
  const each: RunDeps = { ...deps, connect: kept.connect };
  const attempt = async (previous: Report | undefined): Promise<Report> => {
    const again = previous ? new Set(previous.nodes.filter(failing).map((n) => n.name)) : null;
    const todo = again ? nodes.filter((n) => again.has(n.name)) : nodes;
    // The API is asked again each attempt: a Node turns Ready while --wait waits.
    const inputs = readClusterInputs(inventory, deps.checks ?? {}, deps.commandTimeoutMs, deps.notice);
    for (const c of await mapLimit(todo, deps.concurrency, (node) => checkNode(node, inventory, each))) latest.set(c.report.name, c);
    return clusterReport(inventory, nodes.map((n) => latest.get(n.name) as NodeChecked), each, await inputs, started);
  };
  try {
    return await waitFor(attempt, (r) => r.ok, { timeoutMs: wait.timeoutMs, ...(wait.clock ? { clock: wait.clock } : {}), ...(wait.signal ? { signal: wait.signal } : {}), ...(wait.onAttempt ? { onAttempt: wait.onAttempt } : {}) });
  } finally {
    kept.closeAll();
  }
}
