import { batchScriptOf, planBatch } from '../facts/batch.js';
import { probeFor } from '../facts/probe.js';
import { requestText } from '../facts/request.js';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../run/deadline.js';
import { collectorsFor } from '../run/gather-node.js';
import { loadInventory } from '../inventory/load.js';
import { nodeNamed } from '../inventory/select.js';
import type { Become } from '../util/become.js';
import { newNonce } from '../util/frame-shell.js';
import type { Io } from '../io.js';

export interface ProbeOptions {
  become: Become;
  session?: boolean;
  node?: string; // --node: that node's first request, its become from the inventory (-i)
  inventory?: string;
}

// `clusterctl probe`: print the exact script verify and facts run on a node (for become: sudo,
// with the line that lets it read root-only files through `sudo -n -- cat`), so an operator can
// audit it before allowing it. It is a constant: no inventory is read. --session: the command
// that SSH starts on each node, which runs the same sections on each request it reads on stdin.
export function probeCommand(o: ProbeOptions, io: Io): number {
  io.stdout.write(probeFor(o.become, o.session ? 'session' : 'once'));
  return 0;
}

// `clusterctl probe --node NAME -i FILE`: everything NAME receives in its first request, as a
// plain verify sends it (every check, the default --command-timeout): the command SSH starts (the
// session, for the node's own become), then what it reads on stdin: `probe NONCE` (a fresh nonce:
// each request makes its own), with the batch of the collectors that need nothing from the probe
// where the node has any (etcd's member list and the flannel key on an etcd node). The rest of
// the batch comes later, in a request of its own, built from what the probe found.
export async function probeNodeCommand(o: ProbeOptions & { node: string }, io: Io): Promise<number> {
  const inventory = await loadInventory(o.inventory ?? 'inventory.yaml');
  const node = nodeNamed(inventory, o.node);
  const rider = planBatch(node, inventory, null, collectorsFor().filter((c) => !c.usesProbe));
  io.stdout.write(firstRequest(node.become, newNonce(), rider ? batchScriptOf(rider, DEFAULT_COMMAND_TIMEOUT_MS) : ''));
  return 0;
}

// The session's command, then its first request (facts/request.ts requestText).
export const firstRequest = (become: Become, nonce: string, script = ''): string => `${probeFor(become, 'session')}${requestText('probe', nonce, script)}`;
