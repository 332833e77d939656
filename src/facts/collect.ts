import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Become } from '../util/become.js';
import { planBatch, runBatch } from './batch.js';
import { PLANNED_COLLECTORS } from './collectors/planned.js';
import type { PlannedCollector } from './planned-collector.js';
import { parseFacts } from './parse/probe-output.js';
import { requestLost, runProbeOn } from './request.js';
import type { Gathered } from './types.js';

// The base probe: the constant script (in the node's session); a failure is a reason, not an exception.
export async function runProbe(transport: Transport, timeoutMs: number, become: Become = 'none'): Promise<Gathered> {
  let result;
  try {
    result = await runProbeOn(transport, become, timeoutMs);
  } catch (err) {
    return { ok: false, reason: `probe could not run: ${(err as Error).message}` };
  }
  if (result.timedOut) return { ok: false, reason: `probe timed out after ${timeoutMs / 1000}s and was stopped` };
  const lost = requestLost(result);
  if (lost) return { ok: false, reason: `probe could not run: ${lost}` };
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, reason: `probe exited with ${result.code ?? result.signal ?? 'no status'}${detail ? `: ${detail}` : ''}` };
  }
  return { ok: true, facts: parseFacts(result.stdout, result.nonce) };
}

// Every fact of one node in at most two requests: the constant probe (every section collector),
// then one batch with every planned collector in `collectors` that applies to the node.
export async function collectFacts(
  transport: Transport,
  node: NodeSpec,
  inventory: Inventory,
  timeoutMs: number,
  collectors: readonly PlannedCollector<string, unknown>[] = PLANNED_COLLECTORS,
): Promise<Gathered> {
  const base = await runProbe(transport, timeoutMs, node.become);
  if (!base.ok) return base;
  const plan = planBatch(node, inventory, base.facts, collectors);
  if (plan) Object.assign(base.facts, await runBatch(transport, plan, timeoutMs));
  return base;
}
