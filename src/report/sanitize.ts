// Node- and inventory-supplied text on its way to a terminal. A node that can put bytes in its
// hostname, a file or an etcdctl message must not be able to retitle the window, clear the
// screen, recolour the output or overwrite its own FAIL line with a forged PASS: every character
// a terminal acts on is shown as a visible escape instead (`\x1b`, `\r`, `\u202e`), never
// emitted. clusterctl styles the result afterwards, so its own colours still work.
//
// The escapes decode unambiguously (see `unsanitize`): a literal backslash is doubled only where
// it could be read as the start of an escape, so the shell quoting in a printed command line
// (`'\''`) stays copy-pasteable.

// What a terminal or a bidi-aware display acts on: C0 controls, DEL, C1 controls; the bidi
// embeddings, overrides and isolates (Trojan Source) and the marks that reorder text; the
// Unicode line and paragraph separators; a lone surrogate (not text; UTF-8 cannot carry it).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE = new RegExp(`${CONTROL.source}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`);

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// A backslash followed by one of these would read as an escape: it is written `\\`.
const ESCAPE_LETTER = /[\\xurnt]/;

export interface SanitizeOptions {
  keepNewlines?: boolean; // a block of text the printer prints as lines (flannel get's value)
}

// The string with every unsafe character visibly escaped. Pure; safe strings come back as they are.
export function sanitize(text: string, opts: SanitizeOptions = {}): string {
  if (!UNSAFE.test(text) && !text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      const nextEscaped = next !== '' && isUnsafe(text, i + 1) && !(opts.keepNewlines && next === '\n');
      out += ESCAPE_LETTER.test(next) || nextEscaped ? '\\\\' : '\\';
    } else if (ch === '\n' && opts.keepNewlines) out += ch;
    else if (isUnsafe(text, i)) out += escapeChar(ch);
    else out += ch;
  }
  return out;
}

// Is the UTF-16 unit at i one sanitize escapes? (A surrogate counts only when unpaired.)
function isUnsafe(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const b = text.charCodeAt(i - 1);
    return !(b >= 0xd800 && b <= 0xdbff);
  }
  return CONTROL.test(text[i] as string);
}

// The inverse of sanitize: what the node really sent, from what the operator saw (for tests and
// for anyone who needs the exact bytes; --json has them too).
export function unsanitize(shown: string): string {
  return shown.replace(/\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4}|[rnt])/g, (_m, e: string) => {
    if (e === '\\') return '\\';
    if (e === 'r') return '\r';
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    return String.fromCharCode(parseInt(e.slice(1), 16));
  });
}

// JSON text a terminal can show as is: the characters JSON.stringify leaves raw but a terminal
// acts on (DEL, C1, bidi controls, line separators) written as \u escapes. The parsed value is
// the exact string the node sent; only how the JSON spells it changes.
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export function jsonSafe(json: string): string {
  return json.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
