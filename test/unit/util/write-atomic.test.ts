import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempNameFor, writeAtomic } from '../../../src/util/write-atomic.js';

const dir = () => mkdtempSync(join(tmpdir(), 'atomic-'));

describe('writeAtomic', () => {
  test('the temporary name is beside the target, random, and not the pid', () => {
    const names = new Set(Array.from({ length: 50 }, () => tempNameFor('/out/e1.ign')));
    assert.equal(names.size, 50);
    for (const n of names) {
      assert.match(n, /^\/out\/\.e1\.ign\.tmp-[0-9a-f]{32}$/);
      // Not the old predictable name (`.tmp-PID`); 32 random hex digits may contain a short pid by chance.
      assert.notEqual(n, `/out/e1.ign.tmp-${process.pid}`);
      assert.notEqual(n, `/out/.e1.ign.tmp-${process.pid}`);
    }
  });
  test('writes the text with the mode, and leaves no temporary file', async () => {
    const d = dir();
    await writeAtomic(join(d, 'a.ign'), 'hello', 0o600);
    assert.equal(readFileSync(join(d, 'a.ign'), 'utf8'), 'hello');
    assert.equal(statSync(join(d, 'a.ign')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(d), ['a.ign']);
  });
  test('a symlink planted at the temporary name is not followed: EEXIST, its target untouched, the file not written', async () => {
    const d = dir();
    const victim = join(d, 'victim');
    writeFileSync(victim, 'precious');
    const planted = join(d, 'planted');
    symlinkSync(victim, planted);
    await assert.rejects(writeAtomic(join(d, 'a.ign'), 'evil', 0o600, () => planted), (e: unknown) => (e as NodeJS.ErrnoException).code === 'EEXIST');
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.ok(lstatSync(planted).isSymbolicLink());
    assert.deepEqual(readdirSync(d).sort(), ['planted', 'victim']);
  });
  test('a symlink at the target itself is replaced, not written through', async () => {
    const d = dir();
    const victim = join(d, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(d, 'a.ign'));
    await writeAtomic(join(d, 'a.ign'), 'new', 0o600);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.equal(lstatSync(join(d, 'a.ign')).isFile(), true);
    assert.equal(readFileSync(join(d, 'a.ign'), 'utf8'), 'new');
  });
});
