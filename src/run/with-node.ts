import type { NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Connect } from './connect.js';

export type Connected<T> = { ok: true; value: T } | { ok: false; error: Error };

// Connect, work, close: the one shape every per-node job has. A failed connect is a value
// (the caller decides what it means for that node); the connection is closed however `work`
// ends. `work` itself must not throw: per-node failures are data.
export async function withNode<T>(connect: Connect, node: NodeSpec, work: (t: Transport) => Promise<T>): Promise<Connected<T>> {
  let t: Transport;
  try {
    t = await connect(node);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
  }
  try {
    return { ok: true, value: await work(t) };
  } finally {
    t.close();
  }
}
