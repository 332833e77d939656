import { CHECK_IDS } from '../checks/index.js';
import { validateSelection } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import { UserError } from '../errors.js';
import { loadSource } from './source.js';
import type { SourceOptions } from './source.js';
import { selectNodes } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Io } from '../io.js';
import { formatJsonLine } from '../report/json.js';
import { jsonPrinter } from '../report/printer.js';
import type { Printer } from '../report/printer.js';
import { noticeTo } from '../report/notice.js';
import { writeJunit } from '../report/junit.js';
import { attemptLine, outcomeLine } from '../report/wait.js';
import { makeConnect, pickLocalNode } from '../run/connect.js';
import type { SshFlags } from '../run/connect.js';
import type { Report } from '../run/results.js';
import { verifyUntil } from '../run/until.js';
import { runVerify } from '../run/verify.js';
import type { RunDeps } from '../run/verify.js';
import { watchVerify } from '../run/watch.js';

export interface VerifyOptions extends SourceOptions {
  json: boolean;
  limit?: string[]; // --limit: node names or roles
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number; // --node-timeout
  waitMs?: number; // --wait
  watchMs?: number; // --watch: the interval
  junit?: string; // --junit FILE
  html?: string; // --html FILE: the status page of this run, one self-contained file
  quiet?: boolean; // --quiet: only what did not pass, then the summary
  checks?: CheckSelection; // --only / --skip
  local?: boolean;
  localNode?: string; // --node: with --local, which inventory node this machine is (without, one more --limit term)
  ssh?: SshFlags; // --ssh-config, --no-ssh-config, --retries
}

// `clusterctl verify`: load, select, run, print; returns the exit code.
export async function verifyCommand(opts: VerifyOptions, io: Io): Promise<number> {
  if (opts.watchMs !== undefined && (opts.waitMs !== undefined || opts.junit || opts.html)) {
    throw new UserError(`--watch runs until Ctrl-C: it cannot be combined with ${opts.waitMs !== undefined ? '--wait' : opts.junit ? '--junit' : '--html (clusterctl serve keeps a status page up to date)'}; use one or the other`);
  }
  const inventory = await loadSource(opts, io);
  validateSelection(opts.checks ?? {}, CHECK_IDS);
  const nodes = opts.local ? [pickLocalNode(inventory, opts.localNode)] : selectNodes(inventory, opts.localNode ? [opts.localNode, ...(opts.limit ?? [])] : opts.limit);
  const notice = noticeTo(io);
  const deps: RunDeps = {
    connect: makeConnect(opts, io, notice),
    notice,
    concurrency: opts.concurrency,
    commandTimeoutMs: opts.commandTimeoutMs,
    nodeTimeoutMs: opts.nodeTimeoutMs,
    checks: opts.checks ?? {},
    local: Boolean(opts.local),
  };
  if (opts.watchMs !== undefined) return verifyWatch(inventory, nodes, deps, opts.watchMs, opts.json, io);
  let report: Report;
  if (opts.waitMs !== undefined) {
    report = await verifyWithWait(inventory, nodes, deps, opts.waitMs, opts.json, io, opts.quiet);
  } else {
    // The engine runs with the printer attached; the printer gets the report once it is done.
    const printer = await printerFor(nodes, opts.json, io, opts.quiet);
    report = await runVerify(inventory, nodes, { ...deps, observer: printer }).catch(letGo(printer));
    printer.done(report);
  }
  if (opts.junit) await writeJunit(opts.junit, report);
  if (opts.html) await writeHtml(opts.html, report, nodes, inventory.path);
  return report.ok ? 0 : 1;
}

// verify --wait: progress on stderr (stdout stays the report, JSON or human), then the last
// attempt's results printed as a normal run would print them.
async function verifyWithWait(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, timeoutMs: number, json: boolean, io: Io, quiet = false): Promise<Report> {
  const outcome = await verifyUntil(inventory, nodes, deps, {
    timeoutMs,
    signal: io.signal,
    onAttempt: (info) => io.stderr.write(`${attemptLine(info, timeoutMs)}\n`),
  });
  const report: Report = { ...outcome.result, attempts: outcome.attempts };
  const printer = await printerFor(nodes, json, io, quiet);
  for (const n of report.nodes) printer.nodeFinished?.(n);
  printer.done(report);
  if (!json) io.stdout.write(`${outcomeLine(outcome, timeoutMs)}\n`);
  return report;
}

// The printer for a run's report. The live tree and chalk load only for human output:
// --json (CI, scripts, the benchmark) skips them.
async function printerFor(nodes: NodeSpec[], json: boolean, io: Io, quiet = false): Promise<Printer> {
  if (json) return jsonPrinter(io);
  const { humanPrinter } = await import('../report/human.js');
  return humanPrinter(nodes, io, quiet);
}

// verify --html FILE: serve's status page for this one run, as one self-contained file.
async function writeHtml(file: string, report: Report, nodes: readonly NodeSpec[], source: string): Promise<void> {
  const [{ ServeState }, { statusPage }, { writeFile }] = await Promise.all([import('../serve/state.js'), import('../serve/page.js'), import('node:fs/promises')]);
  const state = new ServeState(nodes.map((n) => n.name));
  state.update(report, Date.now());
  try {
    await writeFile(file, statusPage(state, { title: `clusterctl verify: ${source}` }));
  } catch (err) {
    throw new UserError(`--html ${file}: cannot write the page: ${(err as Error).message}; check that the directory exists and is writable`, { cause: err });
  }
}

// A run that throws: the printer lets go of the terminal before main prints the error.
const letGo =
  (printer: Printer) =>
  (err: unknown): never => {
    printer.abort();
    throw err;
  };

// verify --watch: the first round as a plain verify prints it (JSON: one line per round), then
// only what changes; runs until Ctrl-C (main turns that into exit 130).
async function verifyWatch(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, intervalMs: number, json: boolean, io: Io): Promise<number> {
  const watch = { intervalMs, signal: io.signal };
  if (json) {
    const last = await watchVerify(inventory, nodes, deps, { ...watch, observer: { round: (r) => void io.stdout.write(formatJsonLine(r.report, r)) } });
    return last?.report.ok ? 0 : 1;
  }
  const [printer, { makeChalk }, lines] = await Promise.all([printerFor(nodes, false, io), import('../report/format.js'), import('../report/watch.js')]);
  const c = makeChalk(Boolean(io.stdout.isTTY), io.env);
  // The first round is printed as a plain verify prints it; then only what changes.
  const last = await watchVerify(inventory, nodes, deps, {
    ...watch,
    observer: {
      first: printer,
      round: (r) => {
        if (r.round > 1) return void io.stdout.write(lines.roundLines(r, c));
        printer.done(r.report);
        io.stderr.write(lines.watchingLine(intervalMs, nodes.length));
      },
      connection: (e, at) => io.stdout.write(lines.connectionLine(e, at, c)),
    },
  }).catch(letGo(printer));
  return last?.report.ok ? 0 : 1;
}
