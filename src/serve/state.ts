// What `clusterctl serve` knows between rounds: per node and check the worst status of its last
// completed round and when that last changed, whether each node answered, the rounds run, the
// recent changes and each node's flannel lease. Fed one completed round at a time; every
// endpoint reads it, so a round in progress never shows half done.
import type { CheckResult, CheckStatus } from '../checks/types.js';
import type { Report } from '../run/results.js';

// Worst first when several results share a node and check (service, one per unit): a failure
// is worse than a check that could not run, which is worse than a skip.
export const STATUS_VALUE: Readonly<Record<CheckStatus, number>> = { pass: 0, skip: 1, error: 2, fail: 3 };
export const worst = (a: CheckStatus, b: CheckStatus): CheckStatus => (STATUS_VALUE[b] > STATUS_VALUE[a] ? b : a);

export interface Cell {
  status: CheckStatus;
  since: number; // ms since the epoch: when this status began (the first round that showed it)
  results: CheckResult[]; // every result of this check on the node, in report order
}

export interface Change {
  at: number;
  node: string;
  check: string;
  from: CheckStatus | null; // null: new
  to: CheckStatus;
  message: string; // the worst result's message (node text: escaped by whoever prints it)
}

const KEEP_CHANGES = 200;

export class ServeState {
  rounds = 0;
  lastRoundAt: number | undefined; // ms since the epoch
  lastRoundMs: number | undefined;
  report: Report | undefined;
  readonly cells = new Map<string, Map<string, Cell>>();
  readonly reachable = new Map<string, boolean>();
  readonly changes: Change[] = []; // newest last, KEEP_CHANGES at most

  constructor(readonly nodes: readonly string[]) {}

  update(report: Report, at: number): void {
    this.rounds++;
    this.lastRoundAt = at;
    this.lastRoundMs = report.durationMs;
    this.report = report;
    for (const n of report.nodes) {
      this.reachable.set(n.name, n.reachable);
      const before = this.cells.get(n.name) ?? new Map<string, Cell>();
      const now = new Map<string, Cell>();
      for (const r of n.checks) {
        const cell = now.get(r.id);
        if (cell) {
          cell.status = worst(cell.status, r.status);
          cell.results.push(r);
        } else now.set(r.id, { status: r.status, since: at, results: [r] });
      }
      for (const [id, cell] of now) {
        const was = before.get(id);
        if (was && was.status === cell.status) cell.since = was.since;
        else if (this.rounds > 1 || was) this.note({ at, node: n.name, check: id, from: was?.status ?? null, to: cell.status, message: messageOf(cell) });
      }
      this.cells.set(n.name, now);
    }
  }

  // Every failing or erroring result, node by node in inventory order.
  problems(): { node: string; check: string; status: CheckStatus; message: string }[] {
    return this.nodes.flatMap((node) =>
      [...(this.cells.get(node)?.values() ?? [])].flatMap((c) => c.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => ({ node, check: r.id, status: r.status, message: r.message }))),
    );
  }

  // FLANNEL_SUBNET as the flannel.lease check read it on the node.
  lease(node: string): string | undefined {
    const r = this.cells.get(node)?.get('flannel.lease')?.results[0];
    return r?.actual ? /FLANNEL_SUBNET=(\S+)/.exec(r.actual)?.[1] : undefined;
  }

  private note(c: Change): void {
    this.changes.push(c);
    if (this.changes.length > KEEP_CHANGES) this.changes.splice(0, this.changes.length - KEEP_CHANGES);
  }
}

export const messageOf = (cell: Cell): string => (cell.results.find((r) => r.status === cell.status) ?? cell.results[0])?.message ?? '';
