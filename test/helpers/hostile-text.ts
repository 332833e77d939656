import fc from 'fast-check';

// Text a hostile node could send: any Unicode (astral planes included), every C0/C1 control,
// DEL, the bidi controls, lone surrogates, and backslash sequences that look like sanitize's
// own escapes — mixed, so a control can sit next to a backslash or inside an escape sequence.
export const TERMINAL_BYTES = ['\x1b', '\x1b[2J', '\x1b]0;PWNED\x07', '\x1b[31m', '\x9b', '\r', '\n', '\t', '\b', '\x07', '\x00', '\x7f', '\x85', '\u202e', '\u2066', '\u200f', '\u2028'];
const lookalikes = ['\\', '\\\\', '\\x1b', '\\u202e', '\\r', '\\n', 'x', 'u', '\ud800', '\udc00', '\ud83d\ude00'];

export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TERMINAL_BYTES, ...lookalikes),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 6 }),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));

// Every character a terminal may act on, as sanitize defines it; chalk's SGR colour sequences
// (ESC [ digits m) are clusterctl's own and are removed before looking.
const SGR = /\x1b\[[0-9;]*m/g;
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// The first forbidden character in rendered output (after removing chalk's colours), or null.
export function forbiddenIn(output: string, allow: RegExp = SGR): { index: number; char: string; around: string } | null {
  const bare = output.replace(allow, '');
  const m = FORBIDDEN.exec(bare);
  if (!m) return null;
  return { index: m.index, char: JSON.stringify(m[0]), around: JSON.stringify(bare.slice(Math.max(0, m.index - 30), m.index + 30)) };
}
