import type { ImportProblem } from '../import/problem.js';
import { formatProblem } from '../import/problem.js';
import { sanitize } from './sanitize.js';

// `clusterctl import`'s messages. Config values appear in them: escaped for the terminal.

// Why nothing was written: one line per problem (file:line:column: where: what) and a count.
export function importRefusal(problems: readonly ImportProblem[]): string {
  const files = new Set(problems.map((p) => p.file)).size;
  return `import: nothing written\n${problems.map((p) => `${sanitize(formatProblem(p))}\n`).join('')}${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`;
}

export const importWarnings = (warnings: readonly string[]): string => warnings.map((w) => `warning: ${sanitize(w)}\n`).join('');

export function importWritten(out: string, nodes: number, configs: number): string {
  const o = sanitize(out);
  return `wrote ${o}: ${nodes} node${nodes === 1 ? '' : 's'} from ${configs} config${configs === 1 ? '' : 's'}; next: clusterctl lint -i ${o}, then verify\n`;
}
