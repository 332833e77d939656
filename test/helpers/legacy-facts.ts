// Facts flattened for the parser tests written before facts had one shape: each fact's value,
// or null (absent or error), and `problems`: every error, in probe order. Tests of the Fact shape
// itself read parseFacts directly (probe-output.fact.test.ts).
import { PLANNED_COLLECTORS } from '../../src/facts/collectors/planned.js';
import { SECTION_COLLECTORS } from '../../src/facts/collectors/sections.js';
import { parseFacts } from '../../src/facts/parse/probe-output.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { TEST_NONCE } from './nonce.js';

type Flat = { [K in keyof NodeFacts]: NodeFacts[K] extends { ok: infer T } | unknown ? (NodeFacts[K] extends infer F ? (F extends { ok: infer V } ? V : never) : never) | null : never } & {
  problems: string[];
};

// Every fact, in the collectors' order: the probe's sections, then the batch's.
const ORDER = [...SECTION_COLLECTORS, ...PLANNED_COLLECTORS].map((c) => c.fact);

export function flatten(facts: NodeFacts): Flat {
  const out: Record<string, unknown> = { problems: [] as string[] };
  for (const k of ORDER) {
    const f = facts[k] as { ok?: unknown; error?: string };
    out[k] = 'ok' in f ? f.ok : null;
    if (typeof f.error === 'string') (out.problems as string[]).push(f.error);
  }
  return out as Flat;
}

// Probe output framed with TEST_NONCE (fixtures, probeOutput).
export const parseFlat = (stdout: string): Flat => flatten(parseFacts(stdout, TEST_NONCE));
