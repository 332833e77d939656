import type { InventoryProblem } from '../errors.js';
import { shellQuote } from '../util/shell.js';
import { sanitize } from './sanitize.js';

// `clusterctl render`'s output. Every value here comes from the inventory or the command line,
// never from a node; escaped for the terminal all the same (report/sanitize.ts).

// Why nothing was written: one line per problem (file:line: path: message) and a count.
export function formatRefusal(file: string, why: string, problems: readonly InventoryProblem[]): string {
  const f = sanitize(file);
  const lines = problems.map((p) => `${f}${p.line ? `:${p.line}` : ''}: ${p.path ? `${sanitize(p.path)}: ` : ''}${sanitize(p.message)}\n`);
  return `render: ${f} ${why}; nothing written\n${lines.join('')}${problems.length} problem${problems.length === 1 ? '' : 's'} in ${f}\n`;
}

export function formatWritten(paths: readonly string[]): string {
  return paths.map((p) => `wrote ${sanitize(p)}\n`).join('');
}

// After --format clc: the ct command line for each file, ready to paste.
export function formatCtCommands(pairs: readonly { clc: string; ign: string }[]): string {
  return `next, transpile each with ct:\n${pairs.map((p) => `  ${sanitize(`ct -in-file ${shellQuote(p.clc)} -out-file ${shellQuote(p.ign)}`)}\n`).join('')}`;
}

export function formatKeylessNote(node: string, user: string): string {
  return `note: ${sanitize(node)} gets no SSH key (set sshAuthorizedKeys or sshAuthorizedKeysFile), so clusterctl cannot log in as ${sanitize(user)} unless the key comes from elsewhere\n`;
}
