import type { ChalkInstance } from 'chalk';
import type { Io } from '../io.js';
import type { NodeSpec } from '../inventory/types.js';
import { describeCheck, makeChalk, statusLabel, summaryLine } from './format.js';
import { nodeBlock, nodeTree, useLiveTree } from './tree.js';
import type { NodeView } from './tree.js';
import type { NodeReport } from '../run/results.js';
import type { Printer } from './printer.js';
import { sanitize } from './sanitize.js';
import { failureGroups, groupLine } from './groups.js';
import type { Report } from '../run/results.js';
import type { CheckResult } from '../checks/types.js';

const problems = (checks: readonly CheckResult[]) => checks.filter((x) => x.status === 'fail' || x.status === 'error').length;

function verdict(checks: readonly CheckResult[], c: ChalkInstance): string {
  const bad = problems(checks);
  return bad ? c.red(`${bad} problem${bad === 1 ? '' : 's'}`) : c.green('ok');
}

const nodeName = (n: { name: string; host: string }, c: ChalkInstance) => `${c.bold(sanitize(n.name))} ${c.dim(`(${sanitize(n.host)})`)}`;

// What did not pass, grouped by check, after the summary: how a long report ends.
function groupsText(report: Report, c: ChalkInstance): string {
  const groups = failureGroups(report);
  return groups.length ? `${groups.map((g) => `${g.status === 'fail' ? c.red('✖') : c.magenta('✖')} ${groupLine(g)}\n`).join('')}` : '';
}

const shownQuiet = (r: CheckResult) => r.status === 'fail' || r.status === 'error';

// Not a terminal: one line per result, printed as each node finishes, then the summary and the
// failures grouped by check. quiet: only the results that failed or could not run.
function plainPrinter(io: Io, c: ChalkInstance, quiet: boolean): Printer {
  const print = (node: string, checks: readonly CheckResult[]) => {
    const name = sanitize(node);
    io.stdout.write(checks.filter((r) => !quiet || shownQuiet(r)).map((r) => `${statusLabel(r.status, c)} ${name} ${describeCheck(r, c)}\n`).join(''));
  };
  return {
    nodeFinished: (n) => print(n.name, n.checks),
    clusterFinished: (results) => {
      for (const [node, checks] of results) print(node, checks);
    },
    done: (report) => void io.stdout.write(`${summaryLine(report.summary, report.durationMs, c)}\n${groupsText(report, c)}`),
    abort: () => undefined,
  };
}

function nodeView(name: string, checks: readonly CheckResult[], c: ChalkInstance, hidePassed = false): NodeView {
  const passed = checks.every((r) => r.status === 'pass' || r.status === 'skip');
  return { title: name, leaves: checks.map((r) => ({ title: describeCheck(r, c), status: r.status })), collapse: checks.every((r) => r.status === 'pass'), hidden: hidePassed && passed };
}

// The checks that compare nodes, after the last node: each node where one did not pass, with
// them under it; the nodes where all passed, counted on one line.
function acrossNodes(results: ReadonlyMap<string, CheckResult[]>, own: ReadonlyMap<string, NodeReport>, c: ChalkInstance): string {
  const concerned = [...results].filter(([, checks]) => checks.length > 0);
  if (concerned.length === 0) return '';
  const open = concerned.filter(([, checks]) => checks.some((r) => r.status !== 'pass'));
  const blocks = open.map(([name, checks]) => {
    const n = own.get(name) ?? { name, host: '' };
    return nodeBlock(nodeView(`${nodeName(n, c)} ${verdict(checks, c)}`, checks, c), c);
  });
  const passed = concerned.length - open.length;
  const rest = passed ? `${c.green('✔')} ${passed} ${open.length ? 'more ' : ''}node${passed === 1 ? '' : 's'}: every check across nodes passed\n` : '';
  return `${c.bold('checks across nodes')}\n${blocks.join('')}${rest}`;
}

// On a terminal: each node's line and checks printed once, the moment it is in (folded to its
// line when everything passed), above a live area of the nodes still running; the checks that
// compare nodes after the last one.
function treePrinter(nodes: readonly NodeSpec[], io: Io, c: ChalkInstance, quiet: boolean): Printer {
  // More nodes than rows (or --quiet): a node whose checks all passed is counted, not printed.
  const hidePassed = quiet || nodes.length > (io.stdout.rows ?? 24);
  const title = (n: NodeReport) => `${nodeName(n, c)} ${verdict(n.checks, c)} ${c.dim(`${Math.round(n.durationMs)} ms`)}`;
  const tree = nodeTree(nodes, io.stdout, c, (n: NodeReport) => nodeView(title(n), n.checks, c, hidePassed), { waitForStart: true, afterAll: 'checks across nodes' });
  const own = new Map<string, NodeReport>();
  return {
    nodeStarted: (name) => tree.start(name),
    nodeFinished: (n) => {
      own.set(n.name, n);
      tree.finish(n.name, n);
    },
    clusterFinished: (results) => {
      tree.print(acrossNodes(results, own, c));
      tree.close();
    },
    done: (report) => {
      tree.close();
      const passed = report.nodes.filter((n) => n.checks.every((r) => r.status === 'pass' || r.status === 'skip')).length;
      const collapsed = hidePassed && passed ? `${c.green('✔')} ${passed} node${passed === 1 ? '' : 's'} passed every check\n` : '';
      io.stdout.write(`${collapsed}\n${summaryLine(report.summary, report.durationMs, c)}\n${groupsText(report, c)}`);
    },
    abort: () => tree.close(),
  };
}

// verify's human output: the live tree on a terminal, plain lines anywhere else. quiet (--quiet):
// only what did not pass, then the summary.
export function humanPrinter(nodes: readonly NodeSpec[], io: Io, quiet = false): Printer {
  const c = makeChalk(Boolean(io.stdout.isTTY), io.env);
  return useLiveTree(io.stdout) ? treePrinter(nodes, io, c, quiet) : plainPrinter(io, c, quiet);
}
