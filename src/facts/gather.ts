import { etcdGatherer } from './gatherers/etcd.js';
import { flannelConfigGatherer } from './gatherers/flannel-key.js';
import { etcdReachGatherer } from './gatherers/etcd-reach.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import { parseFacts } from './parse/probe-output.js';
import { probeFor } from './probe.js';
import type { Become } from '../util/become.js';
import type { Gathered, Gatherer } from './types.js';

// Every gatherer after the base probe, in order. Add one here, and name it in the `needs` of the
// checks that read its facts; nothing registers itself.
export const GATHERERS: readonly Gatherer[] = [etcdGatherer, flannelConfigGatherer, etcdReachGatherer];

// The base probe: one exec of the constant script; a failed exec is a reason, not an exception.
export async function runProbe(transport: Transport, timeoutMs: number, become: Become = 'none'): Promise<Gathered> {
  let result;
  try {
    result = await transport.exec(probeFor(become), { timeoutMs });
  } catch (err) {
    return { ok: false, reason: `probe could not run: ${(err as Error).message}` };
  }
  if (result.timedOut) return { ok: false, reason: `probe timed out after ${timeoutMs / 1000}s and was stopped` };
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, reason: `probe exited with ${result.code ?? result.signal ?? 'no status'}${detail ? `: ${detail}` : ''}` };
  }
  return { ok: true, facts: parseFacts(result.stdout) };
}

// All facts of one node: the probe, then every gatherer that applies to it.
export async function gatherFacts(
  transport: Transport,
  node: NodeSpec,
  inventory: Inventory,
  timeoutMs: number,
  gatherers: readonly Gatherer[] = GATHERERS,
): Promise<Gathered> {
  const base = await runProbe(transport, timeoutMs, node.become);
  if (!base.ok) return base;
  for (const g of gatherers) {
    if (!g.applies(node, inventory)) continue;
    try {
      await g.gather(transport, node, inventory, timeoutMs, base.facts);
    } catch (err) {
      base.facts.problems.push(`${g.name}: could not be gathered: ${(err as Error).message}`);
    }
  }
  return base;
}
