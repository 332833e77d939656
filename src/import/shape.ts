// Typed reads of a parsed config's fields that collect a located problem for each field of the
// wrong type instead of throwing, so one pass reports every wrong field of a file.
import type { FieldPath, ImportProblem, Locator } from './problem.js';

export class Fields {
  readonly problems: ImportProblem[] = [];
  constructor(readonly locate: Locator) {}

  problem(path: FieldPath, message: string): void {
    this.problems.push({ ...this.locate(path), message });
  }

  private typed<T>(v: unknown, path: FieldPath, ok: (v: unknown) => v is T, what: string): T | undefined {
    if (v === undefined || v === null) return undefined;
    if (ok(v)) return v;
    this.problem(path, `expected ${what}, found ${Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : JSON.stringify(v)}`);
    return undefined;
  }

  obj(v: unknown, path: FieldPath): Record<string, unknown> | undefined {
    return this.typed(v, path, (x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x), 'a mapping');
  }

  list(v: unknown, path: FieldPath): unknown[] {
    return this.typed(v, path, (x): x is unknown[] => Array.isArray(x), 'a list') ?? [];
  }

  str(v: unknown, path: FieldPath): string | undefined {
    return this.typed(v, path, (x): x is string => typeof x === 'string', 'a string');
  }

  bool(v: unknown, path: FieldPath): boolean | undefined {
    return this.typed(v, path, (x): x is boolean => typeof x === 'boolean', 'true or false');
  }

  int(v: unknown, path: FieldPath): number | undefined {
    return this.typed(v, path, (x): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0, 'a whole number');
  }

  // A required name: a problem when missing.
  name(o: Record<string, unknown>, path: FieldPath, key = 'name'): string | undefined {
    const v = this.str(o[key], [...path, key]);
    if (v === undefined || v === '') this.problem([...path, key], `${key} is missing`);
    return v || undefined;
  }

  // A list of strings (keys), each checked.
  strings(v: unknown, path: FieldPath): string[] {
    return this.list(v, path)
      .map((x, i) => this.str(x, [...path, i]))
      .filter((x): x is string => x !== undefined);
  }
}
