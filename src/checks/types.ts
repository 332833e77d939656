import type { NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../inventory/types.js';

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface CheckResult {
  id: string; // e.g. net.route
  status: CheckStatus;
  expected: string | null;
  actual: string | null;
  message: string;
}

// A check is a pure function: what the inventory expects and what the node has → results.
export interface Check {
  id: string;
  run(node: NodeSpec, facts: NodeFacts): CheckResult[];
}
