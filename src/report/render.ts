import type { InventoryProblem } from '../errors.js';
import { shellQuote } from '../util/shell.js';

// `clusterctl render`'s output. Every value here comes from the inventory or the command line,
// never from a node.

// Why nothing was written: one line per problem (file:line: path: message) and a count.
export function renderRefusal(file: string, why: string, problems: readonly InventoryProblem[]): string {
  const lines = problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  return `render: ${file} ${why}; nothing written\n${lines.join('')}${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}\n`;
}

export function renderWritten(paths: readonly string[]): string {
  return paths.map((p) => `wrote ${p}\n`).join('');
}

// After --format clc: the ct command line for each file, ready to paste.
export function renderCtCommands(pairs: readonly { clc: string; ign: string }[]): string {
  return `next, transpile each with ct:\n${pairs.map((p) => `  ct -in-file ${shellQuote(p.clc)} -out-file ${shellQuote(p.ign)}\n`).join('')}`;
}

export function renderKeylessNote(node: string, user: string): string {
  return `note: ${node} gets no SSH key (set sshAuthorizedKeys or sshAuthorizedKeysFile), so clusterctl cannot log in as ${user} unless the key comes from elsewhere\n`;
}
