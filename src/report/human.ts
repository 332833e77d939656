import { Listr } from 'listr2';
import type { ListrTask } from 'listr2';
import type { ChalkInstance } from 'chalk';
import type { Io } from '../io.js';
import type { NodeSpec } from '../inventory/types.js';
import { describeCheck, makeChalk, statusLabel, summaryLine } from './format.js';
import type { NodeReport, Report, RunObserver } from '../run/report.js';

type Run = (observer: RunObserver) => Promise<Report>;

function nodeTitle(n: NodeReport, c: ChalkInstance): string {
  const bad = n.checks.filter((x) => x.status === 'fail' || x.status === 'error').length;
  const verdict = bad ? c.red(`${bad} problem${bad === 1 ? '' : 's'}`) : c.green('ok');
  return `${c.bold(n.name)} ${c.dim(`(${n.host})`)} ${verdict} ${c.dim(`${Math.round(n.durationMs)} ms`)}`;
}

// Not a terminal: one line per result, printed as each node finishes, then the summary.
async function renderPlain(run: Run, io: Io, c: ChalkInstance): Promise<Report> {
  const report = await run({
    nodeFinished(n) {
      const lines = n.checks.map((r) => `${statusLabel(r.status, c)} ${n.name} ${describeCheck(r, c)}\n`);
      io.stdout.write(lines.join(''));
    },
  });
  io.stdout.write(`${summaryLine(report.summary, report.durationMs, c)}\n`);
  return report;
}

// On a terminal: a live listr2 tree, node → checks, filled in as each node finishes.
async function renderTree(nodes: NodeSpec[], run: Run, io: Io, c: ChalkInstance): Promise<Report> {
  const waiting = new Map<string, (n: NodeReport) => void>();
  const finished = new Map(nodes.map((n) => [n.name, new Promise<NodeReport>((resolve) => waiting.set(n.name, resolve))]));
  const checksOf = (report: NodeReport): ListrTask[] =>
    report.checks.map((r) => ({
      title: describeCheck(r, c),
      task: (_ctx, sub) => {
        if (r.status === 'skip') sub.skip(describeCheck(r, c));
        else if (r.status !== 'pass') throw new Error(describeCheck(r, c));
      },
    }));
  const tree = new Listr(
    nodes.map(
      (node): ListrTask => ({
        title: `${node.name} ${c.dim(`(${node.host})`)}`,
        task: async (_ctx, task) => {
          const report = await (finished.get(node.name) as Promise<NodeReport>);
          task.title = nodeTitle(report, c);
          const allPassed = report.checks.every((r) => r.status === 'pass');
          // Subtasks inherit `concurrent` from the parent: keep the checks in order. A node
          // whose checks all passed folds to its title line; problems stay expanded.
          return task.newListr(checksOf(report), { concurrent: false, exitOnError: false, rendererOptions: { collapseSubtasks: allPassed } });
        },
      }),
    ),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { collapseSubtasks: false, collapseErrors: false, collapseSkips: false, showErrorMessage: true },
    },
  );
  const [report] = await Promise.all([run({ nodeFinished: (n) => waiting.get(n.name)?.(n) }), tree.run().catch(() => undefined)]);
  io.stdout.write(`\n${summaryLine(report.summary, report.durationMs, c)}\n`);
  return report;
}

// listr2 redraws the whole tree on every update, and a tree taller than the screen cannot be
// redrawn in place: past a screenful of nodes the plain lines serve a terminal better. A pty
// without a size (columns 0) makes listr2 wrap every character onto its own line.
export function useLiveTree(stdout: Io['stdout'], nodes: number): boolean {
  const { isTTY, rows, columns } = stdout;
  return Boolean(isTTY) && (columns ?? 0) >= 40 && nodes <= Math.max(8, (rows ?? 24) - 6);
}

export function renderHuman(nodes: NodeSpec[], run: Run, io: Io): Promise<Report> {
  const c = makeChalk(Boolean(io.stdout.isTTY), io.env);
  return useLiveTree(io.stdout, nodes.length) ? renderTree(nodes, run, io, c) : renderPlain(run, io, c);
}
