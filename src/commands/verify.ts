import { CHECK_IDS } from '../checks/index.js';
import { validateSelection } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import { loadInventory } from '../inventory/load.js';
import { selectNodes } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Io } from '../io.js';
import { renderJson } from '../report/json.js';
import { noticeTo } from '../report/notice.js';
import { writeJunit } from '../report/junit.js';
import { attemptLine, outcomeLine } from '../report/wait.js';
import { makeConnect, pickLocalNode } from '../run/connect.js';
import type { SshFlags } from '../run/connect.js';
import type { Report } from '../run/report.js';
import { verifyUntil } from '../run/until.js';
import { runVerify } from '../run/verify.js';
import type { RunDeps } from '../run/verify.js';

export interface VerifyOptions {
  inventory: string;
  json: boolean;
  limit?: string[]; // --limit: node names or roles
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  waitMs?: number; // --wait
  junit?: string; // --junit FILE
  checks?: CheckSelection; // --only / --skip
  local?: boolean;
  localNode?: string; // --node: with --local, which inventory node this machine is (without, one more --limit term)
  ssh?: SshFlags; // --ssh-config, --no-ssh-config, --retries
}

// `clusterctl verify`: load, select, run, render; returns the exit code.
export async function verifyCommand(opts: VerifyOptions, io: Io): Promise<number> {
  const inventory = await loadInventory(opts.inventory);
  validateSelection(opts.checks ?? {}, CHECK_IDS);
  const nodes = opts.local ? [pickLocalNode(inventory, opts.localNode)] : selectNodes(inventory, opts.localNode ? [opts.localNode, ...(opts.limit ?? [])] : opts.limit);
  const deps: RunDeps = {
    connect: makeConnect(opts, io, noticeTo(io)),
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

// verify --wait: progress on stderr (stdout stays the report, JSON or human), then the last
// attempt's results rendered as a normal run would render them.
async function verifyWithWait(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, timeoutMs: number, json: boolean, io: Io): Promise<Report> {
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
