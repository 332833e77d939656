import assert from 'node:assert/strict';
import type { Parsed } from '../../src/facts/parse/common.js';

// The value of a parse that must have succeeded (fails the test with the parser's error otherwise).
export function value<T>(p: Parsed<T>): T {
  if (!p.ok) assert.fail(p.error);
  return p.value;
}
