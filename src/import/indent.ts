// The setup guide's own networkd snippet writes the unit under `contents: |` at the indentation
// of `contents:` itself. YAML then ends the block at once (empty), and the unit's lines become
// broken YAML. Found from the text, so the message names the cause instead of the YAML parser's
// consequence ("Implicit map keys need to be followed by map values"). Pure.

export interface EmptyBlock {
  key: string;
  line: number; // 1-based line of `key: |`
  column: number; // 1-based column of the key
  firstLine: number; // the first line meant to be inside the block
  endLine: number; // the last line of the run that is not indented enough
}

const HEADER = /^((?:\s*-\s+)*\s*)([^\s#'"-][^:#]*?):\s*[|>][1-9+-]*\s*(?:#.*)?$/;
// A line that is YAML structure itself (a key or a list item), not text meant for the block.
const STRUCTURE = /^\s*(?:-(?:\s|$)|[^\s:#[\]{}]+:(?:\s|$))/;
const indentOf = (line: string) => /^ */.exec(line)?.[0].length ?? 0;

export function emptyBlockScalars(text: string): EmptyBlock[] {
  const lines = text.split(/\r?\n/);
  const out: EmptyBlock[] = [];
  lines.forEach((line, i) => {
    const m = HEADER.exec(line);
    if (!m) return;
    const keyColumn = (m[1] ?? '').length;
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? '').trim() === '') j++;
    const next = lines[j];
    if (next === undefined || indentOf(next) > keyColumn || STRUCTURE.test(next)) return;
    let end = j;
    for (let k = j + 1; k < lines.length; k++) {
      const l = lines[k] ?? '';
      if (l.trim() === '') continue;
      if (indentOf(l) < keyColumn || STRUCTURE.test(l)) break;
      end = k;
    }
    out.push({ key: m[2] ?? '', line: i + 1, column: keyColumn + 1, firstLine: j + 1, endLine: end + 1 });
  });
  return out;
}

export const emptyBlockMessage = (b: EmptyBlock): string =>
  `the block after \`${b.key}: |\` is empty: its lines (${b.firstLine}–${b.endLine}) are not indented more than \`${b.key}:\`, so YAML ends the block before them ` +
  `(the setup guide's networkd snippet has this slip); indent those lines two spaces more than \`${b.key}:\``;
