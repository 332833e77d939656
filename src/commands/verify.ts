import { CHECK_IDS, runChecks } from '../checks/index.js';
import type { CheckResult } from '../checks/types.js';
import { gatherFacts } from '../facts/gather.js';
import { loadInventory } from '../inventory/load.js';
import { selectNodes } from '../inventory/select.js';
import type { NodeSpec } from '../inventory/types.js';
import { renderHuman } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { buildReport } from '../report/types.js';
import type { NodeReport, Report, RunObserver } from '../report/types.js';
import { mapLimit } from '../transport/pool.js';
import { connectSsh, FileCache } from '../transport/ssh.js';
import type { Transport } from '../transport/types.js';
import type { Io } from './io.js';

export interface VerifyOptions {
  inventory: string;
  json: boolean;
  limit?: string[];
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export type Connect = (node: NodeSpec) => Promise<Transport>;

export interface RunDeps {
  connect: Connect;
  concurrency: number;
  commandTimeoutMs: number;
  observer?: RunObserver;
}

function others(status: 'skip' | 'error', message: string): CheckResult[] {
  return CHECK_IDS.filter((id) => id !== 'ssh').map((id) => ({ id, status, expected: null, actual: null, message }));
}

// Connect, gather, check one node. Never throws: every failure is a result for this node.
export async function verifyNode(node: NodeSpec, deps: RunDeps): Promise<NodeReport> {
  const started = performance.now();
  const done = (reachable: boolean, checks: CheckResult[]): NodeReport => ({
    name: node.name,
    host: node.host,
    reachable,
    durationMs: performance.now() - started,
    checks,
  });
  const target = `${node.user}@${node.host}:${node.port}`;
  let transport: Transport;
  try {
    transport = await deps.connect(node);
  } catch (err) {
    const reason = (err as Error).message;
    return done(false, [
      { id: 'ssh', status: 'fail', expected: `${target} reachable`, actual: reason, message: `cannot connect to ${target}: ${reason}` },
      ...others('skip', `skipped: ${node.name} is not reachable over SSH`),
    ]);
  }
  try {
    const ssh: CheckResult = { id: 'ssh', status: 'pass', expected: `${target} reachable`, actual: 'connected', message: `connected to ${target}` };
    const gathered = await gatherFacts(transport, deps.commandTimeoutMs);
    if (!gathered.ok) return done(true, [ssh, ...others('error', gathered.reason)]);
    return done(true, [ssh, ...runChecks(node, gathered.facts)]);
  } finally {
    transport.close();
  }
}

// Verify every node with bounded concurrency; the report keeps inventory order.
export async function runVerify(nodes: NodeSpec[], deps: RunDeps): Promise<Report> {
  const started = performance.now();
  const reports = await mapLimit(nodes, deps.concurrency, async (node) => {
    deps.observer?.nodeStarted?.(node.name);
    const report = await verifyNode(node, deps);
    deps.observer?.nodeFinished?.(report);
    return report;
  });
  return buildReport(reports, performance.now() - started);
}

// `clusterctl verify`: load, select, run, render; returns the exit code.
export async function verifyCommand(opts: VerifyOptions, io: Io): Promise<number> {
  const inventory = await loadInventory(opts.inventory);
  const nodes = selectNodes(inventory, opts.limit);
  const files = new FileCache();
  let warned = false;
  const connect: Connect = (node) =>
    connectSsh(node, {
      connectTimeoutMs: opts.connectTimeoutMs,
      signal: io.signal,
      files,
      onInsecure: () => {
        if (!warned) io.stderr.write(`warning: strictHostKeyChecking is "no": host keys are not checked, a man-in-the-middle would go unnoticed\n`);
        warned = true;
      },
    });
  const deps = { connect, concurrency: opts.concurrency, commandTimeoutMs: opts.commandTimeoutMs };
  let report: Report;
  if (opts.json) {
    report = await runVerify(nodes, deps);
    io.stdout.write(renderJson(report));
  } else {
    report = await renderHuman(nodes, (observer) => runVerify(nodes, { ...deps, observer }), io);
  }
  return report.ok ? 0 : 1;
}
