import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Inventory } from '../../src/inventory/types.js';
import { renderNode } from '../../src/render/render.js';
import type { RenderFormat } from '../../src/render/render.js';
import { ignitionValidate } from './ignition-validate.js';

const FORMATS: RenderFormat[] = ['ignition', 'butane', 'clc'];

// Golden files: what render writes for `inv`, one file per node and format in `dir`, and the real
// ignition-validate's word on each Ignition file. After an intended change, regenerate with
// UPDATE_GOLDEN=1 and review the diff. Call inside a describe().
export function goldenRenderTests(inv: Inventory, dir: string): void {
  for (const format of FORMATS) {
    for (const node of inv.nodes) {
      const r = renderNode(node, inv, format, new Map());
      test(`${format}: ${r.file}`, () => {
        const path = `${dir}${r.file}`;
        if (process.env.UPDATE_GOLDEN === '1') {
          mkdirSync(dir, { recursive: true });
          writeFileSync(path, r.text);
        }
        assert.ok(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1`);
        assert.equal(r.text, readFileSync(path, 'utf8'));
      });
    }
  }
  test('every golden Ignition file passes the real ignition-validate', async () => {
    for (const node of inv.nodes) assert.deepEqual(await ignitionValidate(readFileSync(`${dir}${node.name}.ign`, 'utf8')), { code: 0, output: '' });
  });
}
