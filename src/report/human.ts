import type { ChalkInstance } from 'chalk';
import type { Io } from '../io.js';
import type { NodeSpec } from '../inventory/types.js';
import { describeCheck, makeChalk, statusLabel, summaryLine } from './format.js';
import { nodeTree, useLiveTree } from './tree.js';
import type { NodeReport, Report, RunObserver } from '../run/report.js';
import { sanitize } from './sanitize.js';
import type { CheckResult } from '../checks/types.js';
import { withClusterResults } from '../run/evaluate.js';

type Run = (observer: RunObserver) => Promise<Report>;

function nodeTitle(n: NodeReport, c: ChalkInstance): string {
  const bad = n.checks.filter((x) => x.status === 'fail' || x.status === 'error').length;
  const verdict = bad ? c.red(`${bad} problem${bad === 1 ? '' : 's'}`) : c.green('ok');
  return `${c.bold(sanitize(n.name))} ${c.dim(`(${sanitize(n.host)})`)} ${verdict} ${c.dim(`${Math.round(n.durationMs)} ms`)}`;
}

// Not a terminal: one line per result, printed as each node finishes, then the summary.
async function renderPlain(run: Run, io: Io, c: ChalkInstance): Promise<Report> {
  const print = (node: string, checks: readonly CheckResult[]) => {
    const name = sanitize(node);
    io.stdout.write(checks.map((r) => `${statusLabel(r.status, c)} ${name} ${describeCheck(r, c)}\n`).join(''));
  };
  const report = await run({
    nodeFinished: (n) => print(n.name, n.checks),
    clusterFinished: (results) => {
      for (const [node, checks] of results) print(node, checks);
    },
  });
  io.stdout.write(`${summaryLine(report.summary, report.durationMs, c)}\n`);
  return report;
}

// On a terminal: a live listr2 tree, node → checks. A node's line and its own checks appear the
// moment it is in; the checks that compare nodes are added under each node after the last one.
// A node whose checks all passed folds to its title line; problems stay expanded.
async function renderTree(nodes: NodeSpec[], run: Run, io: Io, c: ChalkInstance): Promise<Report> {
  const leaves = (checks: readonly CheckResult[]) => checks.map((r) => ({ title: describeCheck(r, c), status: r.status }));
  const allPass = (checks: readonly CheckResult[]) => checks.every((r) => r.status === 'pass');
  const tree = nodeTree(nodes, io, c, (n: NodeReport) => ({ title: nodeTitle(n, c), leaves: leaves(n.checks), collapse: allPass(n.checks) }), { later: true });
  const own = new Map<string, NodeReport>();
  const observed = run({
    nodeFinished: (n) => {
      own.set(n.name, n);
      tree.finish(n.name, n);
    },
    clusterFinished: (results) => {
      for (const [name, n] of own) {
        const more = results.get(name) ?? [];
        const whole = withClusterResults(n, more);
        tree.amend(name, { title: nodeTitle(whole, c), leaves: leaves(more), collapse: allPass(whole.checks) });
      }
    },
  });
  // A run that fails must not leave the tree waiting on the terminal.
  const [report] = await Promise.all([observed.finally(() => tree.abort()), tree.run()]);
  io.stdout.write(`\n${summaryLine(report.summary, report.durationMs, c)}\n`);
  return report;
}

export function renderHuman(nodes: NodeSpec[], run: Run, io: Io): Promise<Report> {
  const c = makeChalk(Boolean(io.stdout.isTTY), io.env);
  return useLiveTree(io.stdout, nodes.length) ? renderTree(nodes, run, io, c) : renderPlain(run, io, c);
}
