// Facts are what a node actually looks like, parsed from what it answered. They never know what
// the inventory expects. NodeFacts has one key a collector (collectors/sections.ts for the probe's
// sections, collectors/planned.ts for the node's batch), each Fact<T> of what its collector reads:
// it is never listed by hand.
import type { Fact } from '../util/fact.js';
import type { SectionCollectors } from './collectors/sections.js';
import type { PlannedFacts } from './collectors/planned.js';
import type { SectionFactsOf } from './collector.js';

export type * from './values.js';
export type { Fact } from '../util/fact.js';
export { absentFact, errorFact, has, okFact, valueOf } from '../util/fact.js';
export type { ProbeFacts } from './collectors/sections.js';
export type { PlannedFact } from './collectors/planned.js';

// Every fact of a node, always there: the probe's, then the batch's (absent where not asked).
export type NodeFacts = SectionFactsOf<SectionCollectors> & PlannedFacts;

// Any fact's name.
export type FactName = keyof NodeFacts;

// A node's facts, or why there are none.
export type Gathered = { ok: true; facts: NodeFacts } | { ok: false; reason: string };

