// Line and column of a field of a YAML document, for problems found after parsing (the value
// of networkd.units[0].contents, a file's mode …). Pure.
import type { Document, LineCounter } from 'yaml';
import { offsetOf } from '../inventory/yaml-lines.js';
import type { FieldPath, Locator } from './problem.js';
import { yamlPathOf } from './problem.js';

// The value's position when the field exists (its key's when the value is empty), else the
// deepest parent's: where the missing part has to be written.
export function yamlLocator(doc: Document, lc: LineCounter, file: string): Locator {
  return (path: FieldPath) => {
    const offset = offsetOf(doc, path, 'value');
    const pos = offset === undefined ? undefined : lc.linePos(offset);
    return { file, ...(pos ? { line: pos.line, column: pos.col } : {}), ...(path.length ? { at: yamlPathOf(path) } : {}) };
  };
}
