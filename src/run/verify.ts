import type { CheckResult } from '../checks/types.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { mapLimit } from './each-node.js';
import { evaluateCluster, evaluateNode, withClusterResults } from './evaluate.js';
import { gatherNode } from './gather.js';
import { readClusterInputs } from './cluster-inputs.js';
import type { GatherDeps } from './gather.js';
import { buildReport } from './report.js';
import type { NodeReport, Report, RunObserver } from './report.js';

export interface RunDeps extends GatherDeps {
  concurrency: number;
  observer?: RunObserver;
  notice?: (message: string) => void; // the run's notices on stderr (report/notice.ts): a kubeconfig without TLS
}

// verify's engine: each node is gathered and its own checks evaluated and reported the moment it
// is in (a slow or dead node holds no other node back); the checks that compare nodes run once
// after the last one, and their results are added to the nodes they concern. Inventory order is kept.
export async function runVerify(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps): Promise<Report> {
  const started = performance.now();
  const inputs = readClusterInputs(inventory, deps.checks ?? {}, deps.commandTimeoutMs, deps.notice);
  const done = await mapLimit(nodes, deps.concurrency, async (node) => {
    deps.observer?.nodeStarted?.(node.name);
    const gathered = await gatherNode(node, inventory, deps);
    const report = evaluateNode(inventory, gathered, deps.checks);
    deps.observer?.nodeFinished?.(report);
    return { gathered, report };
  });
  const cluster = evaluateCluster(inventory, done.map((d) => d.gathered), deps.checks, await inputs);
  const reports: NodeReport[] = done.map((d) => withClusterResults(d.report, cluster.get(d.report.name) ?? []));
  deps.observer?.clusterFinished?.(new Map<string, CheckResult[]>(cluster));
  return buildReport(reports, performance.now() - started);
}
