// Line and column of a field of a YAML document, for problems found after parsing (the value
// of networkd.units[0].contents, a file's mode …). Pure.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter } from 'yaml';
import type { FieldPath, Locator } from './problem.js';
import { yamlPathOf } from './problem.js';

const start = (node: unknown): number | undefined => (node as { range?: readonly number[] } | null | undefined)?.range?.[0];

// The value's position when the field exists (its key's when the value is empty), else the
// deepest parent's: where the missing part has to be written.
export function yamlLocator(doc: Document, lc: LineCounter, file: string): Locator {
  return (path: FieldPath) => {
    let node: unknown = doc.contents;
    let offset = start(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
        if (!pair) break;
        offset = start(pair.value) ?? start(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        offset = start(node) ?? offset;
      } else break;
    }
    const pos = offset === undefined ? undefined : lc.linePos(offset);
    return { file, ...(pos ? { line: pos.line, column: pos.col } : {}), ...(path.length ? { at: yamlPathOf(path) } : {}) };
  };
}
