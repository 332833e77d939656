import type { Inventory, NodeSpec } from '../inventory/types.js';
import { mapLimit } from './each-node.js';
import { evaluate } from './evaluate.js';
import { gatherNode } from './gather.js';
import type { GatherDeps } from './gather.js';
import { buildReport } from './report.js';
import type { Report, RunObserver } from './report.js';

export interface RunDeps extends GatherDeps {
  concurrency: number;
  observer?: RunObserver;
}

// verify's engine: gather from every node with bounded concurrency, then evaluate; inventory
// order is kept.
export async function runVerify(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps): Promise<Report> {
  const started = performance.now();
  const gathered = await mapLimit(nodes, deps.concurrency, (node) => {
    deps.observer?.nodeStarted?.(node.name);
    return gatherNode(node, inventory, deps);
  });
  const reports = evaluate(inventory, gathered, deps.checks);
  for (const r of reports) deps.observer?.nodeFinished?.(r);
  return buildReport(reports, performance.now() - started);
}
