import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Become } from '../util/become.js';
import { planBatch, runBatch } from './batch.js';
import { parseFacts } from './parse/probe-output.js';
import { runProbeOn, sessionLost } from './session.js';
import type { Gathered, Gatherer } from './types.js';
import { isKubeNode } from '../kube/expect.js';

// Every source of facts beyond the base probe, in batch order. Add one here, and name it in the
// `needs` of the checks that read its facts; nothing registers itself.
export const GATHERERS: readonly Gatherer[] = [
  { name: 'etcd', applies: (node) => node.roles.includes('etcd') },
  { name: 'flannel.config', applies: (node, inventory) => inventory.cluster.flannel.enabled && node.roles.includes('etcd') },
  { name: 'flannel.etcd-reach', applies: (_node, inventory) => inventory.cluster.flannel.enabled },
  { name: 'etcdctl.version', applies: (_node, inventory) => inventory.cluster.flannel.enabled },
  { name: 'provisioned', applies: (node) => node.provisioned !== undefined },
  { name: 'kube', applies: (node, inventory) => isKubeNode(node, inventory) },
];

// The base probe: the constant script (in the node's session); a failure is a reason, not an exception.
export async function runProbe(transport: Transport, timeoutMs: number, become: Become = 'none'): Promise<Gathered> {
  let result;
  try {
    result = await runProbeOn(transport, become, timeoutMs);
  } catch (err) {
    return { ok: false, reason: `probe could not run: ${(err as Error).message}` };
  }
  if (result.timedOut) return { ok: false, reason: `probe timed out after ${timeoutMs / 1000}s and was stopped` };
  const lost = sessionLost(result);
  if (lost) return { ok: false, reason: `probe could not run: ${lost}` };
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, reason: `probe exited with ${result.code ?? result.signal ?? 'no status'}${detail ? `: ${detail}` : ''}` };
  }
  return { ok: true, facts: parseFacts(result.stdout, result.nonce) };
}

// All facts of one node in at most two round trips: the constant probe, then one batch with
// every gatherer that applies to the node.
export async function gatherFacts(
  transport: Transport,
  node: NodeSpec,
  inventory: Inventory,
  timeoutMs: number,
  gatherers: readonly Gatherer[] = GATHERERS,
): Promise<Gathered> {
  const base = await runProbe(transport, timeoutMs, node.become);
  if (!base.ok) return base;
  const wanted = new Set(gatherers.filter((g) => g.applies(node, inventory)).map((g) => g.name));
  const plan = planBatch(node, inventory, base.facts, wanted);
  if (plan) Object.assign(base.facts, await runBatch(transport, plan, timeoutMs));
  return base;
}
