import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { InventoryError, UserError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';

// The loader's contract under any input: an Inventory, or a UserError (exit 2) with a message.
// Anything else (TypeError, RangeError, a zod internal) would be exit 3, a bug.
function loadsOrExplains(text: string): void {
  try {
    parseInventory(text, '/fuzz/inventory.yaml', { home: '/home/fuzz' });
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError (would exit 3): ${(err as Error)?.stack ?? String(err)}\n--- input ---\n${text}`);
    assert.ok(err.message.length > 0);
    if (err instanceof InventoryError) assert.ok(err.problems.length > 0);
  }
}

const anyValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

// A valid inventory's skeleton, so random values land in real fields and reach the rules.
const field = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, anyValue), { nil: undefined });
const node = fc.record(
  {
    name: field(fc.string({ maxLength: 10 })),
    host: field(fc.oneof(fc.ipV4(), fc.domain(), fc.string())),
    roles: field(fc.array(fc.constantFrom('etcd', 'master', 'worker', 'boss'), { maxLength: 3 })),
    port: field(fc.integer({ min: -5, max: 70000 })),
    user: field(fc.string()),
    identityFile: field(fc.string()),
    knownHostsFile: field(fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))),
    strictHostKeyChecking: field(fc.constantFrom('yes', 'no', 'accept-new', 'ask')),
    bastion: field(fc.record({ host: field(fc.string()), port: field(fc.integer()), user: field(fc.string()) }, { requiredKeys: [] })),
    network: field(
      fc.record(
        {
          interface: field(fc.string()),
          address: field(fc.oneof(fc.ipV4().map((a) => `${a}/24`), fc.string())),
          gateway: field(fc.ipV4()),
          dns: field(fc.array(fc.ipV4(), { maxLength: 3 })),
          routes: field(fc.array(fc.record({ destination: field(fc.string()), gateway: field(fc.ipV4()) }, { requiredKeys: [] }), { maxLength: 2 })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const inventory = fc.record(
  {
    defaults: field(fc.record({ user: field(fc.string()), port: field(fc.integer()), bastion: field(fc.record({ host: field(fc.string()) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    cluster: field(fc.record({ etcd: field(fc.record({ endpoints: field(fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 2 })) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    nodes: field(fc.array(node, { maxLength: 4 })),
  },
  { requiredKeys: [] },
);

describe('inventory fuzzing: the loader never crashes (exit 2 with a message, never 3)', () => {
  test('random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), loadsOrExplains), { numRuns: 500 });
  });

  test('random YAML documents of any shape', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 3 }), (v) => loadsOrExplains(stringify(v) ?? "")), { numRuns: 300 });
  });

  test('inventory-shaped YAML with random field values', () => {
    fc.assert(fc.property(inventory, (v) => loadsOrExplains(stringify(v))), { numRuns: 600 });
  });

  test('YAML with hostile structure: aliases, tags, deep nesting, duplicate keys', () => {
    const pieces = fc.constantFrom('a: &x [*x]\n', '!!binary nope\n', 'nodes: *missing\n', `${'['.repeat(200)}\n`, 'nodes:\n  - name: a\n    name: b\n', 'x: !!js/function "f"\n', '---\n---\n', 'nodes: [{name: n, host: 1.2.3.4, roles: [worker], port: 1e400}]\n');
    fc.assert(fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 30 })), { maxLength: 5 }), (parts) => loadsOrExplains(parts.join(''))), { numRuns: 300 });
  });
});
