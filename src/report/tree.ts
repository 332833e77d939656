import { DefaultRenderer, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { ListrTask } from 'listr2';
import type { ChalkInstance } from 'chalk';
import type { NodeSpec } from '../inventory/types.js';
import type { Io } from '../io.js';
import { sanitize } from './sanitize.js';

export type LeafStatus = 'pass' | 'fail' | 'skip' | 'error';
export interface Leaf {
  title: string;
  status: LeafStatus;
}

// What one node shows in the live tree: its title line and one leaf per result.
export interface NodeView {
  title: string;
  leaves: Leaf[];
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

export interface NodeTree<R> {
  finish(name: string, r: R): void; // the node's line and leaves, now
  amend(name: string, more: NodeView): void; // with `later`: the whole node's title, leaves to add, fold or not
  run(): Promise<void>;
  abort(): void; // the run failed: end every node that is still waiting, so the tree lets go of the terminal
}

// A skip is shown once: its title with listr2's skip icon (with collapseSkips off, listr2 prints
// the title and then the skip message under it, the same text twice).
function leaf({ title, status }: Leaf, exitOnError?: false): ListrTask {
  return {
    title,
    ...(exitOnError === false ? { exitOnError } : {}),
    task: (_ctx, sub) => {
      if (status === 'skip') sub.skip(title);
      else if (status !== 'pass') throw new Error(title);
    },
  };
}

// listr2 decides once per task, at its first frame, whether a finished node folds: a node whose
// own leaves all passed folds unless one of its direct subtasks failed. When results added later
// (amend) hold something other than a pass, a last title-less subtask fails, silently, to keep
// the node open. It is why such a node ends with the "failed subtasks" icon.
function laterGroup(amended: Promise<NodeView>, retitle: (title: string) => void, ownFolds: boolean): ListrTask {
  return {
    task: async (_ctx, group) => {
      const more = await amended;
      retitle(more.title);
      const open: ListrTask = { task: () => Promise.reject(new Error('')) };
      const reopen = ownFolds && !more.collapse;
      return group.newListr([...more.leaves.map((l) => leaf(l, false)), ...(reopen ? [open] : [])], { concurrent: false, exitOnError: true });
    },
  };
}

// The live tree every human renderer on a terminal shares (verify, smoke-etcd): one line per
// node, waiting until `finish(name, result)` brings that node's result, then its leaves. With
// `later`, each node also waits for `amend` (verify's checks across nodes, after the last node):
// its line and leaves are there from `finish` on, and the rest is added under them. It draws on
// io.stdout. Titles must come escaped (report/sanitize.ts).
export function nodeTree<R>(nodes: readonly NodeSpec[], io: Io, c: ChalkInstance, view: (r: R) => NodeView, opts: { later?: boolean } = {}): NodeTree<R> {
  const pending = <T>() => {
    const m = new Map<string, (v: T | null) => void>();
    const p = new Map(nodes.map((n) => [n.name, new Promise<T | null>((resolve) => m.set(n.name, resolve))]));
    return { settle: (name: string, v: T | null) => m.get(name)?.(v), wait: (name: string) => p.get(name) as Promise<T | null>, names: () => [...m.keys()] };
  };
  const finished = pending<R>();
  const amended = pending<NodeView>();
  const tree = new Listr(
    nodes.map(
      (node): ListrTask => ({
        title: `${sanitize(node.name)} ${c.dim(`(${sanitize(node.host)})`)}`,
        task: async (_ctx, task) => {
          const r = await finished.wait(node.name);
          if (r === null) return undefined;
          const v = view(r);
          task.title = v.title;
          const rest = opts.later ? amended.wait(node.name).then((m) => m ?? { title: v.title, leaves: [], collapse: v.collapse }) : null;
          // Subtasks inherit `concurrent` from the parent: keep the leaves in order.
          const leaves = [...v.leaves.map((l) => leaf(l)), ...(rest ? [laterGroup(rest, (t) => (task.title = t), v.collapse)] : [])];
          return task.newListr(leaves, { concurrent: false, exitOnError: false, rendererOptions: { collapseSubtasks: v.collapse } });
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
        showErrorMessage: true,
        logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(io.stdout as NodeJS.WriteStream, io.stderr as NodeJS.WriteStream) }),
      },
    },
  );
  return {
    finish: (name, r) => finished.settle(name, r),
    amend: (name, more) => amended.settle(name, more),
    run: () => tree.run().then(() => undefined, () => undefined),
    abort: () => {
      for (const name of finished.names()) finished.settle(name, null);
      for (const name of amended.names()) amended.settle(name, null);
    },
  };
}
