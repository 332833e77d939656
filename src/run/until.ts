import type { Inventory, NodeSpec } from '../inventory/types.js';
import { KeptConnections } from './kept.js';
import { waitFor } from './poll.js';
import type { AttemptInfo, Clock, WaitOutcome } from './poll.js';
import { failing } from './results.js';
import type { Report } from './results.js';
import { runVerify } from './verify.js';
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
  const startedAt = performance.now();
  const latest = new Map<string, NodeChecked>();
  // No backoff of its own: waitFor spaces the attempts already.
  const kept = new KeptConnections(deps.connect, wait.clock ? { clock: wait.clock } : {});
  // runVerify itself, each node within its deadline, over the kept connections; the API is asked
  // again each attempt (a Node turns Ready while --wait waits).
  const each: RunDeps = { ...deps, connect: kept.connect };
  const attempt = (previous: Report | undefined): Promise<Report> =>
    runVerify(inventory, nodes, each, { latest, startedAt, ...(previous ? { again: new Set(previous.nodes.filter(failing).map((n) => n.name)) } : {}) });
  try {
    return await waitFor(attempt, (r) => r.ok, { timeoutMs: wait.timeoutMs, ...(wait.clock ? { clock: wait.clock } : {}), ...(wait.signal ? { signal: wait.signal } : {}), ...(wait.onAttempt ? { onAttempt: wait.onAttempt } : {}) });
  } finally {
    kept.closeAll();
  }
}
