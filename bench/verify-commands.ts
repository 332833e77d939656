import { PassThrough } from 'node:stream';
import { loadInventory } from '../src/inventory/load.js';
import { makeConnect } from '../src/run/connect.js';
import { runVerify } from '../src/run/verify.js';
import { noticeTo } from '../src/report/notice.js';

// Every command a full `clusterctl verify` sends to each node (the probe, then the etcd and
// flannel reads where they apply), recorded from one in-process run over real SSH, by host. The
// OpenSSH side of the bench runs exactly these, so both sides do the same work on the nodes.
export async function recordVerifyCommands(inventoryFile: string): Promise<Map<string, string[]>> {
  const sink = new PassThrough().resume();
  const io = { stdout: sink, stderr: sink, env: {}, signal: new AbortController().signal };
  const real = makeConnect({ connectTimeoutMs: 10_000 }, io, noticeTo(io));
  const inventory = await loadInventory(inventoryFile);
  const seen = new Map<string, string[]>();
  const connect = async (node: (typeof inventory.nodes)[number]) => {
    const t = await real(node);
    const cmds: string[] = [];
    seen.set(node.host, cmds);
    return { exec: (cmd: string, o?: { timeoutMs?: number }) => (cmds.push(cmd), t.exec(cmd, o)), close: () => t.close() };
  };
  const report = await runVerify(inventory, inventory.nodes, { connect, concurrency: 32, commandTimeoutMs: 30_000, checks: {} });
  if (report.summary.errors > 0 || !report.nodes.every((n) => n.reachable)) throw new Error(`verify failed while recording its commands: ${report.summary.errors} errors`);
  return seen;
}
