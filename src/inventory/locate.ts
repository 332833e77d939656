import { LineCounter, parseDocument } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import type { InventoryProblem } from '../errors.js';
import { formatPath } from './problems.js';
import type { RawProblem } from './problems.js';
import { lineOf } from './yaml-lines.js';

// Problems found on a loaded inventory (field paths only) → with their lines in its text, in
// file order, as lint and render print them.
export function locateProblems(text: string, problems: readonly RawProblem[]): InventoryProblem[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...QUIET_YAML, lineCounter: lc });
  return problems
    .map((p) => ({ path: formatPath(p.path), line: lineOf(doc, p.path, lc), message: p.message }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
