// zod issues → inventory problems in the words of the YAML file (mapping, list), with unknown
// keys reported one by one and the intended key suggested.
import type * as z from 'zod';
import { KNOWN_KEYS } from './schema.js';
import type { RawProblem } from './problems.js';
import { shapeKey, suggestKey } from './problems.js';

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return String(value);
}

const EXPECTED: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number' };

// Per-parse error map: schema-level messages (ports, roles, names) still take precedence.
export function messageFor(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'invalid_type') {
    if (iss.input === undefined) return 'is required';
    if ((iss.path ?? []).length === 0) return `the inventory must be a mapping with a nodes: list, not ${describe(iss.input)}`;
    return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describe(iss.input)}`;
  }
  if (iss.code === 'invalid_value') {
    return `expected one of ${iss.values.map(String).join(', ')}; got ${describe(iss.input)}`;
  }
  if (iss.code === 'too_small' && iss.origin === 'string') return 'must not be empty';
  return undefined;
}

export function issueProblems(issues: readonly z.core.$ZodIssue[]): RawProblem[] {
  const out: RawProblem[] = [];
  for (const iss of issues) {
    const at = iss.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (iss.code !== 'unrecognized_keys') {
      out.push({ path: at, message: iss.message });
      continue;
    }
    const known = KNOWN_KEYS[shapeKey(at)] ?? [];
    for (const key of iss.keys) {
      const guess = suggestKey(key, known);
      const hint = guess ? ` — did you mean '${guess}'?` : known.length ? ` (known keys: ${known.join(', ')})` : '';
      out.push({ path: [...at, key], message: `unknown key '${key}'${hint}` });
    }
  }
  return out;
}
