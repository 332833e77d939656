// What a verify run produces: per node, every check's result, and the summary.
import type { CheckResult } from '../checks/types.js';

export interface NodeReport {
  name: string;
  host: string;
  reachable: boolean;
  durationMs: number;
  checks: CheckResult[];
  // verify --watch: when these results were in (wall-clock ms), and whether the node's next
  // round is still running within its deadline, so these are the round before's.
  gatheredAt?: number;
  stale?: boolean;
}

export interface Summary {
  nodes: number;
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
}

export interface Report {
  ok: boolean;
  durationMs: number;
  summary: Summary;
  nodes: NodeReport[];
  attempts?: number; // verify --wait: how many passes it took (the results are the last one's)
}

// Watches a run as it happens; printers implement it, the engine only calls it.
export interface RunObserver {
  nodeStarted?(name: string): void;
  nodeFinished?(node: NodeReport): void; // the node's own checks, the moment its facts are in
  clusterFinished?(results: ReadonlyMap<string, CheckResult[]>): void; // checks that compare nodes, by node name, after the last node
}

// A node with a check that failed or could not run: what verify --wait probes again.
export const failing = (n: NodeReport): boolean => n.checks.some((c) => c.status === 'fail' || c.status === 'error');

export function summarize(nodes: NodeReport[]): Summary {
  const s: Summary = { nodes: nodes.length, passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const c of nodes.flatMap((n) => n.checks)) {
    if (c.status === 'pass') s.passed++;
    else if (c.status === 'fail') s.failed++;
    else if (c.status === 'skip') s.skipped++;
    else s.errors++;
  }
  return s;
}

export function buildReport(nodes: NodeReport[], durationMs: number): Report {
  const summary = summarize(nodes);
  return { ok: summary.failed === 0 && summary.errors === 0, durationMs, summary, nodes };
}
