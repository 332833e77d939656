import { sectionProblem } from '../facts/parse/probe-output.js';
import type { NodeFacts } from '../facts/types.js';
import type { CheckResult, CheckStatus } from './types.js';

export function result(
  id: string,
  status: CheckStatus,
  expected: string | null,
  actual: string | null,
  message: string,
): CheckResult {
  return { id, status, expected, actual, message };
}

export const NO_NETWORK = 'no network section in the inventory for this node';

// A fact the probe could not read: the check cannot say pass or fail, so it reports why.
export function factError(id: string, facts: NodeFacts, section: string, expected: string | null): CheckResult {
  const problem = sectionProblem(facts.problems, section) ?? `${section}: could not be read from the node`;
  return result(id, 'error', expected, null, `Could not check: ${problem}`);
}

export function list(values: readonly string[]): string {
  return values.length ? values.join(', ') : 'none';
}
