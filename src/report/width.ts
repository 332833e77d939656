// How many terminal cells a styled line takes, and the line cut to fit: the live area redraws in
// place by counting rows, so each of its lines must stay on one row. Only its few lines are
// measured, never the whole output (string-width over a whole tree on every change was what made
// the listr2 tree slow).

// clusterctl's own colours (chalk's SGR); everything a node supplies is sanitized before this.
const SGR = /\x1b\[[0-9;]*m/y;

// Wide (two cells): CJK and Hangul, fullwidth forms, emoji. An overestimate only cuts a line early.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f000}-\u{1faff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200d\ufe00-\ufe0f\ufeff]/u;

export function cellWidth(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

// The cells a line takes, its colours excluded.
export function lineWidth(line: string): number {
  let w = 0;
  for (const ch of line.replace(/\x1b\[[0-9;]*m/g, '')) w += cellWidth(ch);
  return w;
}

// The line in at most `cells` cells: cut with "…" where it would not fit, colours reset after a cut.
export function fitLine(line: string, cells: number): string {
  if (lineWidth(line) <= cells) return line;
  let used = 0;
  let out = '';
  let styled = false;
  for (let i = 0; i < line.length; ) {
    SGR.lastIndex = i;
    const sgr = SGR.exec(line);
    if (sgr) {
      out += sgr[0];
      styled = true;
      i += sgr[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i) as number);
    if (used + cellWidth(ch) > cells - 1) break;
    out += ch;
    used += cellWidth(ch);
    i += ch.length;
  }
  return `${out}…${styled ? '\x1b[0m' : ''}`;
}
