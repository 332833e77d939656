// A strict JSON reader that knows where things are: the offset of every value by its JSON
// pointer, and the exact offset of the first syntax error (Node's JSON.parse names a position
// only for some errors). Values come from JSON.parse once the text is known to be valid. Pure.

export type JsonRead = { ok: true; value: unknown; at: Map<string, number> } | { ok: false; offset: number; message: string };

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function readJson(text: string): JsonRead {
  const at = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    const found = i >= text.length ? 'the end of the file' : `'${text[i]}'`;
    throw new Stop(i, `expected ${what}, found ${found}`);
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) throw new Stop(i, 'a control character (e.g. a raw newline) inside a string: write it as \\n');
      if (text[i] === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'a \\u escape needs four hex digits');
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === '') throw new Stop(i, `invalid escape \\${e}`);
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) throw new Stop(start, 'a string that is never closed');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string): void => {
    ws();
    at.set(pointer, i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a "key" (JSON keys are double-quoted; no trailing comma)');
        const key = string();
        ws();
        if (text[i] !== ':') fail("':' after the key");
        i++;
        value(`${pointer}/${escapePointer(key)}`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${pointer}/${n}`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail("',' or ']'");
      }
    }
    if (c === '"') return void string();
    LITERAL.lastIndex = i;
    const lit = LITERAL.exec(text);
    if (!lit) fail('a value (a string, number, object, list, true, false or null)');
    i += lit?.[0].length ?? 0;
  };
  try {
    value('');
    ws();
    if (i < text.length) throw new Stop(i, `more text after the JSON value ('${text[i]}')`);
  } catch (err) {
    if (err instanceof Stop) return { ok: false, offset: err.offset, message: err.message };
    throw err;
  }
  return { ok: true, value: JSON.parse(text) as unknown, at };
}

// 1-based line and column of an offset.
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: offset - nl };
}
