import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCommand, parseHostFlags, parseRoleFlags } from '../../../src/commands/import.js';
import { lintCommand } from '../../../src/commands/lint.js';
import { UserError } from '../../../src/errors.js';
import { runCli } from '../../helpers/cli.js';
import { GOLDEN, guideClc } from '../../fixtures/import/configs.js';

function io() {
  const h = { out: '', err: '' };
  const sink = (k: 'out' | 'err') => ({ write: (s: string) => ((h[k] += s), true) }) as unknown as NodeJS.WriteStream;
  return { h, io: { stdout: sink('out'), stderr: sink('err'), env: {}, signal: new AbortController().signal } };
}

// render's Ignition for inventory.example.yaml, in a directory of its own.
function goldenDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-'));
  mkdirSync(join(dir, 'ign'));
  for (const n of ['app-etcd-1', 'app-worker-1', 'app-worker-2']) copyFileSync(`${GOLDEN}${n}.ign`, join(dir, 'ign', `${n}.ign`));
  return dir;
}

describe('clusterctl import', () => {
  test('a directory → --out, which `clusterctl lint` passes; exit 0', async () => {
    const dir = goldenDir();
    const out = join(dir, 'inventory.yaml');
    const { h, io: i } = io();
    assert.equal(await importCommand({ paths: [join(dir, 'ign')], out, roles: ['master=app-etcd-1', 'worker=app-worker-1,app-worker-2'] }, i), 0);
    assert.equal(h.out, '');
    assert.match(h.err, /^wrote .*inventory\.yaml: 3 nodes from 3 configs; next: clusterctl lint -i /);
    assert.match(readFileSync(out, 'utf8'), /# from .*ign\/app-etcd-1\.ign\n {2}- name: app-etcd-1\n/);
    const lint = io();
    assert.equal(await lintCommand({ inventory: out, json: false }, lint.io), 0);
  });
  test('--out: a symlink planted at the old temporary name (<out>.tmp-<pid>) is not followed', async () => {
    const dir = goldenDir();
    const out = join(dir, 'inventory.yaml');
    writeFileSync(join(dir, 'victim'), 'precious');
    symlinkSync(join(dir, 'victim'), `${out}.tmp-${process.pid}`);
    assert.equal(await importCommand({ paths: [join(dir, 'ign')], out, roles: ['master=app-etcd-1', 'worker=app-worker-1,app-worker-2'] }, io().io), 0);
    assert.equal(readFileSync(join(dir, 'victim'), 'utf8'), 'precious');
    assert.equal(lstatSync(out).isFile(), true);
    assert.match(readFileSync(out, 'utf8'), /name: app-etcd-1/);
  });
  test('stdout without --out', async () => {
    const { h, io: i } = io();
    assert.equal(await importCommand({ paths: [`${GOLDEN}app-etcd-1.ign`] }, i), 0);
    assert.match(h.out, /^# clusterctl inventory imported/);
  });
  test('problems: every one on stderr with its location, exit 2, and the --out file is not written', async () => {
    const dir = goldenDir();
    writeFileSync(join(dir, 'ign', 'guide.yaml'), guideClc({ verbatim: true }));
    writeFileSync(join(dir, 'ign', 'zz.json'), '{"ignition": {"version": "2.4.0-experimental"}}');
    const out = join(dir, 'inventory.yaml');
    const { h, io: i } = io();
    assert.equal(await importCommand({ paths: [join(dir, 'ign')], out }, i), 2);
    assert.equal(existsSync(out), false);
    assert.match(h.err, /^import: nothing written\n/);
    assert.match(h.err, /guide\.yaml:17:7: the block after `contents: \|` is empty/);
    assert.match(h.err, /zz\.json:1:26: \/ignition\/version: unknown Ignition version "2\.4\.0-experimental".*an experimental spec is not one of them/);
    assert.match(h.err, /no role: give it one with --role worker=app-worker-1[^\n]*\n.*\n4 problems in 4 files\n$/);
  });
  test('a path that is not there', async () => {
    const { h, io: i } = io();
    assert.equal(await importCommand({ paths: ['/nonexistent/x.ign'] }, i), 2);
    assert.match(h.err, /\/nonexistent\/x\.ign: not found/);
  });
  test('--role and --host values', () => {
    assert.deepEqual([...parseRoleFlags(['master=a,b', 'worker=b'])], [['a', ['master']], ['b', ['master', 'worker']]]);
    assert.throws(() => parseRoleFlags(['boss=a']), (e: unknown) => e instanceof UserError && /--role boss=a: expected ROLE=NODE/.test(e.message));
    assert.deepEqual([...parseHostFlags(['a=198.18.1.10,b=n2.lab'])], [['a', '198.18.1.10'], ['b', 'n2.lab']]);
    assert.throws(() => parseHostFlags(['a']), /--host a: expected NODE=ADDRESS/);
  });
  test('the built CLI: --help names the setup guide; a bad config exits 2', async () => {
    const help = await runCli(['import', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /the setup guide's Container Linux Configs/);
    const dir = mkdtempSync(join(tmpdir(), 'import-'));
    writeFileSync(join(dir, 'bad.json'), '[1,');
    const bad = await runCli(['import', join(dir, 'bad.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json:1:4: not valid JSON \(at byte 3\): expected a value/);
  });
});
