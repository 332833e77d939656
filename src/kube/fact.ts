// The one shape of a fact (util/fact.ts), for the Kubernetes evidence.
export type { Fact } from '../util/fact.js';
export { absentFact, errorFact, okFact } from '../util/fact.js';
