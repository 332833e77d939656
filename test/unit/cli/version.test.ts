import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageVersion } from '../../../src/cli/version.js';
import { runCli } from '../../helpers/cli.js';

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

  test('the built CLI (the bundle bin/clusterctl.js runs) prints it for --version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${OWN}\n`);
  });
});
