// A terminal as the live tree uses it, for tests: text is appended line by line, and the live
// area's erase (ESC[nA ESC[J: up n rows, clear to the end) drops the last n rows. What is left
// is the screen (scrollback included) a user sees after the output so far.
const ERASE = /\x1b\[(\d+)A\x1b\[J/;

export function screenOf(raw: string): string[] {
  const rows: string[] = [''];
  for (const [i, part] of raw.replace(/\r/g, '').split(ERASE).entries()) {
    if (i % 2 === 1) {
      // The cursor is at the start of an empty last row: the n rows above it go.
      rows.splice(rows.length - 1 - Number(part), Number(part));
      continue;
    }
    const [first = '', ...more] = part.split('\n');
    rows[rows.length - 1] += first;
    rows.push(...more);
  }
  return rows.filter((r, i) => i < rows.length - 1 || r !== '');
}

// A terminal's stream for the tree: its size, and every write kept.
export function fakeScreen(columns = 140, rows = 45): { columns: number; rows: number; isTTY: true; writes: string[]; write(text: string): boolean; raw(): string } {
  const writes: string[] = [];
  return {
    columns,
    rows,
    isTTY: true,
    writes,
    write: (text: string) => (writes.push(text), true),
    raw: () => writes.join(''),
  };
}
