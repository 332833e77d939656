// What import reports: every problem with the file it is in and, where known, the line and
// column and the place in the config (a JSON pointer for Ignition, a YAML path for a CLC).
import type { FieldPath } from '../inventory/problems.js';

export type { FieldPath };

export interface Where {
  file: string;
  line?: number; // 1-based
  column?: number; // 1-based
  at?: string; // /systemd/units/0/dropins/1 (JSON pointer) or networkd.units[0].contents (YAML)
}

export interface ImportProblem extends Where {
  message: string;
}


// Where a field of a parsed config is: the deepest part of `path` that the file has.
export type Locator = (path: FieldPath) => Where;

export const problemAt = (where: Where, message: string): ImportProblem => ({ ...where, message });

// path:line:column: at: message — the form editors and terminals turn into a link.
export function formatProblem(p: ImportProblem): string {
  const pos = p.line === undefined ? '' : `:${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
  return `${p.file}${pos}: ${p.at ? `${p.at}: ` : ''}${p.message}`;
}

// ['systemd', 'units', 0] → /systemd/units/0
export const pointerOf = (path: FieldPath): string => path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

// ['networkd', 'units', 0, 'contents'] → networkd.units[0].contents, as inventory problems say it.
export { formatPath as yamlPathOf } from '../inventory/problems.js';
