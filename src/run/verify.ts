import type { CheckResult } from '../checks/types.js';
import type { ClusterInputs } from '../checks/cluster-view.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { mapLimit } from './each-node.js';
import { evaluateCluster, evaluateNode, withClusterResults } from './evaluate.js';
import { gatherNode } from './gather-node.js';
import { readClusterInputs } from './cluster-inputs.js';
import { sendDatapath, wantsDatapath } from './datapath.js';
import { KeptConnections } from './kept.js';
import type { GatherDeps, NodeGathered } from './gather-node.js';
import { buildReport } from './results.js';
import type { NodeReport, Report, RunObserver } from './results.js';

export interface RunDeps extends GatherDeps {
  concurrency: number;
  observer?: RunObserver;
  notice?: (message: string) => void; // the run's notices on stderr (report/notice.ts): a kubeconfig without TLS
}

// One node's facts and its own checks' results.
export interface NodeChecked {
  gathered: NodeGathered;
  report: NodeReport;
}

// Phase 1 and 2a for one node: gathered (within its deadline), its own checks evaluated and
// reported the moment it is in. Never throws.
export async function checkNode(node: NodeSpec, inventory: Inventory, deps: RunDeps): Promise<NodeChecked> {
  deps.observer?.nodeStarted?.(node.name);
  const gathered = await gatherNode(node, inventory, deps);
  const report = evaluateNode(inventory, gathered, deps.checks);
  deps.observer?.nodeFinished?.(report);
  return { gathered, report };
}

// Phase 2b over every node's latest results: the checks that compare nodes, added to the nodes
// they concern, inventory order kept.
export function clusterReport(inventory: Inventory, all: readonly NodeChecked[], deps: RunDeps, inputs: ClusterInputs, startedAt: number): Report {
  const cluster = evaluateCluster(inventory, all.map((d) => d.gathered), deps.checks, inputs);
  const reports: NodeReport[] = all.map((d) => withClusterResults(d.report, cluster.get(d.report.name) ?? []));
  deps.observer?.clusterFinished?.(new Map<string, CheckResult[]>(cluster));
  return buildReport(reports, performance.now() - startedAt);
}

// A pass of verify --wait after the first: only `again` is gathered; every other node keeps its
// results in `latest` from the pass before. The report's time runs from `startedAt`.
export interface Pass {
  latest: Map<string, NodeChecked>;
  again?: ReadonlySet<string>;
  startedAt: number;
}

// verify's engine: each node is gathered and its own checks evaluated and reported the moment it
// is in (a slow or dead node holds no other node back, and none past its deadline); the checks
// that compare nodes run once after the last one. The cluster inputs (the API) are read each pass.
export async function runVerify(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, pass?: Pass): Promise<Report> {
  const started = pass?.startedAt ?? performance.now();
  const latest = pass?.latest ?? new Map<string, NodeChecked>();
  const again = pass?.again;
  const todo = again ? nodes.filter((n) => again.has(n.name)) : nodes;
  const inputs = readClusterInputs(inventory, deps.checks ?? {}, deps.commandTimeoutMs, deps.notice);
  // flannel.datapath asks again once every lease is known: over the same connections (--wait's
  // passes come with kept ones already).
  const kept = !pass && wantsDatapath(inventory, deps.checks) ? new KeptConnections(deps.connect) : undefined;
  const each = kept ? { ...deps, connect: kept.connect } : deps;
  try {
    for (const c of await mapLimit(todo, deps.concurrency, (node) => checkNode(node, inventory, each))) latest.set(c.report.name, c);
    const all = nodes.map((n) => latest.get(n.name) as NodeChecked);
    const datapath = await sendDatapath(inventory, all.map((c) => c.gathered), each);
    return clusterReport(inventory, all, deps, { ...(await inputs), ...datapath }, started);
  } finally {
    kept?.closeAll();
  }
}
