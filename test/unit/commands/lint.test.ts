import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { withFlannel } from '../../fixtures/inventory/lint.js';

describe('lintCommand output', () => {
  const io = () => {
    let out = '';
    return { get out() { return out; }, io: { stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream, stderr: process.stderr, env: {}, signal: new AbortController().signal } };
  };
  test('human: file:line: path: message per problem, then a count; exit 2', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { lintCommand } = await import('../../../src/commands/lint.js');
    const file = join(mkdtempSync(join(tmpdir(), 'lint-')), 'inv.yaml');
    writeFileSync(file, withFlannel('10.0.0.0/8'));
    const h = io();
    assert.equal(await lintCommand({ inventory: file, json: false }, h.io), 2);
    assert.equal(h.out.split('\n').filter(Boolean).length, 5);
    assert.ok(h.out.startsWith(`${file}:10: nodes[0].network.address: address 10.0.0.10/24`), h.out);
    assert.ok(h.out.endsWith(`4 problems in ${file}\n`));
    const j = io();
    writeFileSync(file, withFlannel('10.1.0.0/16'));
    assert.equal(await lintCommand({ inventory: file, json: true }, j.io), 0);
    assert.deepEqual(JSON.parse(j.out), { ok: true, file, problems: [] });
  });
});
