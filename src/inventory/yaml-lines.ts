// Maps a field path back to the line it was written on, so every problem can point at the file.
import { isMap, isSeq, isScalar } from 'yaml';
import type { Document, LineCounter } from 'yaml';
import type { FieldPath } from './problems.js';

function start(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] } | null | undefined)?.range;
  return range?.[0];
}

// The offset of the deepest part of `path` that exists in the document: for a map entry its
// key's (`key`) or its value's (`value`, the key's when the value is empty), for a list entry the
// item's. A missing field therefore points at its parent, which is where it has to be added.
export function offsetOf(doc: Document, path: FieldPath, mapEntry: 'key' | 'value' = 'key'): number | undefined {
  let node: unknown = doc.contents;
  let offset = start(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) break;
      offset = (mapEntry === 'value' ? start(pair.value) : undefined) ?? start(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (item === undefined) break;
      offset = start(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

// The 1-based line of a field (the key's line for a map entry: a nested map starts on the next).
export function lineOf(doc: Document, path: FieldPath, lc: LineCounter): number | undefined {
  const offset = offsetOf(doc, path);
  return offset === undefined ? undefined : lc.linePos(offset).line;
}
