import type { ChalkInstance } from 'chalk';
import type { NodeSpec } from '../inventory/types.js';
import type { Io } from '../io.js';
import { LiveArea } from './live.js';
import type { Screen } from './live.js';
import { sanitize } from './sanitize.js';

export type LeafStatus = 'pass' | 'fail' | 'skip' | 'error';
export interface Leaf {
  title: string;
  status: LeafStatus;
}

// What one node shows in the tree: its title line and one leaf per result.
export interface NodeView {
  title: string;
  leaves: Leaf[];
  collapse: boolean; // fold to the title line (everything passed)
  hidden?: boolean; // not printed: counted on one line instead (verify --quiet, more nodes than rows)
}

// The live area needs a terminal it can count rows on: a pty without a size (columns 0) has none.
// Any number of nodes fits: the live area shows a few of them and counts the rest.
export function useLiveTree(stdout: Io['stdout']): boolean {
  const { isTTY, rows, columns } = stdout;
  return Boolean(isTTY) && (columns ?? 0) >= 40 && (rows ?? 24) >= 5;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
// Past this many, a list of running nodes is no longer read; the status line counts them all.
const MAX_RUNNING_SHOWN = 10;

export function leafIcon(status: LeafStatus, c: ChalkInstance): string {
  return { pass: c.green('✔'), fail: c.red('✖'), skip: c.yellow('↓'), error: c.magenta('✖') }[status];
}

// A node's lines as they are printed, once: the title, then its leaves unless it folds.
export function nodeBlock(v: NodeView, c: ChalkInstance): string {
  if (v.hidden) return '';
  const bad = v.leaves.some((l) => l.status === 'fail' || l.status === 'error');
  const head = `${bad ? c.red('✖') : c.green('✔')} ${v.title}\n`;
  return v.collapse ? head : head + v.leaves.map((l) => `  ${leafIcon(l.status, c)} ${l.title}\n`).join('');
}

export interface NodeTree<R> {
  start(name: string): void; // the node is being worked on (with waitForStart)
  finish(name: string, r: R): void; // the node's lines, printed once above the live area
  print(text: string): void; // more finished lines (whole lines, escaped)
  draw(): void; // draw now rather than at the next tick
  run(): Promise<void>; // resolves, and the live area goes, once every node is finished
  close(): void; // the live area goes now (the run is over, or it failed)
}

export interface TreeOptions {
  waitForStart?: boolean; // a node counts as running from start(), not from the beginning
  afterAll?: string; // what the live area says once every node is in, until close
  tickMs?: number;
}

// The tree every human printer on a terminal shares (verify, smoke-etcd): a node's lines are
// printed the moment its result is in, above a live area that shows the nodes still running and
// a count. A finished node is never drawn again, so a change costs its own lines and the live
// area's few rows, whatever the number of nodes. Titles must come escaped (report/sanitize.ts).
export function nodeTree<R>(nodes: readonly NodeSpec[], screen: Screen, c: ChalkInstance, view: (r: R) => NodeView, opts: TreeOptions = {}): NodeTree<R> {
  const label = new Map(nodes.map((n) => [n.name, `${sanitize(n.name)} ${c.dim(`(${sanitize(n.host)})`)}`]));
  const running = new Set<string>(opts.waitForStart ? [] : label.keys());
  const finished = new Set<string>();
  let allIn!: () => void;
  const everyNode = new Promise<void>((resolve) => (allIn = resolve));

  const lines = (frame: number, room: number): string[] => {
    const spin = c.yellow(SPINNER[frame % SPINNER.length] as string);
    const total = label.size;
    if (finished.size >= total) return opts.afterAll ? [`${spin} ${opts.afterAll}`] : [];
    const shown: string[] = [];
    for (const name of running) {
      if (shown.length >= Math.min(room - 1, MAX_RUNNING_SHOWN)) break;
      shown.push(`${spin} ${label.get(name) ?? sanitize(name)}`);
    }
    const waiting = total - finished.size - running.size;
    return [...shown, c.dim(`${running.size} running, ${waiting} waiting, ${finished.size}/${total} done`)];
  };
  const area = new LiveArea(screen, lines, opts.tickMs === undefined ? {} : { tickMs: opts.tickMs });
  area.draw();
  const close = () => {
    area.close();
    allIn();
  };

  return {
    start: (name) => void (label.has(name) && !finished.has(name) && running.add(name)),
    finish: (name, r) => {
      if (finished.has(name) || !label.has(name)) return area.print(nodeBlock(view(r), c));
      running.delete(name);
      finished.add(name);
      area.print(nodeBlock(view(r), c));
      if (finished.size >= label.size && !opts.afterAll) close();
    },
    print: (text) => area.print(text),
    draw: () => area.draw(),
    run: () => everyNode,
    close,
  };
}
