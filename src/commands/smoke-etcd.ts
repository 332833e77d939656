import { UserError } from '../errors.js';
import { etcdAccessFor } from '../etcdctl/client.js';
import { smokeNode, smokeOk } from '../smoke/node.js';
import type { ApiChoice, SmokeNodeDeps } from '../smoke/node.js';
import { printSmokeHuman, formatSmokeJson } from '../report/smoke.js';
import type { SmokeReport, SmokeRun } from '../report/smoke.js';
import { cleanupGraceMs, newPlan } from '../smoke/run.js';
import { loadSource } from './source.js';
import type { SourceOptions } from './source.js';
import { etcdNodes, nodeNamed } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { mapLimit } from '../run/each-node.js';
import type { Transport } from '../transport/types.js';
import type { SshFlags } from '../run/connect.js';
import { makeConnect } from '../run/connect.js';
import { noticeTo } from '../report/notice.js';
import type { Io } from '../io.js';

export interface SmokeEtcdOptions extends SourceOptions {
  node?: string;
  api: ApiChoice;
  json: boolean;
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number; // --node-timeout
  ssh?: SshFlags; // --ssh-config, --no-ssh-config, --retries
}

// Every etcd-role node, or the one named with --node (any role: the operator asked for it).
export function smokeTargets(inventory: Inventory, name?: string): NodeSpec[] {
  if (name !== undefined) return [nodeNamed(inventory, name)];
  const etcd = etcdNodes(inventory);
  if (!etcd.length) throw new UserError(`no node in ${inventory.path} has role etcd: give the etcd nodes "roles: [etcd, …]" or name one with --node NAME`);
  return etcd;
}

// Connect without handing the connection the stop signal (SIGINT, SIGTERM, SIGHUP): it must not
// close while the run still has keys to remove. Only the connect itself is abandoned on a signal
// (nothing exists yet).
function connector(opts: SmokeEtcdOptions, io: Io): (node: NodeSpec) => Promise<Transport> {
  const connect = makeConnect({ connectTimeoutMs: opts.connectTimeoutMs, ...(opts.ssh ? { ssh: opts.ssh } : {}) }, io, noticeTo(io));
  return async (node) => {
    const connecting = new AbortController();
    const abort = () => connecting.abort();
    io.signal.addEventListener('abort', abort, { once: true });
    if (io.signal.aborted) abort();
    try {
      return await connect(node, connecting.signal);
    } finally {
      io.signal.removeEventListener('abort', abort);
    }
  };
}

// `clusterctl smoke-etcd`: the setup guide's etcdctl test on every etcd node; returns the exit code.
export async function smokeEtcdCommand(opts: SmokeEtcdOptions, io: Io, connect = connector(opts, io)): Promise<number> {
  const inventory = await loadSource(opts, io);
  const nodes = smokeTargets(inventory, opts.node);
  // After a stop signal the step in flight finishes, then the cleanup runs: main waits that long
  // (calls × the per-call timeout, smoke/run.ts) before it exits.
  io.holdOnInterrupt?.(cleanupGraceMs(opts.commandTimeoutMs));
  const run: SmokeRun = async (hooks) => {
    const started = performance.now();
    const deps: SmokeNodeDeps = {
      connect,
      access: (node) => etcdAccessFor(node, inventory),
      api: opts.api,
      plan: () => newPlan(),
      commandTimeoutMs: opts.commandTimeoutMs,
      nodeTimeoutMs: opts.nodeTimeoutMs,
      signal: io.signal,
      ...(hooks.onStep ? { onStep: hooks.onStep } : {}),
    };
    const results = await mapLimit(nodes, opts.concurrency, async (node) => {
      const r = await smokeNode(node, deps);
      hooks.onNode?.(r);
      return r;
    });
    return { ok: results.every(smokeOk), durationMs: performance.now() - started, nodes: results };
  };
  let report: SmokeReport;
  if (opts.json) {
    report = await run({});
    io.stdout.write(formatSmokeJson(report));
  } else {
    report = await printSmokeHuman(nodes, run, io);
  }
  return report.ok ? 0 : 1;
}
