import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { packageVersion, versionText } from '../../../src/cli/version.js';
import { buildInfo } from '../../../scripts/build-info.mjs';
import { runCli } from '../../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OWN = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('packageVersion: the nearest package.json above the running module', () => {
  test('from src/cli/ it is the package’s own', () => {
    assert.equal(packageVersion(), OWN);
  });

  test('from a chunk two levels below the package root (dist/bundle/)', () => {
    const root = mkdtempSync(join(tmpdir(), 'clusterctl-version-'));
    mkdirSync(join(root, 'dist/bundle'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"name": "x", "version": "9.8.7"}');
    assert.equal(packageVersion(pathToFileURL(join(root, 'dist/bundle/chunk-ABC.js'))), '9.8.7');
  });

  test('the built CLI (the bundle bin/clusterctl.js runs) prints it and the commit it was built from', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    // -dirty: built from a tree with uncommitted changes to tracked files (as while developing).
    const m = new RegExp(`^${OWN.replace(/\./g, '\\.')} \\(commit ([0-9a-f]{12})(-dirty)?\\)\n$`).exec(r.stdout);
    assert.ok(m, r.stdout);
    // The build may be older than the last commit, never from another history: HEAD or before it.
    execFileSync('git', ['merge-base', '--is-ancestor', m[1] ?? '', 'HEAD'], { cwd: ROOT });
  });

  test('from src/ (tsx), with no build stamp: the version and commit unknown', () => {
    assert.equal(versionText(), `${OWN} (commit unknown)`);
  });
});

describe('buildInfo: what the bundlers stamp in', () => {
  test('in this checkout: the version and HEAD, -dirty only when tracked files differ', () => {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }) !== '';
    assert.deepEqual(buildInfo(ROOT), { version: OWN, commit: `${head}${dirty ? '-dirty' : ''}` });
  });

  test('a copy without git (a source tarball): commit unknown', () => {
    const root = mkdtempSync(join(tmpdir(), 'clusterctl-nogit-'));
    writeFileSync(join(root, 'package.json'), '{"name": "x", "version": "1.2.3"}');
    assert.deepEqual(buildInfo(root), { version: '1.2.3', commit: 'unknown' });
  });

  test('a clean repository: its HEAD, no -dirty', () => {
    const root = mkdtempSync(join(tmpdir(), 'clusterctl-git-'));
    writeFileSync(join(root, 'package.json'), '{"name": "x", "version": "1.2.3"}');
    const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', 'package.json');
    git('commit', '-qm', 'x');
    assert.deepEqual(buildInfo(root), { version: '1.2.3', commit: git('rev-parse', '--short=12', 'HEAD') });
    writeFileSync(join(root, 'package.json'), '{"name": "x", "version": "1.2.4"}');
    assert.deepEqual(buildInfo(root), { version: '1.2.4', commit: `${git('rev-parse', '--short=12', 'HEAD')}-dirty` });
  });
});
