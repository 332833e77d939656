// A planned collector asks a node what its plan for that node says: built from the node, the
// inventory and (for some) the probe's facts, so inventory values and the node's own paths enter
// it, always shell-quoted (util/shell.ts). A node's planned collectors are asked in batches
// (facts/batch.ts): their etcdctl commands in one etcdctl run, then each one's script, each
// printing parts under its own name only; each reads back only its own parts. Those that need
// nothing from the probe ride in the probe's own request (facts/collect.ts).
import type { BatchCommand } from '../etcdctl/batch.js';
import type { EtcdctlOutput } from '../etcdctl/parse.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { errorFact } from '../util/fact.js';
import type { Fact } from '../util/fact.js';
import { partsUnder } from '../util/frames.js';
import type { Parts } from '../util/frames.js';
import type { ProbeFacts } from './collectors/sections.js';

export interface PlanContext {
  node: NodeSpec;
  inventory: Inventory;
  probe: ProbeFacts | null; // null: asked with the probe, before its facts (only collectors that need none)
  at: number; // where this collector's etcdctl commands start in the request's one etcdctl run
  earlier: ReadonlyMap<string, Asked<unknown>>; // what the collectors before it in the request ask, by fact
}

// The request's reply as one collector sees it: its own parts, its own etcdctl results, the
// facts read before it.
export interface CollectorReply {
  parts: Parts;
  etcdctlMissing: boolean;
  results: readonly EtcdctlOutput[];
  timeoutMs: number;
  earlier: ReadonlyMap<string, Fact<unknown>>;
}

// The reply, or why there is none (the request itself failed).
export type ReplyOrError = CollectorReply | { error: string };

// One collector's part of a node's request, its plan bound in.
export interface Asked<T> {
  fact: string;
  at: number;
  etcdctl: readonly BatchCommand[];
  script: string; // shell text printing parts under the collector's prefix; '' asks nothing more
  extraMs: number; // what it may take beyond the etcdctl timeout
  read(reply: ReplyOrError): Fact<T>;
}

export interface PlannedCollector<K extends string, T> {
  fact: K;
  label: string; // the word its problems start with, as a section's name does for a section collector
  prefix?: string; // the parts it prints are `prefix` and `prefix.…`: the only ones it is given
  applies(node: NodeSpec, inventory: Inventory): boolean; // from the inventory alone
  // Its plan reads the probe's facts, so it is asked after the probe, in a request of its own;
  // else it rides in the probe's request (facts/collect.ts).
  usesProbe: boolean;
  ask(ctx: PlanContext): Asked<T>;
}

interface SpecParts<K extends string, T, P> {
  fact: K;
  label: string;
  applies(node: NodeSpec, inventory: Inventory): boolean;
  prefix?: string; // the parts it prints are `prefix` and `prefix.…`: the only ones it is given
  etcdctl?(plan: P): BatchCommand[];
  script?(plan: P): string;
  extraMs?(plan: P): number;
  read(plan: P, reply: CollectorReply): Fact<T>;
  // The fact when the request failed; default: an error, "LABEL: could not be gathered: WHY".
  failed?(plan: P, error: string): Fact<T>;
}

// A plan from the node and the inventory alone, or one that reads the probe's facts too.
export type PlannedSpec<K extends string, T, P> =
  | (SpecParts<K, T, P> & { usesProbe: false; plan(ctx: PlanContext): P })
  | (SpecParts<K, T, P> & { usesProbe: true; plan(ctx: PlanContext & { probe: ProbeFacts }): P });

// A collector from its spec: its plan for a node is made once and bound into what it asks.
export function planned<K extends string, T, P>(spec: PlannedSpec<K, T, P>): PlannedCollector<K, T> {
  return {
    fact: spec.fact,
    label: spec.label,
    ...(spec.prefix ? { prefix: spec.prefix } : {}),
    applies: spec.applies,
    usesProbe: spec.usesProbe,
    ask(ctx) {
      const plan = planOf(spec, ctx);
      return {
        fact: spec.fact,
        at: ctx.at,
        etcdctl: spec.etcdctl?.(plan) ?? [],
        script: spec.script?.(plan) ?? '',
        extraMs: spec.extraMs?.(plan) ?? 0,
        read: (reply) => {
          if ('error' in reply) return spec.failed ? spec.failed(plan, reply.error) : errorFact(`${spec.label}: could not be gathered: ${reply.error}`);
          return spec.read(plan, { ...reply, parts: spec.prefix ? partsUnder(reply.parts, spec.prefix) : new Map() });
        },
      };
    },
  };
}

function planOf<K extends string, T, P>(spec: PlannedSpec<K, T, P>, ctx: PlanContext): P {
  if (!spec.usesProbe) return spec.plan(ctx);
  if (!ctx.probe) throw new Error(`internal: ${spec.fact} plans from the probe's facts and was asked before them`);
  return spec.plan({ ...ctx, probe: ctx.probe });
}

// A fact read earlier in the same reply, typed by its collector.
export const earlierFact = <T>(reply: { earlier: ReadonlyMap<string, Fact<unknown>> }, c: PlannedCollector<string, T>): Fact<T> | undefined =>
  reply.earlier.get(c.fact) as Fact<T> | undefined;

// The facts a list of planned collectors fills, one key a collector.
export type PlannedFactsOf<C> = { [X in C as X extends PlannedCollector<infer K, unknown> ? K : never]: X extends PlannedCollector<string, infer T> ? Fact<T> : never };
