// A collector is one source of a node's facts (STYLE 17): the fact it fills (its one name, a
// key of NodeFacts), what it asks the node and how it reads the answer. A section collector asks
// with a constant section of the probe, the same on every node (this file); a planned collector
// asks what its plan for the node says, in the node's batch (planned-collector.ts).
// NodeFacts (facts/types.ts) is derived from the two lists in collectors/, so adding a fact is
// one collector, and the check that reads it.
import type { Fact } from '../util/fact.js';
import type { ScriptAttempt } from './framing.js';
import type { Parsed } from './parse/common.js';

export interface ProbeSection {
  name: string; // [a-z][a-z0-9.-]*; also the prefix of every problem about this section
  attempts: ScriptAttempt[]; // tried in order; the first that exits 0 wins
  // Bytes of output the probe keeps (default DEFAULT_BUDGET). More is not sent: the section is
  // marked cut and its checks say so, so one huge file cannot crowd the others out of the
  // transport's output cap (MAX_OUTPUT_BYTES). Size it to what a sane node prints.
  budget?: number;
  file?: string; // the file the section reads: a cut section reports its size
  keepAs?: string; // a shell variable that holds the section's output for later sections
}

// One section of the probe's reply, as its collector reads it.
export interface ProbeSectionOutput {
  rc: number;
  fmt: string;
  body: string;
  // The output was over the section's budget and was not sent; size: the file's size in bytes
  // when the section reads a file (null when unknown). Absent: the whole output is in body.
  cut?: { size: number | null };
}

// How a section that did not exit 0 reads as a fact when its failure is an answer (a missing
// file, no systemd); `init`: PID 1's name, read first. undefined: an error.
export type Otherwise<T> = (s: ProbeSectionOutput, init: string | undefined) => Fact<T> | undefined;

export interface SectionCollector<K extends string, T> {
  fact: K;
  section: ProbeSection; // constant: no inventory value ever enters it
  // The output of a section that exited 0: a value, or why it is unreadable; `whole` where the
  // output itself may say absent (a CNI directory with no config in it).
  read?: (s: ProbeSectionOutput) => Parsed<T>;
  whole?: (s: ProbeSectionOutput) => Fact<T>;
  otherwise?: Otherwise<T>;
}

// The facts a list of section collectors fills, one key a collector.
export type SectionFactsOf<C> = { [X in C as X extends SectionCollector<infer K, unknown> ? K : never]: X extends SectionCollector<string, infer T> ? Fact<T> : never };
