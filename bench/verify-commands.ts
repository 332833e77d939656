import { PassThrough } from 'node:stream';
import { loadInventory } from '../src/inventory/load.js';
import { makeConnect } from '../src/run/connect.js';
import { runVerify } from '../src/run/verify.js';
import { noticeTo } from '../src/report/notice.js';
import type { Transport } from '../src/transport/types.js';

// What one command got: its text, what was written to its stdin (a remote shell's requests), and
// how many requests it carried (an exec: one).
export interface Sent {
  command: string;
  stdin: string;
  requests: number;
}

// Every command a full `clusterctl verify` sends to each node (the probe's remote shell, and the
// requests it was sent: the probe, then the batch with the etcd and flannel reads where they
// apply), recorded from one in-process run over real SSH, by host. The OpenSSH side of the bench
// runs exactly these, with the same stdin, so both sides do the same work on the nodes.
export async function recordVerifyCommands(inventoryFile: string): Promise<Map<string, Sent[]>> {
  const sink = new PassThrough().resume();
  const io = { stdout: sink, stderr: sink, env: {}, signal: new AbortController().signal };
  const real = makeConnect({ connectTimeoutMs: 10_000 }, io, noticeTo(io));
  const inventory = await loadInventory(inventoryFile);
  const seen = new Map<string, Sent[]>();
  const connect = async (node: (typeof inventory.nodes)[number]): Promise<Transport> => {
    const t = await real(node);
    const sent: Sent[] = [];
    seen.set(node.host, sent);
    const shells = new Map<string, Sent>();
    return {
      exec: (command, o) => (sent.push({ command, stdin: '', requests: 1 }), t.exec(command, o)),
      close: () => t.close(),
      shell: (command) => {
        const s = t.shell?.(command);
        if (!s) throw new Error('the SSH transport runs a remote shell');
        let record = shells.get(command);
        if (!record) shells.set(command, (record = { command, stdin: '', requests: 0 })), sent.push(record);
        const r = record;
        return { ...s, isOpen: () => s.isOpen(), close: () => s.close(), request: (req, o) => (r.requests++, s.request((nonce) => { const text = req(nonce); r.stdin += text; return text; }, o)) };
      },
    };
  };
  const report = await runVerify(inventory, inventory.nodes, { connect, concurrency: 32, commandTimeoutMs: 30_000, checks: {} });
  if (report.summary.errors > 0 || !report.nodes.every((n) => n.reachable)) throw new Error(`verify failed while recording its commands: ${report.summary.errors} errors`);
  return seen;
}
