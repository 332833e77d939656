import type { Fact } from '../facts/types.js';
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

// The project's warning: a pass whose message starts with "warning:".
export const warning = (id: string, expected: string | null, actual: string | null, message: string): CheckResult => result(id, 'pass', expected, actual, `warning: ${message}`);

export const NO_NETWORK = 'no network section in the inventory for this node';

// A fact the check needs but does not have: it cannot say pass or fail, so it says why. The one
// way every check says "could not check".
export function factError(id: string, fact: Exclude<Fact<unknown>, { ok: unknown }>, expected: string | null): CheckResult {
  return result(id, 'error', expected, null, `Could not check: ${'error' in fact ? fact.error : fact.absent}`);
}

export function list(values: readonly string[]): string {
  return values.length ? values.join(', ') : 'none';
}
