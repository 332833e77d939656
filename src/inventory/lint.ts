import { InventoryError } from '../errors.js';
import type { InventoryProblem } from '../errors.js';
import { parseInventory } from './load.js';
import { locateProblems } from './locate.js';
import { clusterRules } from './rules/cluster.js';

// Every problem of an inventory text: the loader's (schema, fields, duplicates), then the static
// cluster rules once it loads. No SSH.
export function lintText(text: string, file: string): InventoryProblem[] {
  try {
    return locateProblems(text, clusterRules(parseInventory(text, file)));
  } catch (err) {
    if (err instanceof InventoryError) return err.problems;
    throw err;
  }
}
