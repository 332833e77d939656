import type { CheckResult } from '../checks/types.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { KeptConnections } from './kept.js';
import type { ConnectionEvent } from './kept.js';
import { DEFAULT_BACKOFF, realClock } from './poll.js';
import type { Backoff, Clock } from './poll.js';
import type { Report, RunObserver } from './report.js';
import { runVerify } from './verify.js';
import type { RunDeps } from './verify.js';

// One check of one node whose status is not what it was a round ago. `from` null: the check is
// new on this node; `to` null: it is gone.
export interface CheckChange {
  node: string;
  from: CheckResult | null;
  to: CheckResult | null;
}

export interface WatchRound {
  round: number; // 1-based
  at: number; // wall-clock ms when the round's results were in
  report: Report; // this round's full results; durationMs is the round's own
  changes: CheckChange[]; // against the round before; none on the first
}

// What the renderers see of a watch. `round` may return a promise: the next round waits for it.
export interface WatchObserver {
  first?: RunObserver; // the first round's nodes as they come in, like a plain verify
  round?(r: WatchRound): void | Promise<void>;
  connection?(e: ConnectionEvent, at: number): void;
}

export interface WatchOptions {
  intervalMs: number; // from one round's start to the next's
  clock?: Clock;
  wall?: () => number; // time of day for the lines; Date.now
  signal?: AbortSignal; // Ctrl-C: stop, close every connection
  backoff?: Backoff; // between failed reconnects
  rounds?: number; // stop after this many (tests, the bench); default: until the signal
  observer?: WatchObserver;
}

// A check's place in a node's report: its id, and which of that id's results it is.
function keyed(checks: readonly CheckResult[]): Map<string, CheckResult> {
  const seen = new Map<string, number>();
  return new Map(
    checks.map((c) => {
      const k = seen.get(c.id) ?? 0;
      seen.set(c.id, k + 1);
      return [`${c.id}#${k}`, c];
    }),
  );
}

// What changed from one round to the next: a check's status, in report order, node by node.
export function changesBetween(before: Report, after: Report): CheckChange[] {
  const old = new Map(before.nodes.map((n) => [n.name, keyed(n.checks)]));
  return after.nodes.flatMap((n) => {
    const was = old.get(n.name) ?? new Map<string, CheckResult>();
    const now = keyed(n.checks);
    const changed = [...now].filter(([k, c]) => was.get(k)?.status !== c.status).map(([k, c]) => ({ node: n.name, from: was.get(k) ?? null, to: c }));
    const gone = [...was].filter(([k]) => !now.has(k)).map(([, c]) => ({ node: n.name, from: c, to: null }));
    return [...changed, ...gone];
  });
}

// verify --watch: one SSH connection per node, opened once and kept; every interval the probe
// and gatherers run again over it and the checks are evaluated again. Each round goes to the
// observer with what changed since the one before. A connection that drops is opened again,
// backing off while that fails. Ends on the signal (or after `rounds`), closing every
// connection; returns the last complete round (null if none completed).
export async function watchVerify(inventory: Inventory, nodes: NodeSpec[], deps: RunDeps, opts: WatchOptions): Promise<WatchRound | null> {
  const clock = opts.clock ?? realClock;
  const wall = opts.wall ?? Date.now;
  const { signal, observer = {} } = opts;
  const pool = new KeptConnections(deps.connect, {
    clock,
    backoff: opts.backoff ?? DEFAULT_BACKOFF,
    onEvent: (e) => {
      if (!signal?.aborted) observer.connection?.(e, wall());
    },
  });
  let last: WatchRound | null = null;
  try {
    for (let n = 1; !signal?.aborted; n++) {
      const started = clock.now();
      const first = n === 1 && observer.first ? { observer: observer.first } : {};
      const report = await runVerify(inventory, nodes, { ...deps, connect: pool.connect, ...first });
      // A round cut by Ctrl-C is connections closing, not news about the nodes.
      if (signal?.aborted) break;
      last = { round: n, at: wall(), report, changes: last ? changesBetween(last.report, report) : [] };
      await observer.round?.(last);
      if (opts.rounds !== undefined && n >= opts.rounds) break;
      await clock.sleep(Math.max(0, opts.intervalMs - (clock.now() - started)), signal);
    }
  } finally {
    pool.closeAll();
  }
  return last;
}
