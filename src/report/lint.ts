import type { InventoryProblem } from '../errors.js';
import { jsonSafe, sanitize } from './sanitize.js';

// `clusterctl lint`'s output: one line per problem (file:line: path: message) and a count, or
// with --json the problems as data.
export function formatLint(file: string, absolute: string, problems: readonly InventoryProblem[], json: boolean): string {
  if (json) return `${jsonSafe(JSON.stringify({ ok: problems.length === 0, file: absolute, problems }, null, 2))}\n`;
  // Paths and messages quote the YAML (a misspelt key, a bad value): escaped.
  const f = sanitize(file);
  if (problems.length === 0) return `${f}: no problems\n`;
  const lines = problems.map((p) => `${f}${p.line ? `:${p.line}` : ''}: ${p.path ? `${sanitize(p.path)}: ` : ''}${sanitize(p.message)}\n`);
  return `${lines.join('')}${problems.length} problem${problems.length === 1 ? '' : 's'} in ${f}\n`;
}
