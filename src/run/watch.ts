import type { CheckResult } from '../checks/types.js';
import type { ClusterInputs } from '../checks/cluster-view.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { KeptConnections } from './kept.js';
import type { ConnectionEvent } from './kept.js';
import { DEFAULT_BACKOFF, realClock } from './poll.js';
import type { Backoff, Clock } from './poll.js';
import type { Report, RunObserver } from './results.js';
import { readClusterInputs } from './cluster-inputs.js';
import { sendDatapath } from './datapath.js';
import { limiter } from './each-node.js';
import { checkNode, clusterReport } from './verify.js';
import type { NodeChecked, RunDeps } from './verify.js';

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

// What the printers see of a watch. `round` may return a promise: the next round waits for it.
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

// A watch round waits at least this long for nodes still running before it reports them as they
// were: with a shorter --watch interval, every round would show the slower nodes' last results.
const MIN_CUTOFF_MS = 1000;

interface NodeState {
  node: NodeSpec;
  latest?: NodeChecked & { at: number }; // wall-clock ms when it was in
  running?: Promise<void>;
}

// verify --watch: one SSH connection per node, opened once and kept; every interval the probe
// and gatherers run again over it and the checks are evaluated again. Each node keeps its own
// schedule: a node whose round is still running (within its deadline) is not started again, and
// no other node waits for it; the round's report, once every node is in or the interval (at
// least MIN_CUTOFF_MS) has passed, shows it as it last was, marked stale. The first round waits
// for every node, as a plain verify does. The checks that compare nodes run on every node's
// latest facts. Each round goes to the observer with what changed since the one before. A
// connection that drops is opened again, backing off while that fails. Ends on the signal (or
// after `rounds`), closing every connection; returns the last complete round (null if none).
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
  const limit = limiter(deps.concurrency);
  const states: NodeState[] = nodes.map((node) => ({ node }));
  const start = (s: NodeState, first: RunObserver | undefined) => {
    const each: RunDeps = { ...deps, connect: pool.connect, ...(first ? { observer: first } : {}) };
    s.running = limit(() => checkNode(s.node, inventory, each)).then((c) => {
      s.latest = { ...c, at: wall() };
      delete s.running;
    });
  };
  let last: WatchRound | null = null;
  try {
    for (let n = 1; !signal?.aborted; n++) {
      const started = clock.now();
      const startedAt = performance.now();
      const inputs = readClusterInputs(inventory, deps.checks ?? {}, deps.commandTimeoutMs, deps.notice);
      const first = n === 1 ? observer.first : undefined;
      for (const s of states) if (!s.running) start(s, first);
      const inFlight = Promise.all(states.map((s) => s.running));
      await (n === 1 || !clock.after ? inFlight : Promise.race([inFlight, clock.after(Math.max(MIN_CUTOFF_MS, opts.intervalMs), signal)]));
      // A round cut by Ctrl-C is connections closing, not news about the nodes.
      if (signal?.aborted) break;
      // flannel.datapath's echoes, from the nodes whose round is in.
      const busy = new Set(states.filter((s) => s.running).map((s) => s.node.name));
      const datapath = await sendDatapath(inventory, states.flatMap((s) => (s.latest ? [s.latest.gathered] : [])), { ...deps, connect: pool.connect }, busy);
      if (signal?.aborted) break;
      const report = roundReport(inventory, states, { ...deps, ...(first ? { observer: first } : {}) }, { ...(await inputs), ...datapath }, startedAt);
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

// Every node's latest results, with when they were in; a node still running is marked stale.
function roundReport(inventory: Inventory, states: readonly NodeState[], deps: RunDeps, inputs: ClusterInputs, startedAt: number): Report {
  const all = states.map((s) => {
    const l = s.latest as NodeChecked & { at: number }; // every node is in after the first round
    return { gathered: l.gathered, report: { ...l.report, gatheredAt: l.at, ...(s.running ? { stale: true } : {}) } };
  });
  return clusterReport(inventory, all, deps, inputs, startedAt);
}
