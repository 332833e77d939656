import { LineCounter, parseDocument } from 'yaml';
import { InventoryError } from '../errors.js';
import type { InventoryProblem } from '../errors.js';
import { parseInventory } from './load.js';
import { formatPath } from './problems.js';
import { clusterRules } from './rules/cluster.js';
import { lineOf } from './yaml-lines.js';

// Every problem of an inventory text: the loader's (schema, fields, duplicates), then the static
// cluster rules once it loads. No SSH.
export function lintText(text: string, file: string): InventoryProblem[] {
  try {
    const inv = parseInventory(text, file);
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    return clusterRules(inv)
      .map((p) => ({ path: formatPath(p.path), line: lineOf(doc, p.path, lc), message: p.message }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  } catch (err) {
    if (err instanceof InventoryError) return err.problems;
    throw err;
  }
}
