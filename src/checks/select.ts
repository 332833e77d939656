import { UserError } from '../errors.js';
import type { CheckResult } from './types.js';

// --only / --skip: which check results a run reports. A term names a check id or a dotted
// prefix of ids: `net` is net.address, net.gateway …; `flannel.lease` only that check.
export interface CheckSelection {
  only?: readonly string[];
  skip?: readonly string[];
}

export const matchesTerm = (id: string, term: string): boolean => id === term || id.startsWith(`${term}.`);

// 'ssh' is the connection every other check stands on: it is always reported, and skipping it
// would hide why a node's other checks were skipped.
export function isSelected(id: string, sel: CheckSelection): boolean {
  if (id === 'ssh') return true;
  if (sel.only?.length && !sel.only.some((t) => matchesTerm(id, t))) return false;
  return !sel.skip?.some((t) => matchesTerm(id, t));
}

// A term that names no known check is a typo, and silently checking everything (or nothing)
// would hide it: refuse it before connecting anywhere.
export function validateSelection(sel: CheckSelection, known: readonly string[]): void {
  const problems: string[] = [];
  for (const [flag, terms] of [['--only', sel.only], ['--skip', sel.skip]] as const) {
    for (const t of terms ?? []) {
      if (flag === '--skip' && t === 'ssh') problems.push(`--skip ssh: the ssh check cannot be skipped (every other check needs the connection); use --limit to leave nodes out`);
      else if (!known.some((id) => matchesTerm(id, t))) problems.push(`${flag} ${t}: no check id is or starts with '${t}'`);
    }
  }
  if (problems.length) throw new UserError(`${problems.join('; ')} (check ids: ${known.join(', ')})`);
}

export function selectResults(results: CheckResult[], sel: CheckSelection): CheckResult[] {
  return sel.only?.length || sel.skip?.length ? results.filter((r) => isSelected(r.id, sel)) : results;
}
