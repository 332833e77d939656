import { DefaultRenderer, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { ListrTask } from 'listr2';
import type { ChalkInstance } from 'chalk';
import type { NodeSpec } from '../inventory/types.js';
import type { Io } from '../io.js';
import { sanitize } from './sanitize.js';

export type LeafStatus = 'pass' | 'fail' | 'skip' | 'error';

// What one finished node shows in the live tree: its title line and one leaf per result.
export interface NodeView {
  title: string;
  leaves: { title: string; status: LeafStatus }[];
  collapse: boolean; // fold to the title line (everything passed)
}

// listr2 redraws the whole tree on every update, and a tree taller than the screen cannot be
// redrawn in place: past a screenful of nodes the plain lines serve a terminal better. A pty
// without a size (columns 0) makes listr2 wrap every character onto its own line.
export function useLiveTree(stdout: Io['stdout'], nodes: number): boolean {
  const { isTTY, rows, columns } = stdout;
  return Boolean(isTTY) && (columns ?? 0) >= 40 && nodes <= Math.max(8, (rows ?? 24) - 6);
}

// listr2 picks its renderer by process.stdout; useLiveTree has already decided for io.stdout.
class LiveTree extends DefaultRenderer {
  static override nonTTY = true;
}

// The live tree every human renderer on a terminal shares (verify, smoke-etcd): one line per
// node, waiting until `finish(name, result)` brings that node's result, then its leaves. It
// draws on io.stdout. Titles from `view` must come escaped (report/sanitize.ts).
export function nodeTree<R>(nodes: readonly NodeSpec[], io: Io, c: ChalkInstance, view: (r: R) => NodeView): { finish(name: string, r: R): void; run(): Promise<void> } {
  const waiting = new Map<string, (r: R) => void>();
  const finished = new Map(nodes.map((n) => [n.name, new Promise<R>((resolve) => waiting.set(n.name, resolve))]));
  const leaf = ({ title, status }: NodeView['leaves'][number]): ListrTask => ({
    title,
    task: (_ctx, sub) => {
      if (status === 'skip') sub.skip(title);
      else if (status !== 'pass') throw new Error(title);
    },
  });
  const tree = new Listr(
    nodes.map(
      (node): ListrTask => ({
        title: `${sanitize(node.name)} ${c.dim(`(${sanitize(node.host)})`)}`,
        task: async (_ctx, task) => {
          const v = view(await (finished.get(node.name) as Promise<R>));
          task.title = v.title;
          // Subtasks inherit `concurrent` from the parent: keep the leaves in order.
          return task.newListr(v.leaves.map(leaf), { concurrent: false, exitOnError: false, rendererOptions: { collapseSubtasks: v.collapse } });
        },
      }),
    ),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: LiveTree,
      rendererOptions: {
        collapseSubtasks: false,
        collapseErrors: false,
        collapseSkips: false,
        showErrorMessage: true,
        logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(io.stdout as NodeJS.WriteStream, io.stderr as NodeJS.WriteStream) }),
      },
    },
  );
  return { finish: (name, r) => waiting.get(name)?.(r), run: () => tree.run().then(() => undefined, () => undefined) };
}
