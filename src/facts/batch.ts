// The node's batch: what its planned collectors (collectors/planned.ts) ask, in one request.
// A loop over the collectors that apply to the node: their etcdctl commands in one etcdctl run
// (etcdctl/batch.ts), then each one's script; each reads back its own parts. Inventory values
// reach it only as shell-quoted arguments (etcdctl/client.ts and each collector's script).
import { batchScript, parseBatch, settleBatch } from '../etcdctl/batch.js';
import type { BatchCommand } from '../etcdctl/batch.js';
import { etcdAccessFor } from '../etcdctl/client.js';
import type { EtcdAccess } from '../etcdctl/client.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Become } from '../util/become.js';
import type { Fact } from '../util/fact.js';
import { PART_PREAMBLE } from '../util/frame-shell.js';
import { partsUnder, readParts } from '../util/frames.js';
import type { ProbeFacts } from './collectors/sections.js';
import type { PlannedFacts } from './collectors/planned.js';
import type { Asked, PlannedCollector } from './planned-collector.js';
import { requestLost, runScriptOn } from './request.js';

export interface BatchPlan {
  become: Become; // the node's: which session runs the batch (facts/request.ts)
  access: EtcdAccess;
  asked: readonly Asked<unknown>[]; // in collector order
  etcdctl: readonly BatchCommand[]; // every collector's, in order (Asked.at says where each starts)
}

export type BatchFacts = Partial<PlannedFacts>;

// What this node's batch asks of `collectors` (those its selected checks need), each only where
// it applies; null: none applies. `probe` null: the batch rides in the probe's request, so only
// collectors that plan without the probe's facts may be in it.
export function planBatch(node: NodeSpec, inventory: Inventory, probe: ProbeFacts | null, collectors: readonly PlannedCollector<string, unknown>[]): BatchPlan | null {
  const asked: Asked<unknown>[] = [];
  const etcdctl: BatchCommand[] = [];
  const earlier = new Map<string, Asked<unknown>>();
  for (const c of collectors) {
    if (!c.applies(node, inventory)) continue;
    const a = c.ask({ node, inventory, probe, at: etcdctl.length, earlier });
    etcdctl.push(...a.etcdctl);
    earlier.set(c.fact, a);
    asked.push(a);
  }
  return asked.length ? { become: node.become, access: etcdAccessFor(node, inventory), asked, etcdctl } : null;
}

// Every collector's script after the framing's functions (util/frame-shell.ts): each prints only
// parts of its own names. Nothing to ask (no TCP target, no item): empty.
export function batchScriptOf(plan: BatchPlan, timeoutMs: number): string {
  const parts = [...(plan.etcdctl.length ? [batchScript(plan.access, plan.etcdctl, timeoutMs)] : []), ...plan.asked.map((a) => a.script).filter(Boolean)];
  return parts.length ? [PART_PREAMBLE, ...parts].join('\n') : '';
}

// The batch's reply (framed with its request's nonce) as facts, each collector reading in order;
// `error`: the exec itself failed (every collector says so).
export function readBatchOutput(plan: BatchPlan, out: { stdout: string; timedOut: boolean; nonce: string } | { error: string }, timeoutMs: number): BatchFacts {
  const facts: Record<string, Fact<unknown>> = {};
  if ('error' in out) {
    for (const a of plan.asked) facts[a.fact] = a.read(out);
    return facts as BatchFacts;
  }
  const parts = readParts(out.stdout, out.nonce);
  const run = settleBatch(parseBatch(partsUnder(parts, 'etcdctl'), plan.etcdctl.length, out.timedOut), plan.access, plan.etcdctl);
  const earlier = new Map<string, Fact<unknown>>();
  for (const a of plan.asked) {
    const f = a.read({ parts, etcdctlMissing: run.etcdctlMissing, results: run.results.slice(a.at, a.at + a.etcdctl.length), timeoutMs, earlier });
    earlier.set(a.fact, f);
    facts[a.fact] = f;
  }
  return facts as BatchFacts;
}

// How long the batch may take: etcdctl's own timeouts sit inside `timeoutMs`; a collector may add
// its own (the reach test's connect).
export const batchBudget = (plan: BatchPlan, timeoutMs: number): number => timeoutMs + plan.asked.reduce((sum, a) => sum + a.extraMs, 0);

// The facts of a plan with nothing to send (no TCP target, no item): its empty reply's.
export const unsentBatch = (plan: BatchPlan, timeoutMs: number): BatchFacts => readBatchOutput(plan, { stdout: '', timedOut: false, nonce: '' }, timeoutMs);

// One request; never throws. A plan with nothing to send sends nothing.
export async function runBatch(t: Transport, plan: BatchPlan, timeoutMs: number): Promise<BatchFacts> {
  const script = batchScriptOf(plan, timeoutMs);
  if (!script) return unsentBatch(plan, timeoutMs);
  try {
    const r = await runScriptOn(t, plan.become, script, batchBudget(plan, timeoutMs));
    const lost = requestLost(r);
    return readBatchOutput(plan, lost ? { error: lost } : r, timeoutMs);
  } catch (err) {
    return readBatchOutput(plan, { error: (err as Error).message }, timeoutMs);
  }
}
