import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { shellQuote } from '../../../src/util/shell.js';
import { argsSeenBySh, bytes, shapes } from '../../helpers/hostile.js';

describe('hostile input never escapes its quoting (fast-check, real sh)', () => {
  for (const [what, arb] of Object.entries(shapes)) {
    test(`${what}: shellQuote(x) is exactly one argument x`, () => {
      fc.assert(
        fc.property(arb, (x) => {
          assert.deepEqual(argsSeenBySh(`show ${shellQuote(x)}`), [bytes(x)]);
        }),
        { numRuns: 100 },
      );
    });
  }

});
