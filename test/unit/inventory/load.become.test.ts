import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InventoryError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';

const yaml = (defaults: string, nodeExtra = '') => `${defaults}nodes:\n  - { name: a, host: 198.18.1.11, roles: [etcd]${nodeExtra} }\n  - { name: b, host: 198.18.1.12, roles: [worker] }\n`;

describe('become', () => {
  test('none unless asked; defaults: sets it for every node, a node overrides it', () => {
    assert.deepEqual(parseInventory(yaml(''), 'i.yaml').nodes.map((n) => n.become), ['none', 'none']);
    assert.deepEqual(parseInventory(yaml('defaults: { become: sudo }\n'), 'i.yaml').nodes.map((n) => n.become), ['sudo', 'sudo']);
    assert.deepEqual(parseInventory(yaml('defaults: { become: sudo }\n', ', become: none'), 'i.yaml').nodes.map((n) => n.become), ['none', 'sudo']);
  });

  test('only none or sudo; there is nowhere to put a password', () => {
    assert.throws(() => parseInventory(yaml('', ', become: root'), 'i.yaml'), (e: unknown) => e instanceof InventoryError && /nodes\[0\]\.become/.test(e.message));
    assert.throws(() => parseInventory(yaml('defaults: { become: sudo, becomePassword: x }\n'), 'i.yaml'), (e: unknown) => e instanceof InventoryError && /becomePassword/.test(e.message));
  });
});
