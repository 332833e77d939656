// `clusterctl serve`: verify --watch's engine (one kept SSH connection per node, every interval)
// behind an HTTP server: /metrics for Prometheus, /healthz, and a status page at /. Answers from
// the last completed round while the next runs; on SIGTERM (main turns the run signal) it closes
// every connection and the listener.
import { CHECK_IDS } from '../checks/index.js';
import { validateSelection } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import { selectNodes } from '../inventory/select.js';
import type { Io } from '../io.js';
import { noticeTo } from '../report/notice.js';
import { sanitize } from '../report/sanitize.js';
import { makeConnect } from '../run/connect.js';
import type { SshFlags } from '../run/connect.js';
import type { RunDeps } from '../run/verify.js';
import { watchVerify } from '../run/watch.js';
import { metricsRegistry } from '../serve/metrics.js';
import { DEFAULT_LISTEN, isLoopback, listen, parseListen, serveHttp } from '../serve/server.js';
import { ServeState } from '../serve/state.js';
import { loadSource } from './source.js';
import type { SourceOptions } from './source.js';

export interface ServeOptions extends SourceOptions {
  listen?: string; // ADDR:PORT, default DEFAULT_LISTEN
  intervalMs: number;
  limit?: string[];
  checks?: CheckSelection;
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number; // --node-timeout
  ssh?: SshFlags;
}

export async function serveCommand(opts: ServeOptions, io: Io): Promise<number> {
  const at = parseListen(opts.listen ?? DEFAULT_LISTEN);
  const inventory = await loadSource(opts, io);
  validateSelection(opts.checks ?? {}, CHECK_IDS);
  const nodes = selectNodes(inventory, opts.limit);
  const notice = noticeTo(io);
  const deps: RunDeps = {
    connect: makeConnect(opts, io, notice),
    notice,
    concurrency: opts.concurrency,
    commandTimeoutMs: opts.commandTimeoutMs,
    nodeTimeoutMs: opts.nodeTimeoutMs,
    checks: opts.checks ?? {},
    local: false,
  };
  const state = new ServeState(nodes.map((n) => n.name));
  const server = serveHttp(state, metricsRegistry(state, opts.intervalMs), opts.intervalMs / 1000, `clusterctl: ${inventory.path}`);
  const bound = await listen(server, at);
  const where = bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  if (!isLoopback(bound.address)) io.stderr.write(`warning: serve listens on ${where}, beyond this machine: anyone who reaches it sees every node's results\n`);
  io.stderr.write(`serve: http://${where}/ (/metrics, /healthz), ${nodes.length} node${nodes.length === 1 ? '' : 's'} every ${opts.intervalMs / 1000}s; SIGTERM or Ctrl-C to stop\n`);
  // A service stopped on purpose: SIGTERM ends the rounds, closes every connection and the
  // listener, and exits 0 (SIGINT 130, SIGHUP 129, as every command).
  io.exitCodeOnSignal?.('SIGTERM', 0);
  io.holdOnInterrupt?.(2000);
  try {
    await watchVerify(inventory, nodes, deps, {
      intervalMs: opts.intervalMs,
      signal: io.signal,
    observer: {
        round: (r) => state.update(r.report, r.at),
        connection: (e) => io.stderr.write(`serve: ${sanitize(e.node)}: ${e.kind === 'lost' ? `connection lost (${sanitize(e.why)})` : 'connected again'}\n`),
      },
    });
  } finally {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return 0;
}
