import { CHECK_IDS, runChecks } from '../checks/index.js';
import { gathererNeeded, selectResults, validateSelection } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import type { CheckResult } from '../checks/types.js';
import { GATHERERS, gatherFacts } from '../facts/gather.js';
import type { Gathered } from '../facts/gather.js';
import { loadInventory } from '../inventory/load.js';
import { selectNodes } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { renderJson } from '../report/json.js';
import { writeJunit } from '../report/junit.js';
import { buildReport } from '../report/types.js';
import type { NodeReport, Report, RunObserver } from '../report/types.js';
import { mapLimit } from '../transport/pool.js';
import type { Transport } from '../transport/types.js';
import { makeConnect, pickLocalNode } from './connect.js';
import type { SshFlags } from '../transport/ssh-flags.js';
import type { Io } from './io.js';
import { verifyWithWait } from './wait.js';

export interface VerifyOptions {
  inventory: string;
  json: boolean;
  limit?: string[];
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  waitMs?: number; // --wait
  junit?: string; // --junit FILE
  checks?: CheckSelection; // --only / --skip
  local?: boolean;
  node?: string; // with --local: which node this machine is
  ssh?: SshFlags; // --ssh-config, --no-ssh-config, --retries
}

export type Connect = (node: NodeSpec) => Promise<Transport>;

export interface RunDeps {
  connect: Connect;
  concurrency: number;
  commandTimeoutMs: number;
  observer?: RunObserver;
  checks?: CheckSelection; // --only / --skip
  local?: boolean; // --local: the probe runs on this machine, SSH is not involved
}

function others(status: 'skip' | 'error', message: string): CheckResult[] {
  return CHECK_IDS.filter((id) => id !== 'ssh').map((id) => ({ id, status, expected: null, actual: null, message }));
}

// What phase 1 learned about one node: whether SSH worked, and its facts or why there are none.
export interface NodeGathered {
  node: NodeSpec;
  durationMs: number;
  ssh: CheckResult;
  gathered: Gathered | null; // null: not reachable
}

// Phase 1 for one node: connect, gather. Never throws: every failure is data for this node.
export async function gatherNode(node: NodeSpec, inventory: Inventory, deps: RunDeps): Promise<NodeGathered> {
  const started = performance.now();
  const target = `${node.user}@${node.host}:${node.port}`;
  const expected = `${target} reachable`;
  let transport: Transport;
  try {
    transport = await deps.connect(node);
  } catch (err) {
    const reason = (err as Error).message;
    const ssh: CheckResult = { id: 'ssh', status: 'fail', expected, actual: reason, message: `cannot connect to ${target}: ${reason}` };
    return { node, durationMs: performance.now() - started, ssh, gathered: null };
  }
  try {
    const gatherers = GATHERERS.filter((g) => gathererNeeded(g.name, deps.checks ?? {}, CHECK_IDS));
    const gathered = await gatherFacts(transport, node, inventory, deps.commandTimeoutMs, gatherers);
    const ssh: CheckResult = deps.local
      ? { id: 'ssh', status: 'skip', expected: null, actual: null, message: 'not used: --local runs the probe on this machine' }
      : { id: 'ssh', status: 'pass', expected, actual: 'connected', message: `connected to ${target}` };
    return { node, durationMs: performance.now() - started, ssh, gathered };
  } finally {
    transport.close();
  }
}

// Phase 2, pure: every node's checks, with every node's facts in view for cross-node rules.
export function evaluate(inventory: Inventory, all: NodeGathered[], selection: CheckSelection = {}): NodeReport[] {
  const facts = new Map(all.map((g) => [g.node.name, g.gathered?.ok ? g.gathered.facts : null]));
  const ctx = { inventory, facts };
  return all.map((g) => {
    const rest = !g.gathered
      ? others('skip', `skipped: ${g.node.name} is not reachable over SSH`)
      : g.gathered.ok
        ? runChecks(g.node, g.gathered.facts, ctx)
        : others('error', g.gathered.reason);
    const checks = selectResults([g.ssh, ...rest], selection);
    return { name: g.node.name, host: g.node.host, reachable: g.gathered !== null, durationMs: g.durationMs, checks };
  });
}

// Gather from every node with bounded concurrency, then evaluate; inventory order is kept.
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

// `clusterctl verify`: load, select, run, render; returns the exit code.
export async function verifyCommand(opts: VerifyOptions, io: Io): Promise<number> {
  const inventory = await loadInventory(opts.inventory);
  validateSelection(opts.checks ?? {}, CHECK_IDS);
  const nodes = opts.local ? [pickLocalNode(inventory, opts.node)] : selectNodes(inventory, opts.node ? [opts.node, ...(opts.limit ?? [])] : opts.limit);
  const deps: RunDeps = {
    connect: makeConnect(opts, io),
    concurrency: opts.concurrency,
    commandTimeoutMs: opts.commandTimeoutMs,
    checks: opts.checks ?? {},
    local: Boolean(opts.local),
  };
  let report: Report;
  if (opts.waitMs !== undefined) {
    report = await verifyWithWait(inventory, nodes, deps, opts.waitMs, opts.json, io);
  } else if (opts.json) {
    report = await runVerify(inventory, nodes, deps);
    io.stdout.write(renderJson(report));
  } else {
    // listr2 and chalk load only for human output: --json (CI, scripts, the benchmark) skips them.
    const { renderHuman } = await import('../report/human.js');
    report = await renderHuman(nodes, (observer) => runVerify(inventory, nodes, { ...deps, observer }), io);
  }
  if (opts.junit) await writeJunit(opts.junit, report);
  return report.ok ? 0 : 1;
}
