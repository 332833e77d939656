import type { NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Connect } from './connect.js';
import { NodeTimeoutError } from './deadline.js';
import type { NodeDeadline } from './deadline.js';

// connected: the node's deadline passed after the connection was up (a request stalled).
export type Connected<T> = { ok: true; value: T } | { ok: false; error: Error; connected?: boolean };

// Connect, work, close: the one shape every per-node job has. A failed connect is a value
// (the caller decides what it means for that node); the connection is closed however `work`
// ends. `work` itself must not throw: per-node failures are data. Under a deadline, the connect
// and `work` (each request of it) end by then, and a node past it is an error, never a wait.
export async function withNode<T>(connect: Connect, node: NodeSpec, work: (t: Transport) => Promise<T>, deadline?: NodeDeadline): Promise<Connected<T>> {
  let t: Transport;
  try {
    // A connection that comes up after the deadline is closed; a kept one stays for the next round.
    t = await (deadline ? deadline.race(connect(node), (late) => late.close()) : connect(node));
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
  }
  try {
    return { ok: true, value: await (deadline ? deadline.raceWork(work(deadline.bind(t))) : work(t)) };
  } catch (err) {
    if (err instanceof NodeTimeoutError) return { ok: false, error: err, connected: true };
    throw err;
  } finally {
    t.close();
  }
}
