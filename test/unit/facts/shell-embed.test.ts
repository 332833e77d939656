import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { PROBE, probeFor } from '../../../src/facts/probe.js';
import { PART_SH } from '../../../src/generated/shell.js';
import { PART_PREAMBLE } from '../../../src/util/frame-shell.js';
import { MARKER } from '../../../src/util/frames.js';

// The shell that runs on a node lives in .sh files under src/; scripts/embed-sh.mjs makes them
// src/generated/shell.ts, which the sources import (tsx cannot import a .sh file, the single
// executable has no files beside it). Moving the text there changed no byte a node receives.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const EMBED = join(ROOT, 'scripts/embed-sh.mjs');
// Captured from main before the move (`clusterctl probe` and `--session`, and
// util/frame-shell.ts PART_PREAMBLE, the head of every batch).
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/probe', name), 'utf8');

describe('the remote shell embedded from src/**/*.sh', () => {
  test('the committed src/generated/shell.ts is what scripts/embed-sh.mjs makes of the .sh files', () => {
    const r = spawnSync(process.execPath, [EMBED, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stderr}(the .sh files changed: run \`node scripts/embed-sh.mjs\` and commit src/generated/shell.ts)`);
  });

  test('--check fails on a stale module and says what to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-embed-'));
    try {
      const stale = join(dir, 'shell.ts');
      writeFileSync(stale, readFileSync(join(ROOT, 'src/generated/shell.ts'), 'utf8').replace('part()', 'part ()'));
      const r = spawnSync(process.execPath, [EMBED, '--check', '--out', stale], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /differs from the \.sh files under src\/: run `node scripts\/embed-sh\.mjs`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the embedded text is the code alone: no comment line, no shellcheck directive', () => {
    const generated = readFileSync(join(ROOT, 'src/generated/shell.ts'), 'utf8');
    const constants = [...generated.matchAll(/^export const \w+: string = (".*");$/gm)].map((m) => JSON.parse(m[1]!) as string);
    assert.ok(constants.length >= 8, `${constants.length} constants`);
    for (const c of constants) assert.deepEqual(c.split('\n').filter((l) => /^\s*#/.test(l)), []);
  });

  test('part.sh prints the markers util/frames.ts reads', () => {
    assert.ok(PART_SH.includes(`"${MARKER}begin $clusterctl_nonce $1"`) && PART_SH.includes(`"${MARKER}end $clusterctl_nonce $1 rc=$2$3"`));
  });

  test('the probe, its sudo variant, its session and the batch head are byte for byte what main sent before the move', () => {
    assert.equal(PROBE, fixture('probe.sh'));
    assert.equal(probeFor('sudo'), `clusterctl_become=sudo\n${fixture('probe.sh')}`);
    assert.equal(probeFor('none', 'session'), fixture('probe-session.sh'));
    assert.equal(PART_PREAMBLE, fixture('part-preamble.sh'));
  });

  test('`clusterctl probe` and `probe --session` from the sources print the same bytes', () => {
    const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'probe', ...args], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(cli(), fixture('probe.sh'));
    assert.equal(cli('--session'), fixture('probe-session.sh'));
  });
});
