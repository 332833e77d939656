import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inventoryJsonSchema, formatSchema } from '../../../src/inventory/json-schema.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMITTED = `${ROOT}schema/inventory.schema.json`;

type Json = { [k: string]: Json } & { properties?: Record<string, Json>; required?: string[]; items?: Json; additionalProperties?: boolean; enum?: string[] };

describe('the inventory JSON Schema', () => {
  test('schema/inventory.schema.json is what `clusterctl schema` prints (regenerate: npm run schema)', () => {
    assert.equal(readFileSync(COMMITTED, 'utf8'), formatSchema(), 'schema/inventory.schema.json is stale: run `npm run schema` and commit it');
  });

  test('it says what editors need: required nodes, strict objects, node fields with descriptions, role names', () => {
    const s = inventoryJsonSchema() as Json;
    assert.deepEqual(s.required, ['nodes']);
    assert.equal(s.additionalProperties, false);
    const node = s.properties?.nodes?.items as Json;
    assert.deepEqual(node.required?.slice().sort(), ['host', 'name', 'roles']);
    assert.equal(node.additionalProperties, false);
    assert.equal(node.properties?.host?.description, 'address or DNS name to SSH to');
    assert.deepEqual((node.properties?.roles?.items as Json).enum, ['etcd', 'master', 'worker']);
  });

  test('inventory.example.yaml points editors at the committed schema', () => {
    const first = readFileSync(`${ROOT}inventory.example.yaml`, 'utf8').split('\n')[0];
    assert.equal(first, '# yaml-language-server: $schema=./schema/inventory.schema.json');
  });
});
