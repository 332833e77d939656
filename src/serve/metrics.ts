// /metrics: the state of the last completed round in the Prometheus text format, written with
// prom-client. Labels are bounded (node names from the inventory, check ids from CHECKS): no
// message or other node text is ever a label. docs/serve.md lists the metrics.
import { Counter, Gauge, Registry } from 'prom-client';
import { STATUS_VALUE } from './state.js';
import type { ServeState } from './state.js';

export const METRIC = {
  status: 'clusterctl_check_status',
  lastChange: 'clusterctl_check_last_change_timestamp_seconds',
  reachable: 'clusterctl_node_reachable',
  roundDuration: 'clusterctl_round_duration_seconds',
  rounds: 'clusterctl_rounds_total',
  lastRound: 'clusterctl_last_round_timestamp_seconds',
  interval: 'clusterctl_interval_seconds',
} as const;

export function metricsRegistry(state: ServeState, intervalMs: number): Registry {
  const registry = new Registry();
  const each = (set: (node: string, check: string, value: { status: number; since: number }) => void) => {
    for (const [node, cells] of state.cells) for (const [check, cell] of cells) set(node, check, { status: STATUS_VALUE[cell.status], since: cell.since / 1000 });
  };
  new Gauge({
    name: METRIC.status,
    help: 'Status of each check on each node in the last completed round: 0 pass, 1 skip, 2 error (could not check), 3 fail; the worst of a check with several results on a node.',
    labelNames: ['node', 'check'],
    registers: [registry],
    collect() {
      this.reset();
      each((node, check, v) => this.set({ node, check }, v.status));
    },
  });
  new Gauge({
    name: METRIC.lastChange,
    help: "When each node's check last changed status (or was first seen), in seconds since the epoch.",
    labelNames: ['node', 'check'],
    registers: [registry],
    collect() {
      this.reset();
      each((node, check, v) => this.set({ node, check }, v.since));
    },
  });
  new Gauge({
    name: METRIC.reachable,
    help: 'Whether the node answered over SSH in the last completed round (1) or not (0).',
    labelNames: ['node'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [node, up] of state.reachable) this.set({ node }, up ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.roundDuration,
    help: 'How long the last completed round took, in seconds.',
    registers: [registry],
    collect() {
      this.reset();
      if (state.lastRoundMs !== undefined) this.set(state.lastRoundMs / 1000);
    },
  });
  new Counter({
    name: METRIC.rounds,
    help: 'Rounds completed since serve started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(state.rounds);
    },
  });
  new Gauge({
    name: METRIC.lastRound,
    help: 'When the last round completed, in seconds since the epoch; 0 before the first.',
    registers: [registry],
    collect() {
      this.reset();
      if (state.lastRoundAt !== undefined) this.set(state.lastRoundAt / 1000);
    },
  });
  new Gauge({
    name: METRIC.interval,
    help: 'The interval serve verifies at (--interval), in seconds: the alert rules measure staleness in it.',
    registers: [registry],
  }).set(intervalMs / 1000);
  return registry;
}
