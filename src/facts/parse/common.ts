// Small helpers shared by the parsers. Parsers return a Parsed value instead of throwing, so
// one bad section becomes one problem and the rest of the node's facts still count.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

export type JsonObject = Record<string, unknown>;

// JSON.parse that reports instead of throwing, and insists on a top-level array (what `ip -j`
// prints).
export function parseJsonArray(text: string): Parsed<unknown[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return bad(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return Array.isArray(value) ? ok(value) : bad('JSON is not an array');
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

// Some iproute2 versions print a number where a name is unknown (protocol 42); keep it as text.
export function strOrNum(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'number' ? String(v) : str(obj, key);
}

// `ip -j` prints an array; old `ip -j route` (4.13–4.16) printed plain text despite -j.
export function looksLikeJson(body: string): boolean {
  return /^\s*\[/.test(body);
}

export function nonEmptyLines(body: string): string[] {
  return body.split('\n').filter((l) => l.trim() !== '');
}

// A short, single-line excerpt of bad input for a problem message.
export function excerpt(text: string, max = 80): string {
  const one = text.trim().replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
