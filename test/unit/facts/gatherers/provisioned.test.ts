import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { parseProvisioned, provisionedScript } from '../../../../src/facts/gatherers/provisioned.js';
import type { Provisioned as ProvisionedSpec } from '../../../../src/inventory/provisioned.js';
import { PART_PREAMBLE, withNonce } from '../../../../src/util/frame-shell.js';
import { readParts } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
// The script as a batch sends it: after the framing's functions, with the request's nonce.
const framed = (script: string) => withNonce(TEST_NONCE, `${PART_PREAMBLE}\n${script}`);

describe('provisioned files and units, read under a real sh', () => {
  test('mode, size and sha256 of each file; missing, not a file; hostile paths stay one argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-prov-'));
    const hostile = join(dir, `we'ird $(echo pwned >&2) \`echo pwned >&2\` "file"\nline`);
    writeFileSync(join(dir, 'hostname'), 'n1\n');
    chmodSync(join(dir, 'hostname'), 0o600);
    writeFileSync(hostile, 'x');
    mkdirSync(join(dir, 'adir'));
    const file = (path: string) => ({ path, mode: 0o644, contentKnown: false, why: 'test', from: 'n1.ign' });
    const spec: ProvisionedSpec = { files: [file(join(dir, 'hostname')), file(join(dir, 'gone')), file(join(dir, 'adir')), file(hostile)], units: [] };
    const run = spawnSync('/bin/sh', ['-c', framed(provisionedScript(spec, 'none'))], { encoding: 'utf8' });
    assert.equal(run.stderr, '', 'the path was never run as shell');
    const out = run.stdout;
    const f = parseProvisioned(readParts(out, TEST_NONCE), spec);
    assert.deepEqual(f.files, [
      { path: join(dir, 'hostname'), state: 'present', mode: 0o600, size: 3, sha256: sha('n1\n') },
      { path: join(dir, 'gone'), state: 'missing' },
      { path: join(dir, 'adir'), state: 'not-a-file' },
      { path: hostile, state: 'present', mode: 0o644 & ~process.umask(), size: 1, sha256: sha('x') },
    ]);
  });
  test('units: what `systemctl is-enabled` says for each, by index, first line only', () => {
    const spec: ProvisionedSpec = { files: [], units: [{ name: 'a.service', state: 'enabled', from: 'n1.ign' }, { name: 'b.service', state: 'masked', from: 'n1.ign' }] };
    const script = `systemctl(){ case $3 in a.service) echo enabled;; *) echo 'Failed to get unit file state for b.service: No such file or directory'; echo more; return 1;; esac; }\n${provisionedScript(spec, 'none')}`;
    const f = parseProvisioned(readParts(execFileSync('/bin/sh', ['-c', framed(script)], { encoding: 'utf8' }), TEST_NONCE), spec);
    assert.deepEqual(f.units, [{ name: 'a.service', state: 'enabled' }, { name: 'b.service', state: 'Failed to get unit file state for b.service: No such file or directory' }]);
  });
  test('output cut short: each file and unit not reported says so', () => {
    const spec: ProvisionedSpec = { files: [{ path: '/etc/x', mode: 0o644, contentKnown: false, from: 's' }], units: [{ name: 'u.service', state: 'enabled', from: 's' }] };
    assert.deepEqual(parseProvisioned(new Map(), spec), { files: [{ path: '/etc/x', state: 'error', error: 'not reported (output cut short?)' }], units: [{ name: 'u.service', state: 'not reported (output cut short?)' }] });
  });
});
