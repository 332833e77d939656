import type { Inventory, NodeSpec } from '../inventory/types.js';
import { renderJson } from '../report/json.js';
import { buildReport } from '../report/types.js';
import type { NodeReport, Report } from '../report/types.js';
import { mapLimit } from '../transport/pool.js';
import { formatDuration, waitFor } from '../verify/wait.js';
import type { AttemptInfo, Clock, WaitOutcome } from '../verify/wait.js';
import { evaluate, gatherNode } from './verify.js';
import type { NodeGathered, RunDeps } from './verify.js';
import type { Io } from './io.js';

export const failing = (n: NodeReport): boolean => n.checks.some((c) => c.status === 'fail' || c.status === 'error');

export interface WaitRun {
  timeoutMs: number;
  clock?: Clock;
  signal?: AbortSignal;
  onAttempt?: (info: AttemptInfo<Report>) => void;
}

// verify --wait: a full first pass, then only the nodes with a failing check are connected to
// and probed again; passing nodes keep their facts. Every attempt re-evaluates all nodes, so
// cross-node rules see the newest facts of each.
export async function verifyUntil(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, wait: WaitRun): Promise<WaitOutcome<Report>> {
  const started = performance.now();
  const latest = new Map<string, NodeGathered>();
  const attempt = async (previous: Report | undefined): Promise<Report> => {
    const again = previous ? new Set(previous.nodes.filter(failing).map((n) => n.name)) : null;
    const todo = again ? nodes.filter((n) => again.has(n.name)) : nodes;
    for (const g of await mapLimit(todo, deps.concurrency, (node) => gatherNode(node, inventory, deps))) latest.set(g.node.name, g);
    const all = nodes.map((n) => latest.get(n.name) as NodeGathered);
    return buildReport(evaluate(inventory, all, deps.checks), performance.now() - started);
  };
  return waitFor(attempt, (r) => r.ok, { timeoutMs: wait.timeoutMs, ...(wait.clock ? { clock: wait.clock } : {}), ...(wait.signal ? { signal: wait.signal } : {}), ...(wait.onAttempt ? { onAttempt: wait.onAttempt } : {}) });
}

// One progress line per attempt: what still fails, when the next look is, how long is left.
export function attemptLine(info: AttemptInfo<Report>, timeoutMs: number): string {
  const head = `--wait: attempt ${info.attempt}`;
  if (info.done) return `${head}: every check passes`;
  const bad = info.result.nodes.filter(failing);
  const detail = bad
    .slice(0, 5)
    .map((n) => `${n.name}: ${n.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(',')}`)
    .join('; ');
  const more = bad.length > 5 ? `; and ${bad.length - 5} more` : '';
  const what = `${bad.length} node${bad.length === 1 ? '' : 's'} failing (${detail}${more})`;
  if (info.nextInMs === null) return `${head}: ${what}; out of time (--wait ${formatDuration(timeoutMs)})`;
  return `${head}: ${what}; next attempt in ${formatDuration(info.nextInMs)}, ${formatDuration(info.leftMs)} left`;
}

export function outcomeLine(o: WaitOutcome<Report>, timeoutMs: number): string {
  const n = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`;
  const took = `${(o.result.durationMs / 1000).toFixed(1)}s`;
  return o.converged
    ? `--wait: converged after ${n} in ${took}`
    : `--wait: still failing after ${n} in ${took} (--wait ${formatDuration(timeoutMs)}); the results above are from the last attempt`;
}

// verify --wait: progress on stderr (stdout stays the report, JSON or human), then the last
// attempt's results rendered as a normal run would render them.
export async function verifyWithWait(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, timeoutMs: number, json: boolean, io: Io): Promise<Report> {
  const outcome = await verifyUntil(inventory, nodes, deps, {
    timeoutMs,
    signal: io.signal,
    onAttempt: (info) => io.stderr.write(`${attemptLine(info, timeoutMs)}\n`),
  });
  const report: Report = { ...outcome.result, attempts: outcome.attempts };
  if (json) {
    io.stdout.write(renderJson(report));
    return report;
  }
  const { renderHuman } = await import('../report/human.js');
  await renderHuman(nodes, async (observer) => {
    for (const n of report.nodes) observer.nodeFinished?.(n);
    return report;
  }, io);
  io.stdout.write(`${outcomeLine(outcome, timeoutMs)}\n`);
  return report;
}
