import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { InventoryError, UserError } from '../errors.js';
import type { InventoryProblem } from '../errors.js';
import { clusterRules } from '../inventory/rules/cluster.js';
import { parseInventory } from '../inventory/load.js';
import { formatPath } from '../inventory/problems.js';
import { lineOf } from '../inventory/yaml-lines.js';
import type { Io } from '../io.js';

export interface LintOptions {
  inventory: string;
  json: boolean;
}

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

// `clusterctl lint`: exit 0 clean, 2 with problems (each with file, line and field path).
export async function lintCommand(opts: LintOptions, io: Io): Promise<number> {
  let text: string;
  try {
    text = await readFile(opts.inventory, 'utf8');
  } catch (err) {
    throw new UserError(`inventory file ${resolve(opts.inventory)} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); point at another with -i FILE`, { cause: err });
  }
  const problems = lintText(text, opts.inventory);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ ok: problems.length === 0, file: resolve(opts.inventory), problems }, null, 2)}\n`);
  } else if (problems.length === 0) {
    io.stdout.write(`${opts.inventory}: no problems\n`);
  } else {
    for (const p of problems) io.stdout.write(`${opts.inventory}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
    io.stdout.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${opts.inventory}\n`);
  }
  return problems.length === 0 ? 0 : 2;
}
