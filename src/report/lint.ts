import type { InventoryProblem } from '../errors.js';

// `clusterctl lint`'s output: one line per problem (file:line: path: message) and a count, or
// with --json the problems as data.
export function renderLint(file: string, absolute: string, problems: readonly InventoryProblem[], json: boolean): string {
  if (json) return `${JSON.stringify({ ok: problems.length === 0, file: absolute, problems }, null, 2)}\n`;
  if (problems.length === 0) return `${file}: no problems\n`;
  const lines = problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  return `${lines.join('')}${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}\n`;
}
