import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Become } from '../util/become.js';
import { batchBudget, batchScriptOf, planBatch, readBatchOutput, runBatch, unsentBatch } from './batch.js';
import type { BatchPlan } from './batch.js';
import { PLANNED_COLLECTORS } from './collectors/planned.js';
import type { PlannedCollector } from './planned-collector.js';
import { parseFacts } from './parse/probe-output.js';
import { probeCarriesScripts, requestLost, runProbeOn } from './request.js';
import type { Gathered } from './types.js';

// The base probe: the constant script (in the node's session); a failure is a reason, not an
// exception. `rider`: a batch that needs nothing from the probe, sent in the same request (a
// session only) and read from the same reply; the request then has the batch's time as well.
export async function runProbe(transport: Transport, timeoutMs: number, become: Become = 'none', rider: BatchPlan | null = null): Promise<Gathered> {
  const script = rider ? batchScriptOf(rider, timeoutMs) : '';
  const budget = script && rider ? timeoutMs + batchBudget(rider, timeoutMs) : timeoutMs;
  let result;
  try {
    result = await runProbeOn(transport, become, budget, script);
  } catch (err) {
    return { ok: false, reason: `probe could not run: ${(err as Error).message}` };
  }
  if (result.timedOut) return { ok: false, reason: `probe timed out after ${budget / 1000}s and was stopped` };
  const lost = requestLost(result);
  if (lost) return { ok: false, reason: `probe could not run: ${lost}` };
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, reason: `probe exited with ${result.code ?? result.signal ?? 'no status'}${detail ? `: ${detail}` : ''}` };
  }
  const facts = parseFacts(result.stdout, result.nonce);
  if (rider) Object.assign(facts, script ? readBatchOutput(rider, result, timeoutMs) : unsentBatch(rider, timeoutMs));
  return { ok: true, facts };
}

// Every fact of one node in at most two requests. In a session, the planned collectors that need
// nothing from the probe (etcd, the flannel key, provisioned files) ride in the probe's request,
// so a node without a collector that does (the reach test, etcdctl.version, kube) costs one
// request a round; the rest follow in one batch built from the probe's facts. Over one exec a
// request, the probe, then one batch with them all.
export async function collectFacts(
  transport: Transport,
  node: NodeSpec,
  inventory: Inventory,
  timeoutMs: number,
  collectors: readonly PlannedCollector<string, unknown>[] = PLANNED_COLLECTORS,
): Promise<Gathered> {
  const rides = probeCarriesScripts(transport);
  const rider = rides ? planBatch(node, inventory, null, collectors.filter((c) => !c.usesProbe)) : null;
  const base = await runProbe(transport, timeoutMs, node.become, rider);
  if (!base.ok) return base;
  const plan = planBatch(node, inventory, base.facts, rides ? collectors.filter((c) => c.usesProbe) : collectors);
  if (plan) Object.assign(base.facts, await runBatch(transport, plan, timeoutMs));
  return base;
}
